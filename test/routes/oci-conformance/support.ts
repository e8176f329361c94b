// Shared by the files of this folder: our port of the distribution-spec conformance workflows
// (reference §9) with generic image manifests, one file per spec area. Chart manifests and the
// cross-protocol cases are in ../oci-charts.test.ts.
import assert from 'node:assert/strict';

export type Res = { status: number; headers: Record<string, string>; body: unknown; text: string };

/** An OCI error answer: the status, the spec code, a message, and JSON. */
export function assertError(res: Res, status: number, code: string) {
  assert.equal(res.status, status, res.text);
  const body = res.body as { errors: Array<{ code: string; message: string }> };
  assert.equal(body.errors[0]?.code, code, res.text);
  assert.ok((body.errors[0]?.message ?? '').length > 0);
  assert.match(res.headers['content-type'] ?? '', /^application\/json/);
}

/** A digest no test ever stores. */
export const missing = `sha256:${'0'.repeat(64)}`;
