import { T } from './type-builder.js';

const tags = ['server'];
const Failed = T.Object({ check: T.String(), message: T.String() }, { additionalProperties: false });
const Readiness = T.Object({ ready: T.Boolean(), failed: T.Array(Failed) }, { additionalProperties: false });

/** The routes outside any repository: liveness, readiness, version, metrics. */
export const serverSchemas = {
  health: {
    summary: 'Liveness: the process answers',
    tags,
    response: { 200: T.Object({ healthy: T.Literal(true) }, { additionalProperties: false }) },
  },
  info: {
    summary: 'The server version',
    tags,
    response: { 200: T.Object({ version: T.String() }, { additionalProperties: false }) },
  },
  ready: {
    summary: 'Readiness: the database answers, migrations are current, the blob store takes a write',
    tags,
    response: { 200: Readiness, 503: Readiness },
  },
  metrics: {
    summary: 'Prometheus metrics',
    tags,
    response: {
      200: { description: 'the text exposition format', content: { 'text/plain': { schema: T.String() } } },
    },
  },
};
