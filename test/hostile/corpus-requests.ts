import { createHash } from 'node:crypto';
import { aliasBomb, makeChart, provenance } from './archives.js';
import type { HostileCase } from './corpus.js';
import { del, form, get, postChart, send, withHeaders } from './requests.js';

const hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const long = 'a'.repeat(10_000);
const postProv = (text: string) => send('POST', '/api/prov', text);

/** Paths, headers, forms and provenance files; `base` 1.0.0 is stored in `/` and in `team`. */
export const requestCases: HostileCase[] = [
  // Paths, sent byte for byte: clients would resolve the dot segments before sending.
  {
    name: 'GET of a package named ..%2f..%2fcharthouse.db',
    send: get('/charts/..%2f..%2fcharthouse.db'),
    status: 404,
    error: /\.\.\/\.\.\/charthouse\.db not found in the root repository/,
  },
  {
    name: 'GET with raw ../ segments',
    send: get('/charts/../../charthouse.db'),
    status: 404,
    error: /^not found$/,
  },
  {
    name: 'GET with %2e%2e segments',
    send: get('/charts/%2e%2e/%2e%2e/charthouse.db'),
    status: 404,
    error: /^not found$/,
  },
  {
    name: 'GET with backslashes',
    send: get('/charts/..\\..\\charthouse.db'),
    status: 404,
    error: /not found in the root repository/,
  },
  {
    name: 'GET of a package with a NUL byte (%00) before .prov',
    send: get('/charts/base-1.0.0.tgz%00.prov'),
    status: 404,
    error: /not found in the root repository/,
  },
  { name: 'GET of index.yaml%00', send: get('/index.yaml%00'), status: 404, error: /^not found$/ },
  {
    name: 'GET of an index under a repository named ..%2f..%2fetc',
    send: get('/..%2f..%2fetc/index.yaml'),
    status: 404,
    error: /repository "\.\.\/\.\.\/etc" does not exist/,
  },
  {
    name: 'GET of a chart named ..%2f..%2fetc%2fpasswd',
    send: get('/api/charts/..%2f..%2fetc%2fpasswd'),
    status: 404,
    error: /chart "\.\.\/\.\.\/etc\/passwd" not found/,
  },
  {
    name: 'DELETE of ..%2fbase in the root repository',
    send: del('/api/charts/..%2fbase/1.0.0'),
    status: 404,
    error: /not found/,
  },
  {
    name: 'DELETE through a repository named team%2f..',
    send: del('/api/team%2f../charts/base/1.0.0'),
    status: 400,
    error: /repository "team\/\.\." is not valid/,
  },
  {
    name: 'an upload to a repository named ..%2f..%2ftmp',
    send: postChart(() => makeChart(), '/api/..%2f..%2ftmp/charts'),
    status: 400,
    error: /repository "\.\.\/\.\.\/tmp" is not valid/,
  },
  {
    name: 'a path with invalid UTF-8 (%ff%fe)',
    send: get('/api/charts/%ff%fe'),
    status: 400,
    error: /^the URL path is not valid: it holds a broken %-escape or bytes that are not UTF-8$/,
  },
  {
    name: 'a path with a broken escape (%zz)',
    send: get('/charts/%zz.tgz'),
    status: 400,
    error: /^the URL path is not valid/,
  },
  {
    name: 'a chart name of 10,000 characters in the path',
    send: get(`/api/charts/${long}`),
    status: 414,
    error: /^a segment of the URL path is longer than 512 characters$/,
  },
  {
    name: 'a version of 10,000 characters in a DELETE',
    send: del(`/api/charts/base/${long}`),
    status: 414,
    error: /^a segment of the URL path is longer than 512 characters$/,
  },
  // Header floods: Node refuses them before any handler runs.
  {
    name: 'a request line of 20,000 characters',
    send: get(`/charts/${'a'.repeat(20_000)}.tgz`),
    status: 431,
    error: /Request Header Fields Too Large/,
  },
  {
    name: '2,000 headers',
    send: withHeaders(
      '/health',
      Array.from({ length: 2000 }, (_, i) => `X-Flood-${i}: ${i}`),
    ),
    status: 431,
    error: /Request Header Fields Too Large/,
  },
  {
    name: 'one header of 20,000 bytes',
    send: withHeaders('/health', [`X-Huge: ${'h'.repeat(20_000)}`]),
    status: 431,
    error: /Request Header Fields Too Large/,
  },
  {
    name: 'a header with a NUL byte',
    send: withHeaders('/health', ['X-Nul: a\0b']),
    status: 400,
    error: /Bad Request/,
  },
  // Multipart forms.
  {
    name: 'a form of 300 fields',
    send: form(
      '/api/charts',
      Array.from({ length: 300 }, (_, i) => ({ name: `f${i}`, body: 'x' })),
    ),
    status: 413,
    error: /the form has more fields than the server accepts/,
  },
  {
    name: 'a form of 300 files',
    send: form(
      '/api/charts',
      Array.from({ length: 300 }, (_, i) => ({ name: `f${i}`, filename: `f${i}.tgz`, body: 'x' })),
    ),
    status: 413,
    error: /the form has more files than the server accepts/,
  },
  {
    name: 'a form part with no name',
    send: form('/api/charts', async () => [{ filename: 'mychart-1.0.0.tgz', body: await makeChart() }]),
    status: 400,
    error: /no package or provenance file found in form fields chart and prov/,
  },
  {
    name: 'a form with two chart parts',
    send: form('/api/charts', async () => [
      { name: 'chart', filename: 'a.tgz', body: await makeChart() },
      { name: 'chart', filename: 'b.tgz', body: await makeChart({ version: '2.0.0' }) },
    ]),
    status: 400,
    error: /more than one chart package/,
  },
  {
    name: 'a form cut off in the middle of a part',
    send: form('/api/charts', async () => [{ name: 'chart', filename: 'a.tgz', body: await makeChart() }], {
      truncate: 300,
    }),
    status: 400,
    error: /multipart body is malformed/,
  },
  {
    name: 'a form without a boundary',
    send: send('POST', '/api/charts', 'x', { 'Content-Type': 'multipart/form-data' }),
    status: 400,
    error: /boundary/i,
  },
  // Provenance files.
  {
    name: 'a provenance file that names another chart',
    send: form('/api/charts', async () => {
      const chart = await makeChart({ name: 'mychart', version: '1.0.0' });
      return [
        { name: 'chart', filename: 'mychart-1.0.0.tgz', body: chart },
        {
          name: 'prov',
          filename: 'mychart-1.0.0.tgz.prov',
          body: provenance('other', '1.0.0', { 'other-1.0.0.tgz': hex(chart) }),
        },
      ];
    }),
    status: 400,
    error: /the provenance file is for other 1\.0\.0, but the chart is mychart 1\.0\.0/,
  },
  {
    name: 'a provenance file that signs other bytes than the chart beside it',
    send: form('/api/charts', async () => [
      {
        name: 'chart',
        filename: 'mychart-1.0.0.tgz',
        body: await makeChart({ name: 'mychart', version: '1.0.0' }),
      },
      {
        name: 'prov',
        filename: 'x.prov',
        body: provenance('mychart', '1.0.0', { 'mychart-1.0.0.tgz': hex(Buffer.from('evil')) }),
      },
    ]),
    status: 400,
    error: /signs another package than mychart-1\.0\.0\.tgz/,
  },
  {
    name: 'a provenance file for a stored chart that signs other bytes',
    send: postProv(provenance('base', '1.0.0', { 'base-1.0.0.tgz': hex(Buffer.from('evil')) })),
    status: 400,
    error: /signs another package than base-1\.0\.0\.tgz/,
  },
  {
    name: 'a provenance file naming the chart ../../etc',
    send: postProv(provenance('../../etc', '1.0.0', {})),
    status: 400,
    error: /chart name "\.\.\/\.\.\/etc" is invalid/,
  },
  {
    name: 'a provenance file signing ../base-1.0.0.tgz',
    send: postProv(provenance('base', '1.0.0', { '../base-1.0.0.tgz': hex(Buffer.from('x')) })),
    status: 400,
    error: /lists no sha256 for base-1\.0\.0\.tgz/,
  },
  {
    name: 'a provenance file with a version of 10,000 characters',
    send: postProv(provenance('base', `1.0.0-${long}`, {})),
    status: 400,
    error: /chart version is longer than 128 characters/,
  },
  {
    name: 'a provenance file that is not clear-signed',
    send: postProv('name: base\nversion: 1.0.0\n'),
    status: 400,
    error: /not a provenance file/,
  },
  {
    name: 'a provenance file with a YAML alias bomb',
    send: postProv(
      provenance('base', '1.0.0', {}).replace('apiVersion: v2\n', aliasBomb('apiVersion: v2\n')),
    ),
    status: 400,
    error: /too large or too deeply aliased/,
  },
];
