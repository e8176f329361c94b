import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { ArchiveError, type ArchiveLimits, readChartArchive } from '../../src/charts/archive.js';
import { loadChart } from '../../src/charts/load-chart.js';
import { RegistryError } from '../../src/errors.js';
import { gzipTar, makeChart, type TarEntry } from '../support/make-chart.js';

const MiB = 1024 * 1024;
const limits: ArchiveLimits = { maxDecompressedSize: MiB, maxFileSize: 1024 };
const CHART_YAML = 'apiVersion: v2\nname: mychart\nversion: 0.1.0\n';

function read(bytes: Buffer, custom: ArchiveLimits = limits) {
  return readChartArchive(Readable.from([bytes]), custom);
}

async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ArchiveError, `expected an ArchiveError, got ${String(err)}`);
    assert.match(err.message, pattern);
    return true;
  });
}

/** A chart directory with a Chart.yaml, followed by the given entries. */
function withChart(...extra: TarEntry[]): Promise<Buffer> {
  return gzipTar([{ name: 'mychart/Chart.yaml', body: CHART_YAML }, ...extra]);
}

describe('readChartArchive', () => {
  test('a valid chart keeps Chart.yaml, values.yaml and README.md and skips the other files', async () => {
    const bytes = await makeChart({
      values: 'replicaCount: 3\n',
      readme: '# My chart\n',
      files: { 'templates/service.yaml': 'kind: Service\n', 'NOTES.txt': 'hello\n' },
    });
    const archive = await read(bytes);
    assert.deepEqual(Object.keys(archive).sort(), ['chartYaml', 'readme', 'valuesYaml']);
    assert.match(archive.chartYaml, /^name: mychart$/m);
    assert.match(archive.chartYaml, /^version: 0\.1\.0$/m);
    assert.equal(archive.valuesYaml, 'replicaCount: 3\n');
    assert.equal(archive.readme, '# My chart\n');
  });

  test('a chart without values.yaml or a README returns only Chart.yaml', async () => {
    const archive = await read(await withChart({ name: 'mychart/templates/a.yaml', body: 'kind: A\n' }));
    assert.deepEqual(archive, { chartYaml: CHART_YAML });
  });

  test('README.md, values.yaml and Chart.yaml inside subdirectories are not taken for the chart files', async () => {
    const archive = await read(
      await withChart(
        { name: 'mychart/templates/README.md', body: 'not the readme' },
        { name: 'mychart/charts/sub/values.yaml', body: 'sub: true\n' },
        { name: 'mychart/charts/sub/Chart.yaml', body: 'name: sub\nversion: 1.0.0\n' },
      ),
    );
    assert.deepEqual(archive, { chartYaml: CHART_YAML });
  });

  test('the top-level directory may have any name', async () => {
    const archive = await read(await makeChart({ dir: 'whatever-dir', readme: 'hi' }));
    assert.match(archive.chartYaml, /^name: mychart$/m);
    assert.equal(archive.readme, 'hi');
  });

  test('a leading ./ on every path is tolerated', async () => {
    const archive = await read(
      await gzipTar([
        { name: './mychart/Chart.yaml', body: CHART_YAML },
        { name: './mychart/values.yaml', body: 'a: 1\n' },
      ]),
    );
    assert.deepEqual(archive, { chartYaml: CHART_YAML, valuesYaml: 'a: 1\n' });
  });

  test('directory entries are skipped', async () => {
    const archive = await read(
      await gzipTar([
        { name: 'mychart/', type: 'directory' },
        { name: 'mychart/templates/', type: 'directory' },
        { name: 'mychart/Chart.yaml', body: CHART_YAML },
      ]),
    );
    assert.deepEqual(archive, { chartYaml: CHART_YAML });
  });

  test('bytes that are not gzip are rejected', async () => {
    await rejectsWith(read(Buffer.from('this is plain text, not a chart package')), /not gzip-compressed/);
  });

  test('gzip of bytes that are not a tar archive is rejected', async () => {
    await rejectsWith(read(gzipSync(Buffer.from('hello world\n'.repeat(200)))), /not a valid tar archive/);
  });

  test('a truncated package is rejected', async () => {
    const bytes = await makeChart();
    await rejectsWith(read(bytes.subarray(0, Math.floor(bytes.length / 2))), /truncated or corrupt/);
  });

  test('an archive with no entries is rejected', async () => {
    await rejectsWith(read(await gzipTar([])), /holds no files/);
  });

  test('an absolute path is rejected', async () => {
    await rejectsWith(
      read(await gzipTar([{ name: '/mychart/Chart.yaml', body: CHART_YAML }])),
      /absolute path: \/mychart\/Chart\.yaml/,
    );
  });

  test('a path with a .. segment is rejected', async () => {
    await rejectsWith(
      read(await withChart({ name: 'mychart/../../etc/passwd', body: 'x' })),
      /parent directory: mychart\/\.\.\/\.\.\/etc\/passwd/,
    );
  });

  test('a path starting with a Windows drive letter is rejected', async () => {
    await rejectsWith(
      read(await gzipTar([{ name: 'C:/mychart/Chart.yaml', body: CHART_YAML }])),
      /illegally named file: C:\/mychart\/Chart\.yaml/,
    );
  });

  test('a path with a backslash is rejected', async () => {
    await rejectsWith(
      read(await withChart({ name: 'mychart\\templates\\a.yaml', body: 'x' })),
      /illegally named file/,
    );
  });

  test('a symlink in the archive is rejected', async () => {
    await rejectsWith(
      read(await withChart({ name: 'mychart/values.yaml', type: 'symlink', linkname: '/etc/passwd' })),
      /link, which is not allowed: mychart\/values\.yaml/,
    );
  });

  test('a hard link in the archive is rejected', async () => {
    await rejectsWith(
      read(await withChart({ name: 'mychart/copy.yaml', type: 'link', linkname: 'mychart/Chart.yaml' })),
      /link, which is not allowed: mychart\/copy\.yaml/,
    );
  });

  test('a character device in the archive is rejected', async () => {
    await rejectsWith(
      read(await withChart({ name: 'mychart/tty', type: 'character-device' })),
      /special file \(character-device\).*mychart\/tty/,
    );
  });

  test('a fifo in the archive is rejected', async () => {
    await rejectsWith(
      read(await withChart({ name: 'mychart/pipe', type: 'fifo' })),
      /special file \(fifo\).*mychart\/pipe/,
    );
  });

  test('two top-level directories are rejected', async () => {
    await rejectsWith(
      read(await withChart({ name: 'other/Chart.yaml', body: CHART_YAML })),
      /single top-level directory/,
    );
  });

  test('Chart.yaml at the archive root is rejected', async () => {
    await rejectsWith(
      read(await gzipTar([{ name: 'Chart.yaml', body: CHART_YAML }])),
      /Chart\.yaml is not in the chart directory/,
    );
  });

  test('a file at the archive root is rejected', async () => {
    await rejectsWith(
      read(await gzipTar([{ name: 'values.yaml', body: 'a: 1\n' }])),
      /outside the chart directory/,
    );
  });

  test('a chart without Chart.yaml is rejected', async () => {
    await rejectsWith(
      read(await gzipTar([{ name: 'mychart/values.yaml', body: 'a: 1\n' }])),
      /Chart\.yaml is missing/,
    );
  });

  test('a chart holding Chart.yaml twice is rejected', async () => {
    await rejectsWith(
      read(await withChart({ name: 'mychart/Chart.yaml', body: 'name: evil\nversion: 6.6.6\n' })),
      /Chart\.yaml twice/,
    );
  });

  test('a second Chart.yaml spelled with ./ is still a duplicate', async () => {
    await rejectsWith(
      read(await withChart({ name: 'mychart/./Chart.yaml', body: 'name: evil\nversion: 6.6.6\n' })),
      /Chart\.yaml twice/,
    );
  });

  test('a file larger than maxFileSize is rejected', async () => {
    await rejectsWith(
      read(await withChart({ name: 'mychart/templates/big.yaml', body: 'x'.repeat(1025) })),
      /mychart\/templates\/big\.yaml is larger than the 1024-byte limit/,
    );
  });

  test('a file of exactly maxFileSize is accepted', async () => {
    const archive = await read(await withChart({ name: 'mychart/values.yaml', body: 'x'.repeat(1024) }));
    assert.equal(archive.valuesYaml?.length, 1024);
  });

  test('a gzip bomb over maxDecompressedSize is rejected', async () => {
    const bomb = await withChart({ name: 'mychart/zeros.bin', body: Buffer.alloc(3 * MiB) });
    assert.ok(bomb.length < 64 * 1024, `the bomb should compress well, got ${bomb.length} bytes`);
    await rejectsWith(
      read(bomb, { maxDecompressedSize: MiB, maxFileSize: 16 * MiB }),
      /larger than 1048576 bytes when decompressed/,
    );
  });

  test('a kept file that inflates past maxDecompressedSize is rejected', async () => {
    const bomb = await withChart({ name: 'mychart/values.yaml', body: Buffer.alloc(3 * MiB) });
    await rejectsWith(
      read(bomb, { maxDecompressedSize: MiB, maxFileSize: 16 * MiB }),
      /larger than 1048576 bytes when decompressed/,
    );
  });

  test('directories nested more than 64 levels deep are rejected', async () => {
    const deep = `mychart/${'d/'.repeat(65)}file.txt`;
    await rejectsWith(read(await withChart({ name: deep, body: 'x' })), /nests directories too deeply/);
  });

  test('a path of 64 segments is accepted', async () => {
    const name = `mychart/${'d/'.repeat(62)}file.txt`;
    assert.equal(name.split('/').length, 64);
    const archive = await read(await withChart({ name, body: 'x' }));
    assert.equal(archive.chartYaml, CHART_YAML);
  });

  test('a path longer than 1024 characters is rejected', async () => {
    await rejectsWith(
      read(await withChart({ name: `mychart/${'x'.repeat(1100)}`, body: 'x' })),
      /path that is too long/,
    );
  });

  test('a file name with a NUL byte is rejected', async () => {
    // A ustar name field ends at the first NUL, so the name travels in a PAX header.
    const pack = tar.pack();
    const chunks: Buffer[] = [];
    const collected = (async () => {
      for await (const chunk of pack) chunks.push(chunk as Buffer);
    })();
    pack.entry({ name: 'mychart/Chart.yaml' }, CHART_YAML);
    pack.entry({ name: 'mychart/evil\0.yaml', pax: {} }, 'x');
    pack.finalize();
    await collected;
    await rejectsWith(read(gzipSync(Buffer.concat(chunks))), /NUL byte/);
  });
});

describe('loadChart', () => {
  async function rejectsInvalid(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
    await assert.rejects(promise, (err: unknown) => {
      assert.ok(err instanceof RegistryError, `expected a RegistryError, got ${String(err)}`);
      assert.equal(err.code, 'CHART_INVALID');
      assert.match(err.message, pattern);
      return true;
    });
  }

  test('a valid chart gives its metadata, values and README', async () => {
    const loaded = await loadChart(
      Readable.from([
        await makeChart({ name: 'web', version: '1.2.3', readme: 'Read me', values: 'a: 1\n' }),
      ]),
      limits,
    );
    assert.deepEqual(loaded, {
      metadata: {
        apiVersion: 'v2',
        name: 'web',
        version: '1.2.3',
        description: 'The web chart',
        type: 'application',
      },
      values: 'a: 1\n',
      readme: 'Read me',
    });
  });

  test('the chart name comes from Chart.yaml, not from the top-level directory', async () => {
    const loaded = await loadChart(
      Readable.from([await makeChart({ name: 'web', dir: 'build-output' })]),
      limits,
    );
    assert.equal(loaded.metadata.name, 'web');
  });

  test('an archive problem becomes CHART_INVALID with the reason', async () => {
    await rejectsInvalid(
      loadChart(
        Readable.from([await withChart({ name: 'mychart/l', type: 'symlink', linkname: 'x' })]),
        limits,
      ),
      /link, which is not allowed/,
    );
  });

  test('a Chart.yaml problem becomes CHART_INVALID with the reason', async () => {
    await rejectsInvalid(
      loadChart(Readable.from([await makeChart({ chartYaml: 'name: mychart\n' })]), limits),
      /version is required/,
    );
  });

  test('a values.yaml that does not parse is CHART_INVALID naming values.yaml', async () => {
    await rejectsInvalid(
      loadChart(Readable.from([await makeChart({ values: 'a: [unclosed\nb: {\n' })]), limits),
      /values\.yaml is not valid YAML/,
    );
  });

  test('a values.yaml with a UTF-8 BOM is accepted', async () => {
    const loaded = await loadChart(Readable.from([await makeChart({ values: '\uFEFFa: 1\n' })]), limits);
    assert.equal(loaded.values, '\uFEFFa: 1\n');
  });
});
