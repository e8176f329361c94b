import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory holding Charthouse's package.json and migrations/: the nearest one with a
 * package.json above this module. Found by walking up rather than by a fixed `../..`, because the
 * module sits at different depths in the source tree (src/, under tsx) and in the build (one
 * bundle in dist/, scripts/build.ts).
 */
export const packageRoot: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json in ${start} or any directory above it`);
  }
}
