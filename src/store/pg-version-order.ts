import { toSemver } from '../charts/versions.js';

/*
 * A version as a text whose byte order (COLLATE "C") is the order compareVersionsDesc gives, read
 * backwards: SQLite migration 003's chart_version_sort computed in JS. Each number is its digit
 * count (3 digits) then its digits; a release sorts above its prereleases ('~' above '!');
 * prerelease identifiers compare numerically ('0' + number) below alphanumerics ('1' + text),
 * \x02 between identifiers; then, after \x01, build metadata the same way (none below any, as
 * node-semver's compareBuild has it); then, after \x01, the raw version, which only breaks what is
 * left (a leading "v"). Versions that do not parse sort below every version that does.
 */

const number = (digits: string) => {
  const bare = BigInt(digits).toString();
  return String(bare.length).padStart(3, '0') + bare;
};

const identifiers = (ids: readonly (string | number)[]) =>
  ids.map((id) => (/^\d+$/.test(String(id)) ? `0${number(String(id))}` : `1${id}`)).join('\x02');

export function versionSortKey(version: string): string {
  const parsed = toSemver(version);
  if (!parsed) return `0\x01${version}`;
  const core = [parsed.major, parsed.minor, parsed.patch].map((n) => number(String(n))).join('');
  const pre = parsed.prerelease.length === 0 ? '~' : `!${identifiers(parsed.prerelease)}`;
  const build = parsed.build.length === 0 ? '' : `\x03${identifiers(parsed.build)}`;
  return `1${core}${pre}\x01${build}\x01${version}`;
}
