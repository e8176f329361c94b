/**
 * Domain errors. Code outside the HTTP edge throws RegistryError with a stable code and a
 * message written for a person; the route plugins map codes to statuses in one table each
 * (routes/error-handler.ts for the ChartMuseum surface).
 */
export const errorCodes = {
  CHART_INVALID: 'the uploaded package is not a valid Helm chart',
  CHART_EXISTS: 'the chart version already exists and overwrite is not allowed',
  CHART_NOT_FOUND: 'no chart by that name in the repository',
  VERSION_NOT_FOUND: 'no such version of the chart',
  FILE_NOT_FOUND: 'no package or provenance file by that name',
  PROVENANCE_INVALID: 'the provenance file is not valid',
  PROVENANCE_EXISTS: 'a provenance file for the version already exists and overwrite is not allowed',
  PROVENANCE_MISMATCH: 'the provenance file does not match the chart it names',
  PROVENANCE_UNVERIFIED: "the provenance file does not verify against the repository's keys",
  SIGNATURE_REQUIRED: 'this repository accepts signed charts only',
  KEY_INVALID: 'the file is not an acceptable OpenPGP public key',
  KEY_EXISTS: 'the key is already in that keyring',
  KEY_NOT_FOUND: 'no key with that fingerprint in that keyring',
  POLICY_INVALID: 'the signature policy is not one of off, verify, require',
  SETTING_INVALID: 'a repository setting (retention rule, Artifact Hub metadata) is not valid',
  REPOSITORY_INVALID: 'the repository path is not valid',
  REPOSITORY_NOT_FOUND: 'no repository at that path',
  UPLOAD_EMPTY: 'the request carried no chart package or provenance file',
  UPLOAD_TOO_LARGE: 'the request body is larger than the server accepts',
  TOO_MANY_UPLOADS: 'the server is handling as many uploads as it accepts at once',
  QUERY_INVALID: 'a query parameter is not valid',
  UNAUTHORIZED: 'unauthorized',
  FORBIDDEN: 'forbidden',
  TOO_MANY_LOGINS: 'too many failed logins from this client; try again later',
  USER_EXISTS: 'a user by that name already exists',
  USER_NOT_FOUND: 'no user by that name',
  USER_INVALID: 'the user name or password is not acceptable',
  TOKEN_EXISTS: 'the user already has a token by that name',
  TOKEN_NOT_FOUND: 'no token by that name',
  TOKEN_INVALID: 'the token name or expiry is not acceptable',
  PERMISSION_INVALID: 'the role or visibility is not one of the accepted values',
  REPOSITORY_EXISTS: 'a repository at that path already exists',
  LAST_ADMIN: 'the last server admin cannot be removed or demoted',
  STORE_UNAVAILABLE: 'the blob store is unavailable',
  STORAGE_FULL: 'the server has no space left to store the upload',
  REPOSITORY_READ_ONLY:
    'the repository is a proxy of an upstream repository: it takes no pushes and no deletes',
  UPSTREAM_FAILED: "the proxy repository's upstream did not give what was asked",
} as const;

export type ErrorCode = keyof typeof errorCodes;

export class RegistryError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string = errorCodes[code]) {
    super(message);
    this.name = 'RegistryError';
    this.code = code;
  }
}

export function isRegistryError(err: unknown, code?: ErrorCode): err is RegistryError {
  return err instanceof RegistryError && (code === undefined || err.code === code);
}
