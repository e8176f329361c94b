import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { loadChart } from '../../src/charts/load-chart.js';
import { chartNameProblem, chartVersionProblem } from '../../src/charts/metadata.js';
import { isRegistryError } from '../../src/errors.js';
import { packTar, type TarEntry } from '../support/make-chart.js';

/**
 * Whatever bytes arrive, loadChart either resolves to a chart whose name and version are valid, or
 * rejects with CHART_INVALID: never another error, never an unhandled one, never a hang.
 */
const limits = { maxDecompressedSize: 1024 * 1024, maxFileSize: 64 * 1024 };
const NUM_RUNS = 200;

async function outcome(bytes: Uint8Array): Promise<'accepted' | 'rejected'> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('loadChart did not settle within 5 s')), 5000);
  });
  try {
    const chart = await Promise.race([loadChart(Readable.from([Buffer.from(bytes)]), limits), hang]);
    assert.equal(chartNameProblem(chart.metadata.name), undefined);
    assert.equal(chartVersionProblem(chart.metadata.version), undefined);
    return 'accepted';
  } catch (err) {
    assert.ok(isRegistryError(err, 'CHART_INVALID'), `rejected with something else: ${String(err)}`);
    return 'rejected';
  } finally {
    clearTimeout(timer);
  }
}

const segment = fc.oneof(
  fc.constantFrom(
    'mychart',
    'Chart.yaml',
    'values.yaml',
    'templates',
    'README.md',
    '..',
    '.',
    '',
    'C:',
    'a\\b',
  ),
  fc.string({ minLength: 1, maxLength: 12 }),
);
const entryName = fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('/'));
const entry: fc.Arbitrary<TarEntry> = fc.record({
  name: fc.oneof(entryName, fc.constant('mychart/Chart.yaml'), fc.constant('/etc/passwd')),
  type: fc.constantFrom('file', 'file', 'file', 'directory', 'symlink', 'link', 'fifo'),
  linkname: fc.constantFrom('../../etc/passwd', 'Chart.yaml'),
  body: fc.oneof(
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    fc.constantFrom('apiVersion: v2\nname: mychart\nversion: 1.0.0\n', 'a: &a [*a]\n', ': : :'),
  ),
});

/** A tar of random entries, gzipped or not, maybe cut short, maybe with bytes after it. */
const archive = fc
  .record({
    entries: fc.array(entry, { maxLength: 6 }),
    gzip: fc.boolean(),
    cut: fc.option(fc.nat(), { nil: undefined }),
    tail: fc.uint8Array({ maxLength: 16 }),
  })
  .map(async ({ entries, gzip, cut, tail }) => {
    const tar = await packTar(entries).catch(() => Buffer.alloc(0));
    let bytes = gzip ? gzipSync(tar) : tar;
    if (cut !== undefined) bytes = bytes.subarray(0, cut % (bytes.length + 1));
    return Buffer.concat([bytes, Buffer.from(tail)]);
  });

test('random bytes, gzipped or not, never crash loadChart', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), fc.boolean(), async (bytes, gzip) => {
      await outcome(gzip ? gzipSync(bytes) : bytes);
    }),
    { numRuns: NUM_RUNS },
  );
});

test('random tar archives (entries, types, links, truncation, trailing bytes) never crash loadChart', async () => {
  await fc.assert(
    fc.asyncProperty(archive, async (built) => {
      await outcome(await built);
    }),
    { numRuns: NUM_RUNS },
  );
});

/** Chart.yaml documents: random text, random YAML values, and near-valid charts with random fields. */
const chartYaml = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.jsonValue({ maxDepth: 3 }).map((value) => yaml.dump(value)),
  fc
    .record(
      {
        apiVersion: fc.constantFrom('v1', 'v2', 'v3', 2),
        name: fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), fc.string({ maxLength: 30 })),
        version: fc.oneof(
          fc.constantFrom('1.0.0', 'v1.2', '1.0.0-rc.1+b', '01.0.0', '1.0.0-01'),
          fc.string({ maxLength: 20 }),
        ),
        description: fc.string({ maxLength: 80 }),
        keywords: fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
        deprecated: fc.constantFrom(true, false, 'yes', 'maybe'),
        maintainers: fc.array(fc.record({ name: fc.string(), email: fc.string() }), { maxLength: 2 }),
        annotations: fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer())),
        dependencies: fc.array(
          fc.record({ name: fc.string({ maxLength: 8 }), version: fc.string({ maxLength: 8 }) }),
          {
            maxLength: 2,
          },
        ),
        type: fc.constantFrom('application', 'library', 'plugin'),
      },
      { requiredKeys: [] },
    )
    .map((doc) => yaml.dump(doc)),
  // A valid chart with random plain fields, so that every run accepts some packages.
  fc
    .record({
      description: fc.stringMatching(/^[A-Za-z0-9 .,]{0,40}$/),
      keywords: fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { maxLength: 3 }),
    })
    .map((fields) => yaml.dump({ apiVersion: 'v2', name: 'mychart', version: '1.0.0', ...fields })),
);

/** values.yaml: random text, or a random map of plain values. */
const valuesYaml = fc.oneof(
  fc.string({ maxLength: 100 }),
  fc
    .dictionary(fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,8}$/), fc.oneof(fc.string(), fc.integer()))
    .map((map) => yaml.dump(map)),
);

test('random Chart.yaml documents in a well-formed package never crash loadChart', async () => {
  const seen = { accepted: 0, rejected: 0 };
  await fc.assert(
    fc.asyncProperty(chartYaml, valuesYaml, async (text, values) => {
      const tgz = gzipSync(
        await packTar([
          { name: 'mychart/Chart.yaml', body: text },
          { name: 'mychart/values.yaml', body: values },
        ]),
      );
      seen[await outcome(tgz)]++;
    }),
    { numRuns: NUM_RUNS },
  );
  // The generator reaches both sides of every check, not only the refusals.
  assert.ok(seen.accepted > 0 && seen.rejected > 0, JSON.stringify(seen));
});
