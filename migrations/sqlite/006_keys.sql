-- Trust (issue 15): the public keys that verify provenance files, per repository and server-wide;
-- each repository's signature policy; and what verifying each stored provenance file found.
-- Repositories are named by path, not id: a key or a policy may be set before the first push.
-- Forward-only: never edit once released, add the next.

CREATE TABLE signing_keys (
  scope        TEXT NOT NULL,                  -- a repository path ('' the root), or '*' for every one
  fingerprint  TEXT NOT NULL,                  -- full, lowercase hex
  user_id      TEXT NOT NULL,
  algorithm    TEXT NOT NULL,                  -- rsa4096, ed25519, ...
  key_created  TEXT NOT NULL,
  added        TEXT NOT NULL,
  armored      TEXT NOT NULL,                  -- the public key, ASCII-armored
  PRIMARY KEY (scope, fingerprint)
) WITHOUT ROWID;

CREATE TABLE signature_policies (
  repository  TEXT PRIMARY KEY,
  signatures  TEXT NOT NULL CHECK (signatures IN ('off', 'verify', 'require')),
  updated     TEXT NOT NULL
) WITHOUT ROWID;

-- A provenance file that verified, by its blob's digest: the row applies while the provenances
-- row of that repository still names that digest (a replaced file has another digest), and is
-- written before the provenance row, so a stored, verified file never lacks it.
CREATE TABLE provenance_verifications (
  repository   TEXT NOT NULL,
  digest       TEXT NOT NULL,                  -- hex sha256 of the .prov
  signer       TEXT NOT NULL,
  fingerprint  TEXT NOT NULL,
  verified_at  TEXT NOT NULL,
  PRIMARY KEY (repository, digest)
) WITHOUT ROWID;
