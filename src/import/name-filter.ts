/**
 * `--include` and `--exclude`: comma-separated globs matched against a chart's whole name, where
 * `*` is any run of characters and `?` one character (chart names hold no `/`, so no `**`).
 */
export type NameFilter = (name: string) => boolean;

export function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${escaped}$`);
}

const globList = (text: string | undefined) =>
  (text ?? '')
    .split(',')
    .map((glob) => glob.trim())
    .filter((glob) => glob !== '')
    .map(globToRegExp);

/** Names matching any include glob (every name when there are none) and no exclude glob. */
export function createNameFilter(include?: string, exclude?: string): NameFilter {
  const included = globList(include);
  const excluded = globList(exclude);
  return (name) =>
    (included.length === 0 || included.some((re) => re.test(name))) && !excluded.some((re) => re.test(name));
}
