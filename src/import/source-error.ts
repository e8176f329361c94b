/**
 * A source that cannot be read as asked: unreachable, refusing our credentials, not what it
 * claims to be, or serving bytes other than the digest it states. The message is written for the
 * person running the command; `kind` lets a caller (the import summary, a future proxy answering
 * 502 or 404) tell the cases apart without parsing text.
 */
export type SourceProblem = 'unreachable' | 'unauthorized' | 'not-found' | 'invalid' | 'digest-mismatch';

export class SourceError extends Error {
  readonly kind: SourceProblem;
  /** the HTTP status the source answered, when it answered one */
  readonly status?: number;

  constructor(kind: SourceProblem, message: string, status?: number) {
    super(message);
    this.name = 'SourceError';
    this.kind = kind;
    this.status = status;
  }
}

/** The package is not the version its source lists it as. */
export function nameMismatch(
  listed: { name: string; version: string },
  held: { name: string; version: string },
): SourceError {
  return new SourceError(
    'invalid',
    `the source lists ${listed.name} ${listed.version}, but the package holds ${held.name} ${held.version}`,
  );
}
