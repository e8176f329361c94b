-- Trust (issue 15), as SQLite migration 006: signing keys per repository ('*' every one), each
-- repository's signature policy, and what verifying each stored provenance file found.
-- Forward-only: never edit once released, add the next.

CREATE TABLE signing_keys (
  scope        text COLLATE "C" NOT NULL,
  fingerprint  text COLLATE "C" NOT NULL,
  user_id      text NOT NULL,
  algorithm    text NOT NULL,
  key_created  text NOT NULL,
  added        text NOT NULL,
  armored      text NOT NULL,
  PRIMARY KEY (scope, fingerprint)
);

CREATE TABLE signature_policies (
  repository  text COLLATE "C" PRIMARY KEY,
  signatures  text NOT NULL CHECK (signatures IN ('off', 'verify', 'require')),
  updated     text NOT NULL
);

CREATE TABLE provenance_verifications (
  repository   text COLLATE "C" NOT NULL,
  digest       text COLLATE "C" NOT NULL,
  signer       text NOT NULL,
  fingerprint  text NOT NULL,
  verified_at  text NOT NULL,
  PRIMARY KEY (repository, digest)
);
