import { aliasBomb, chartWithYaml, gzipBomb, gzipTar, makeChart, tarBomb } from './archives.js';
import type { HostileCase } from './corpus.js';
import { postChart } from './requests.js';

const chartYaml = 'apiVersion: v2\nname: mychart\nversion: 1.0.0\n';
const withChart = (entries: Parameters<typeof gzipTar>[0]) =>
  gzipTar([{ name: 'mychart/Chart.yaml', body: chartYaml }, ...entries]);
const longText = (length: number) => 'x'.repeat(length);

/** Hostile chart packages, each pushed as a raw POST /api/charts body. */
export const archiveCases: HostileCase[] = [
  {
    name: 'an archive entry climbing out with ../',
    send: postChart(() => withChart([{ name: 'mychart/../../../etc/cron.d/evil', body: 'x' }])),
    status: 400,
    error: /illegally references a parent directory/,
  },
  {
    name: 'an archive entry that is only ..',
    send: postChart(() => withChart([{ name: 'mychart/templates/../../..', body: 'x' }])),
    status: 400,
    error: /illegally references a parent directory/,
  },
  {
    name: 'an absolute archive entry',
    send: postChart(() => withChart([{ name: '/etc/passwd', body: 'root::0:0::/:/bin/sh' }])),
    status: 400,
    error: /illegally contains an absolute path: \/etc\/passwd/,
  },
  {
    name: 'an archive entry with backslashes',
    send: postChart(() => withChart([{ name: 'mychart\\..\\..\\evil.txt', body: 'x' }])),
    status: 400,
    error: /illegally named file/,
  },
  {
    name: 'an archive entry with a Windows drive letter',
    send: postChart(() => withChart([{ name: 'C:/Windows/evil.txt', body: 'x' }])),
    status: 400,
    error: /illegally named file/,
  },
  {
    name: 'a file beside the chart directory',
    send: postChart(() => withChart([{ name: 'other/evil.txt', body: 'x' }])),
    status: 400,
    error: /single top-level directory/,
  },
  {
    name: 'a symlink to /etc/passwd',
    send: postChart(() =>
      withChart([{ name: 'mychart/values.yaml', type: 'symlink', linkname: '/etc/passwd' }]),
    ),
    status: 400,
    error: /contains a link, which is not allowed: mychart\/values\.yaml/,
  },
  {
    name: 'a symlink climbing out with ../',
    send: postChart(() => withChart([{ name: 'mychart/templates', type: 'symlink', linkname: '../../..' }])),
    status: 400,
    error: /contains a link/,
  },
  {
    name: 'a hardlink to a file outside the archive',
    send: postChart(() =>
      withChart([{ name: 'mychart/secret', type: 'link', linkname: '../../../etc/shadow' }]),
    ),
    status: 400,
    error: /contains a link/,
  },
  {
    name: 'a character device',
    send: postChart(() => withChart([{ name: 'mychart/null', type: 'character-device' }])),
    status: 400,
    error: /special file \(character-device\)/,
  },
  {
    name: 'a fifo',
    send: postChart(() => withChart([{ name: 'mychart/pipe', type: 'fifo' }])),
    status: 400,
    error: /special file \(fifo\)/,
  },
  {
    name: 'directories nested 100 deep',
    send: postChart(() => withChart([{ name: `mychart/${'d/'.repeat(100)}f.txt`, body: 'x' }])),
    status: 400,
    error: /nests directories too deeply/,
  },
  {
    name: 'an entry path of 5,000 characters',
    send: postChart(() => withChart([{ name: `mychart/${longText(5000)}`, body: 'x' }])),
    status: 400,
    error: /path that is too long/,
  },
  {
    name: 'a gzip bomb: 160 MiB of files under the per-file limit in 200 KiB',
    send: postChart(() => gzipBomb(40)),
    status: 400,
    error: /larger than 104857600 bytes when decompressed/,
  },
  {
    name: 'a tar bomb: one file of 256 MiB in 300 KiB',
    send: postChart(() => tarBomb(256)),
    status: 400,
    error: /bomb\/huge\.bin is larger than the 5242880-byte limit for one file/,
  },
  {
    name: 'a YAML alias bomb in Chart.yaml',
    send: postChart(() => chartWithYaml(aliasBomb('apiVersion: v2\nname: mychart\nversion: 1.0.0\n'))),
    status: 400,
    error: /Chart\.yaml is too large or too deeply aliased/,
  },
  {
    name: 'a YAML alias bomb in values.yaml',
    send: postChart(() => makeChart({ values: aliasBomb('') })),
    status: 400,
    error: /values\.yaml is too large or too deeply aliased/,
  },
  {
    name: 'a Chart.yaml of 6 MiB',
    send: postChart(() => chartWithYaml(`${chartYaml}description: ${longText(6 * 1024 * 1024)}\n`)),
    status: 400,
    error: /mychart\/Chart\.yaml is larger than the 5242880-byte limit for one file/,
  },
  {
    name: 'a Chart.yaml of 200,000 keys, under the file limit',
    send: postChart(() =>
      chartWithYaml(
        `${chartYaml}annotations:\n${Array.from({ length: 200_000 }, (_, i) => `  k${i}: v`).join('\n')}\n`,
      ),
    ),
    status: 400,
    error: /Chart\.yaml is too large or too deeply aliased/,
  },
  {
    name: 'invalid UTF-8 in Chart.yaml',
    send: postChart(() =>
      chartWithYaml(
        Buffer.concat([
          Buffer.from(`${chartYaml}description: `),
          Buffer.from([0xc3, 0x28, 0xff]),
          Buffer.from('\n'),
        ]),
      ),
    ),
    status: 400,
    error: /Chart\.yaml is not valid UTF-8/,
  },
  {
    name: 'invalid UTF-8 in the chart name',
    send: postChart(() =>
      chartWithYaml(
        Buffer.concat([
          Buffer.from('apiVersion: v2\nversion: 1.0.0\nname: my'),
          Buffer.from([0xe2, 0x82]),
          Buffer.from('\n'),
        ]),
      ),
    ),
    status: 400,
    error: /Chart\.yaml is not valid UTF-8/,
  },
  {
    name: 'a chart name of 10,000 characters',
    send: postChart(() => chartWithYaml(`apiVersion: v2\nname: ${longText(10_000)}\nversion: 1.0.0\n`)),
    status: 400,
    error: /chart name is longer than 250 characters/,
  },
  {
    name: 'a chart version of 10,000 characters',
    send: postChart(() =>
      chartWithYaml(`apiVersion: v2\nname: mychart\nversion: 1.0.0-${longText(10_000)}\n`),
    ),
    status: 400,
    error: /chart version is longer than 128 characters/,
  },
  {
    name: 'a chart named ../../etc',
    send: postChart(() => chartWithYaml('apiVersion: v2\nname: ../../etc\nversion: 1.0.0\n')),
    status: 400,
    error: /chart name "\.\.\/\.\.\/etc" is invalid/,
  },
  {
    name: 'a chart named ..',
    send: postChart(() => chartWithYaml('apiVersion: v2\nname: ".."\nversion: 1.0.0\n')),
    status: 400,
    error: /chart name "\.\." is invalid/,
  },
  {
    name: 'a chart name with a NUL byte',
    send: postChart(() => chartWithYaml('apiVersion: v2\nname: "my\\0chart"\nversion: 1.0.0\n')),
    status: 400,
    error: /chart name .* is invalid/,
  },
  {
    name: 'a truncated gzip stream',
    send: postChart(async () => {
      const good = await makeChart();
      return good.subarray(0, Math.floor(good.length / 2));
    }),
    status: 400,
    error: /truncated or corrupt/,
  },
  {
    name: 'a package with garbage after its gzip stream',
    send: postChart(async () => Buffer.concat([await makeChart(), Buffer.from('#!/bin/sh\nrm -rf /\n')])),
    status: 400,
    error: /data after the end of its gzip stream/,
  },
  {
    name: 'a tar that is not gzipped',
    send: postChart(async () => (await import('node:zlib')).gunzipSync(await makeChart())),
    status: 400,
    error: /not gzip-compressed/,
  },
  {
    name: 'gzipped bytes that are not a tar',
    send: postChart(async () => (await import('node:zlib')).gzipSync(Buffer.alloc(4096, 0x41))),
    status: 400,
    error: /not a valid tar archive/,
  },
  {
    name: 'an empty body',
    send: postChart(''),
    status: 400,
    error: /the chart package is empty/,
  },
];
