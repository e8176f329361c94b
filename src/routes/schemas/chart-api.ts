import { STREAMED_BODY } from '../lazy-schema-compilers.js';
import { ChartVersion, errors, Provenance, repositoryParams } from './chartmuseum.js';
import { NoBody, prebuiltJson } from './classic-repo.js';
import { T } from './type-builder.js';

const tags = ['chart API'];
/** what any route with `config.access` may answer before its handler runs */
const denied = [401, 403];

const Repository = T.Object(
  { path: T.String(), charts: T.Integer(), versions: T.Integer(), updated: T.String() },
  { additionalProperties: false },
);

export const repositoriesSchema = {
  summary: 'Every repository (that the caller may read), with its chart and version counts',
  tags,
  response: {
    200: T.Object({ repositories: T.Array(Repository) }, { additionalProperties: false }),
    ...errors(401),
  },
};

export const listChartsSchema = (depth: number) => ({
  summary: "The repository's charts, each with its versions newest first",
  tags,
  params: repositoryParams(depth),
  // strings, read by the handler: its messages for a bad number are the API's (QUERY_INVALID)
  querystring: T.Object({
    offset: T.Optional(T.String({ description: 'chart names to skip (a whole number)' })),
    limit: T.Optional(T.String({ description: 'chart names to list (a positive whole number)' })),
  }),
  response: { 200: T.Record(T.String(), T.Array(ChartVersion)), ...errors(400, ...denied, 404) },
});

export const chartSchema = (depth: number) => ({
  summary: "A chart's versions, newest first",
  tags,
  params: repositoryParams(depth, { name: T.String({ description: 'the chart name' }) }),
  response: {
    200: prebuiltJson(T.Array(ChartVersion), "the chart's versions"),
    304: NoBody('the client holds the current list (If-None-Match)'),
    ...errors(...denied, 404),
  },
});

const VersionWithProvenance = T.Object(
  { ...ChartVersion.properties, provenance: T.Optional(Provenance) },
  { additionalProperties: false },
);

export const versionSchema = (depth: number) => ({
  summary: 'One version: an exact version, `latest`, or a SemVer range',
  tags,
  params: repositoryParams(depth, {
    name: T.String({ description: 'the chart name' }),
    version: T.String({ description: 'a version, `latest` or a range such as `^1.2`' }),
  }),
  response: {
    200: prebuiltJson(VersionWithProvenance, 'the version, with its provenance file when it has one'),
    ...errors(...denied, 404),
  },
});

const file = (description: string) => T.String({ format: 'binary', description, [STREAMED_BODY]: true });

export const uploadSchema = (depth: number, kind: 'chart' | 'provenance') => ({
  summary:
    kind === 'chart'
      ? 'Upload a chart package, with its provenance file or without'
      : 'Upload a provenance file for a stored version',
  tags,
  params: repositoryParams(depth),
  querystring: T.Object({
    force: T.Optional(T.String({ description: 'present: replace a stored version (whatever its value)' })),
  }),
  body: {
    content: {
      'multipart/form-data': {
        schema: T.Object(
          {
            chart: T.Optional(file('the package (.tgz); the field name is --chart-post-form-field-name')),
            prov: T.Optional(file('the provenance file; the field name is --prov-post-form-field-name')),
          },
          { [STREAMED_BODY]: true },
        ),
      },
      'application/octet-stream': { schema: file(`the ${kind} file as the whole body`) },
    },
  },
  response: {
    201: T.Object({ saved: T.Literal(true) }, { additionalProperties: false }),
    ...errors(400, ...denied, 409, 413, 429, 503, 507),
  },
});

export const deleteSchema = (depth: number) => ({
  summary: 'Delete a version, with its provenance file',
  tags,
  params: repositoryParams(depth, { name: T.String(), version: T.String() }),
  response: {
    200: T.Object({ deleted: T.Literal(true) }, { additionalProperties: false }),
    ...errors(400, ...denied, 404),
  },
});
