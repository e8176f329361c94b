import semver from 'semver';

/**
 * Helm validates chart versions with Masterminds/semver's lenient parser: a leading `v`, and a
 * missing minor or patch, are accepted (`v1.2`, `1`). We accept exactly that grammar and compare
 * with node-semver after filling in the missing parts.
 */
const HELM_VERSION =
  /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

export const MAX_VERSION_LENGTH = 128;

export function toSemver(version: string): semver.SemVer | undefined {
  if (version.length > MAX_VERSION_LENGTH) return undefined;
  const m = HELM_VERSION.exec(version);
  if (!m) return undefined;
  const [, major = '0', minor = '0', patch = '0', pre, build] = m;
  const prerelease = pre?.split('.') ?? [];
  // Masterminds rejects numeric prerelease identifiers with leading zeros, as SemVer 2 does.
  if (prerelease.some((id) => /^0\d+$/.test(id))) return undefined;
  const normalized = `${BigInt(major)}.${BigInt(minor)}.${BigInt(patch)}${pre ? `-${pre}` : ''}${build ? `+${build}` : ''}`;
  try {
    return new semver.SemVer(normalized);
  } catch {
    return undefined;
  }
}

export function isValidVersion(version: string): boolean {
  return toSemver(version) !== undefined;
}

/** Newest first; versions that do not parse go last, then plain string order keeps it total. */
export function compareVersionsDesc(a: string, b: string): number {
  return compareParsedDesc(a, toSemver(a), b, toSemver(b));
}

function compareParsedDesc(
  a: string,
  va: semver.SemVer | undefined,
  b: string,
  vb: semver.SemVer | undefined,
) {
  if (va && vb) {
    const byPrecedence = semver.compareBuild(vb, va);
    if (byPrecedence !== 0) return byPrecedence;
  } else if (va || vb) {
    return va ? -1 : 1;
  }
  return a < b ? 1 : a > b ? -1 : 0;
}

/** Newest first, as compareVersionsDesc orders; each version is parsed once, not at every comparison. */
export function sortVersionsDesc<T>(items: T[], versionOf: (item: T) => string): T[] {
  const keyed = items.map((item) => {
    const version = versionOf(item);
    return { item, version, parsed: toSemver(version) };
  });
  keyed.sort((x, y) => compareParsedDesc(x.version, x.parsed, y.version, y.parsed));
  return keyed.map((k) => k.item);
}

export function isPrerelease(version: string): boolean {
  return (toSemver(version)?.prerelease.length ?? 0) > 0;
}

export type Resolution = { version: string } | { error: string } | undefined;

/**
 * Resolves a version reference against the stored versions: the exact string first, then
 * `latest` (the highest version that is not a prerelease), then a SemVer range (`^1.2`).
 */
export function resolveVersion(stored: string[], reference: string): Resolution {
  if (stored.includes(reference)) return { version: reference };
  return resolveInOrder(
    sortVersionsDesc(stored, (v) => v),
    reference,
  );
}

/** resolveVersion over versions already newest first (the store's order), once no stored version is `reference` itself. */
export function resolveInOrder(sorted: string[], reference: string): Resolution {
  if (reference === 'latest') {
    const found = sorted.find((v) => toSemver(v) !== undefined && !isPrerelease(v));
    return found === undefined ? undefined : { version: found };
  }
  const exact = toSemver(reference);
  // Only a full version names one version (`1.2.3` finds a stored `v1.2.3`); a partial one such as
  // `1.2` is the range 1.2.x, as Helm's Masterminds constraints read it.
  if (exact && /^v?\d+\.\d+\.\d+/.test(reference)) {
    const same = sorted.find((v) => {
      const parsed = toSemver(v);
      return parsed !== undefined && semver.compareBuild(parsed, exact) === 0;
    });
    if (same !== undefined) return { version: same };
  }
  if (semver.validRange(reference) === null) {
    return exact ? undefined : { error: `"${reference}" is neither a version nor a SemVer range` };
  }
  const found = sorted.find((v) => {
    const parsed = toSemver(v);
    return parsed !== undefined && semver.satisfies(parsed, reference);
  });
  return found === undefined ? undefined : { version: found };
}
