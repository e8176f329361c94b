/**
 * A local directory as a source: `.tgz` packages with their `.prov` files beside them
 * (`<file>.tgz.prov`). That is both a folder of packages and ChartMuseum's local storage, whose
 * multitenant layout (`--depth N`) puts each repository N directories down:
 * `<root>/<org>/<team>/<chart>-<version>.tgz` at depth 2 goes into `[<into>/]org/team`.
 * Everything else there (ChartMuseum's index-cache.yaml, READMEs) is ignored.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Candidate, ImportSource } from './import-types.js';
import { SourceError } from './source-error.js';

export interface DirectoryOptions {
  dir: string;
  /** how many directories down the packages are; each directory at that depth is a repository */
  depth: number;
  /** the repository (depth 0) or the prefix of the repositories (depth > 0) */
  into?: string;
  maxPackageBytes: number;
}

const MAX_PROV_BYTES = 1024 * 1024;
const DEEPEST_LOOK = 4;

export function createDirectorySource(options: DirectoryOptions): ImportSource {
  const { dir, depth } = options;

  async function readLimited(file: string, maxBytes: number): Promise<Buffer> {
    const info = await stat(file);
    if (info.size > maxBytes) throw new SourceError('invalid', `${file} is larger than ${maxBytes} bytes`);
    return readFile(file);
  }

  function candidate(file: string, repository: string, prov: string | undefined): Candidate {
    return {
      label: file,
      repository,
      async fetch() {
        return {
          chart: await readLimited(file, options.maxPackageBytes),
          prov: prov === undefined ? undefined : await readLimited(prov, MAX_PROV_BYTES),
        };
      },
    };
  }

  return {
    description: depth === 0 ? `directory ${dir}` : `ChartMuseum storage ${dir} (depth ${depth})`,
    async list() {
      const found = await packagesByDepth(dir);
      const here = found.get(depth) ?? [];
      if (here.length === 0) {
        const elsewhere = [...found.keys()].filter((d) => d !== depth);
        const hint =
          elsewhere.length > 0 ? `; there are some at depth ${elsewhere.join(', ')}: pass --depth` : '';
        throw new SourceError('not-found', `no .tgz packages in ${dir} at depth ${depth}${hint}`);
      }
      return here.map(({ file, names }) => {
        const sub = relative(dir, join(file, '..')).split(/[\\/]/).filter(Boolean);
        const repository = [options.into, ...sub]
          .filter((part) => part !== undefined && part !== '')
          .join('/');
        const prov = names.has(`${file.slice(file.lastIndexOf('/') + 1)}.prov`) ? `${file}.prov` : undefined;
        return candidate(file, repository, prov);
      });
    },
    close() {},
  };
}

interface FoundPackage {
  file: string;
  /** the file names in its directory, to find its .prov */
  names: Set<string>;
}

/** The .tgz files at each depth under `root`, in name order, down to DEEPEST_LOOK. */
async function packagesByDepth(root: string): Promise<Map<number, FoundPackage[]>> {
  const found = new Map<number, FoundPackage[]>();
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
      if (depth > 0) return [];
      const why =
        err.code === 'ENOENT' ? 'no such directory' : err.code === 'ENOTDIR' ? 'not a directory' : err.code;
      throw new SourceError('not-found', `cannot read ${root}: ${why}`);
    });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const names = new Set(entries.map((entry) => entry.name));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && depth < DEEPEST_LOOK) await walk(path, depth + 1);
      else if (entry.isFile() && entry.name.endsWith('.tgz')) {
        const list = found.get(depth) ?? [];
        list.push({ file: path, names });
        found.set(depth, list);
      }
    }
  };
  await walk(root, 0);
  return found;
}
