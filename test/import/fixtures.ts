import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SigningKey } from '../support/gpg.js';
import type { Helm } from '../support/helm.js';
import { writeChartDir } from '../support/make-chart-dir.js';

/** Cleanups run after a whole file's tests, for engines started once per file. */
export function fileScope() {
  const cleanups: Array<() => unknown> = [];
  return {
    after: (fn: () => unknown) => cleanups.push(fn),
    async close() {
      for (const fn of cleanups.reverse()) await fn();
    },
  };
}

export interface Packaged {
  name: string;
  version: string;
  /** the .tgz path */
  file: string;
  bytes: Buffer;
  /** the .prov path, when signed */
  prov?: string;
}

/** `helm package` (with `--sign` when `key` is given) of a generated chart into `out`. */
export async function helmPackage(
  helm: Helm,
  work: string,
  out: string,
  name: string,
  version: string,
  key?: SigningKey,
): Promise<Packaged> {
  const dir = await writeChartDir(join(work, 'src', `${name}-${version}`), { name, version });
  const args = ['package', dir, '-d', out];
  if (key) args.push('--sign', '--key', key.name, '--keyring', key.secretKeyring);
  await helm.run(args);
  const file = join(out, `${name}-${version}.tgz`);
  return { name, version, file, bytes: await readFile(file), prov: key ? `${file}.prov` : undefined };
}
