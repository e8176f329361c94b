import { isMeasured } from './load.js';
import type { SizeResult, Target } from './report.js';

const pct = (ratio: number) => `${Math.round(ratio * 100)}%`;

/**
 * Issue 16's restatement of the nginx target: index.yaml at ≥ 0.8× the req/s of node:http alone
 * serving the same bytes, plain and gzip, at every size. Fastify alone (one route, no hooks) is
 * shown beside it: the part of the gap that is the framework's and not Charthouse's.
 */
export function nodeHttpTarget(sizes: SizeResult[]): Target {
  const target =
    'index.yaml ≥ 80% of the req/s of node:http alone serving the same bytes (plain and gzip, every size)';
  const measured = sizes.flatMap((s) =>
    isMeasured(s.nodeHttp) && isMeasured(s.indexPlain) && isMeasured(s.indexGzip)
      ? [{ s, node: s.nodeHttp }]
      : [],
  );
  if (measured.length !== sizes.length || measured.length === 0)
    return { target, measured: 'not measured', result: 'SKIPPED' };
  const parts = measured.map(({ s, node }) => {
    const plain = (isMeasured(s.indexPlain) ? s.indexPlain.rps.median : 0) / node.plain.rps.median;
    const gzip = (isMeasured(s.indexGzip) ? s.indexGzip.rps.median : 0) / node.gzip.rps.median;
    const bare = isMeasured(s.fastifyBare)
      ? ` (fastify alone: ${pct(s.fastifyBare.plain.rps.median / node.plain.rps.median)} / ${pct(s.fastifyBare.gzip.rps.median / node.gzip.rps.median)})`
      : '';
    return { ok: plain >= 0.8 && gzip >= 0.8, text: `${s.versions}: ${pct(plain)} / ${pct(gzip)}${bare}` };
  });
  return {
    target,
    measured: parts.map((p) => p.text).join('; '),
    result: parts.every((p) => p.ok) ? 'PASS' : 'MISS',
  };
}
