import { errors } from './chartmuseum.js';
import { T } from './type-builder.js';

/** The answers of the admin API (`/api/admin/…`); its requests are declared beside each route. */

const User = T.Object(
  { name: T.String(), admin: T.Boolean(), created: T.String() },
  { additionalProperties: false },
);

const Token = T.Object(
  {
    user: T.String(),
    name: T.String(),
    created: T.String(),
    expires: T.Optional(T.String()),
    revoked: T.Optional(T.String()),
    lastUsed: T.Optional(T.String()),
    status: T.Union([T.Literal('active'), T.Literal('expired'), T.Literal('revoked')]),
  },
  { additionalProperties: false },
);

const Repository = T.Object(
  {
    path: T.String(),
    visibility: T.Union([T.Literal('public'), T.Literal('private')]),
    visibilityIsDefault: T.Boolean(),
    members: T.Array(T.Object({ user: T.String(), role: T.String() }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

const Key = T.Object(
  {
    scope: T.String(),
    fingerprint: T.String(),
    userId: T.String(),
    algorithm: T.String(),
    keyCreated: T.String(),
    added: T.String(),
  },
  { additionalProperties: false },
);

const Settings = T.Object(
  {
    path: T.String(),
    immutable: T.Boolean(),
    retention: T.Optional(
      T.Object(
        { keepLast: T.Integer(), keepPrereleases: T.Optional(T.Integer()), maxAge: T.Optional(T.String()) },
        { additionalProperties: false },
      ),
    ),
    artifactHub: T.Optional(
      T.Object(
        {
          repositoryID: T.Optional(T.String()),
          owners: T.Optional(T.Array(T.Unknown())),
          ignore: T.Optional(T.Array(T.Unknown())),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const Policy = T.Object(
  {
    repository: T.String(),
    signatures: T.Union([T.Literal('off'), T.Literal('verify'), T.Literal('require')]),
    updated: T.Optional(T.String()),
  },
  { additionalProperties: false },
);

const wrap = <S extends Record<string, unknown>>(properties: S) =>
  T.Object(properties as never, { additionalProperties: false });

/** what every admin route may answer besides its success: a bad request, no or wrong credentials */
const refusals = [400, 401, 403, 404, 409];

const answer = (status: number, body: object) => ({ [status]: body, ...errors(...refusals) });

export const adminAnswers = {
  users: answer(200, wrap({ users: T.Array(User) })),
  user: answer(200, wrap({ user: User })),
  userCreated: answer(201, wrap({ user: User })),
  deleted: answer(200, wrap({ deleted: T.Literal(true) })),
  tokens: answer(200, wrap({ tokens: T.Array(Token) })),
  tokenCreated: answer(201, wrap({ token: Token, secret: T.String() })),
  revoked: answer(200, wrap({ revoked: T.Literal(true) })),
  repositories: answer(200, wrap({ repositories: T.Array(Repository) })),
  repository: answer(200, wrap({ repository: Repository })),
  repositoryCreated: answer(201, wrap({ repository: Repository })),
  settings: answer(200, wrap({ settings: Settings })),
  keys: answer(200, wrap({ keys: T.Array(Key) })),
  keysAdded: answer(201, wrap({ keys: T.Array(Key) })),
  policy: answer(200, wrap({ policy: Policy })),
};
