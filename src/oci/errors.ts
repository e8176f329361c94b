/**
 * Domain errors of the OCI surface. Code under src/oci/ throws OciError with a stable code and a
 * message written for a person; src/routes/oci-error-handler.ts maps each code, in one table, to
 * the distribution-spec error code and HTTP status that go on the wire.
 */
export const ociErrorCodes = {
  BLOB_UNKNOWN: 'blob unknown to registry',
  BLOB_UPLOAD_UNKNOWN: 'blob upload unknown to registry',
  DIGEST_INVALID: 'provided digest did not match uploaded content',
  MANIFEST_BLOB_UNKNOWN: 'manifest references a manifest or blob unknown to registry',
  MANIFEST_INVALID: 'manifest invalid',
  MANIFEST_UNKNOWN: 'manifest unknown to registry',
  NAME_INVALID: 'invalid repository name',
  NAME_UNKNOWN: 'repository name not known to registry',
  UNSUPPORTED: 'the operation is unsupported',
  DENIED: 'requested access to the resource is denied',
  /** no credentials, or credentials that do not verify, where access control needs them */
  UNAUTHORIZED: 'authentication required',
  TOOMANYREQUESTS: 'too many requests',
  /** a request body that ended before its declared length (the client went away) */
  BODY_INCOMPLETE: 'the request body ended before its declared length',
  /** a chunk whose Content-Range does not start where the upload stands */
  RANGE_INVALID: 'the chunk does not continue the upload where it stands',
  /** a Range on a blob read that lies outside the blob */
  RANGE_NOT_SATISFIABLE: 'the requested range lies outside the blob',
  /** a body above the server's limit (the manifest limit, or --max-upload-size for blobs) */
  TOO_LARGE: 'the request body is larger than the server accepts',
  /** `n` on a tag listing that is not a non-negative integer */
  PAGINATION_NUMBER_INVALID: 'invalid number of results requested',
  /** a path under /v2/ that names no endpoint, or a method an endpoint does not answer */
  ENDPOINT_UNKNOWN: 'no such endpoint in the distribution API',
  METHOD_UNSUPPORTED: 'the endpoint does not answer this method',
} as const;

export type OciErrorCode = keyof typeof ociErrorCodes;

export class OciError extends Error {
  readonly code: OciErrorCode;
  /** structured detail for clients (`detail` in the error envelope), as distribution sends it */
  readonly detail: unknown;

  constructor(code: OciErrorCode, message: string = ociErrorCodes[code], detail: unknown = null) {
    super(message);
    this.name = 'OciError';
    this.code = code;
    this.detail = detail;
  }
}

export function isOciError(err: unknown, code?: OciErrorCode): err is OciError {
  return err instanceof OciError && (code === undefined || err.code === code);
}
