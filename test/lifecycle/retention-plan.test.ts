import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planRetention } from '../../src/lifecycle/retention-plan.js';
import { readRetentionRule } from '../../src/lifecycle/retention-rule.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T00:00:00Z');
const v = (name: string, version: string, daysOld = 0) => ({
  name,
  version,
  created: new Date(NOW - daysOld * DAY).toISOString(),
});
const names = (removed: Array<{ name: string; version: string }>) =>
  removed.map((r) => `${r.name}@${r.version}`);

test('keep-last keeps the N highest releases of each chart by SemVer, not by push order', () => {
  const versions = [
    v('web', '1.10.0'),
    v('web', '1.9.0'),
    v('web', '1.2.0'),
    v('web', '2.0.0'),
    v('db', '0.1.0'),
  ];
  assert.deepEqual(names(planRetention(versions, { keepLast: 2 }, NOW)), ['web@1.9.0', 'web@1.2.0']);
});

test('prereleases are ranked apart, and keep as many as keep-last unless --keep-prereleases says', () => {
  const versions = [
    v('web', '1.0.0'),
    v('web', '0.9.0'),
    v('web', '1.1.0-rc.2'),
    v('web', '1.1.0-rc.10'),
    v('web', '1.1.0-rc.1'),
  ];
  assert.deepEqual(names(planRetention(versions, { keepLast: 1 }, NOW)), [
    'web@1.1.0-rc.2',
    'web@1.1.0-rc.1',
    'web@0.9.0',
  ]);
  assert.deepEqual(names(planRetention(versions, { keepLast: 1, keepPrereleases: 0 }, NOW)), [
    'web@1.1.0-rc.10',
    'web@1.1.0-rc.2',
    'web@1.1.0-rc.1',
    'web@0.9.0',
  ]);
  assert.deepEqual(names(planRetention(versions, { keepLast: 2, keepPrereleases: 3 }, NOW)), []);
});

test('--max-age spares the versions beyond the counts until they are older than it', () => {
  const versions = [
    v('web', '3.0.0', 200),
    v('web', '2.0.0', 100),
    v('web', '1.0.0', 10),
    v('web', '0.1.0', 120),
  ];
  // 3.0.0 is the highest release: kept however old; 1.0.0 is young; 2.0.0 and 0.1.0 are old
  assert.deepEqual(names(planRetention(versions, { keepLast: 1, maxAgeMs: 90 * DAY }, NOW)), [
    'web@2.0.0',
    'web@0.1.0',
  ]);
  assert.deepEqual(names(planRetention(versions, { keepLast: 1, maxAgeMs: 365 * DAY }, NOW)), []);
});

test('a chart with fewer versions than the rule keeps them all', () => {
  assert.deepEqual(planRetention([v('web', '1.0.0'), v('web', '1.0.0-rc.1')], { keepLast: 1 }, NOW), []);
});

test('a retention rule is read with clear errors for each bad option', () => {
  assert.deepEqual(readRetentionRule({ keepLast: '5', keepPrereleases: '0', maxAge: '90d' }), {
    keepLast: 5,
    keepPrereleases: 0,
    maxAgeMs: 90 * DAY,
  });
  assert.deepEqual(readRetentionRule({ keepLast: 3 }), { keepLast: 3 });
  const refused = (input: Record<string, unknown>, message: string) =>
    assert.throws(() => readRetentionRule(input), { code: 'SETTING_INVALID', message });
  refused({}, 'a retention rule needs --keep-last N (N ≥ 1)');
  refused({ keepLast: '0' }, '--keep-last must be a whole number from 1 to 100000, not "0"');
  refused({ keepLast: '2.5' }, '--keep-last must be a whole number from 1 to 100000, not "2.5"');
  refused(
    { keepLast: '1', keepPrereleases: '-1' },
    '--keep-prereleases must be a whole number from 0 to 100000, not "-1"',
  );
  refused(
    { keepLast: '1', maxAge: 'soon' },
    '--max-age must be a duration such as 90d, 12h or 30m, not "soon"',
  );
  refused({ keepLast: '1', maxAge: '0d' }, '--max-age must be longer than zero');
});
