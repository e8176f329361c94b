import type { RepositorySettings } from './repository-settings.js';
import { formatAge } from './retention-rule.js';

/** Settings as the API and `--json` show them: max age as a duration such as `90d`. */
export function showSettings(settings: RepositorySettings) {
  const { retention, ...rest } = settings;
  if (!retention) return rest;
  const { maxAgeMs, ...counts } = retention;
  return {
    ...rest,
    retention: { ...counts, ...(maxAgeMs !== undefined && { maxAge: formatAge(maxAgeMs) }) },
  };
}
