import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Accounts } from '../auth/accounts.js';
import type { UiSessions } from '../auth/ui-sessions.js';
import { isRegistryError } from '../errors.js';
import { type TokensState, tokensPage } from '../ui/pages/tokens.js';
import { httpStatusByCode } from './error-handler.js';
import { field, formSession, registerFormBody, signInRedirect, type UiPageKit } from './ui-forms.js';

export interface TokenPageOptions extends UiPageKit {
  sessions: UiSessions;
  accounts: Accounts;
}

/** GET /ui/tokens, POST /ui/tokens (create), POST /ui/tokens/revoke: the signed-in user's own tokens only. */
export const tokenRoutes: FastifyPluginAsync<TokenPageOptions> = async (app, options) => {
  const { sessions, accounts, siteOf, send } = options;
  registerFormBody(app);

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    user: string,
    state: Omit<TokensState, 'tokens'> = {},
    status = 200,
  ) =>
    send(reply, tokensPage(siteOf(request), { ...state, tokens: await accounts.listTokens(user) }), status);

  /** A refusal the user can fix (a taken name, an unknown token) is shown on the page itself. */
  const shown = (err: unknown) =>
    isRegistryError(err) && httpStatusByCode[err.code] < 500 ? httpStatusByCode[err.code] : undefined;

  app.get('/tokens', async (request, reply) => {
    const session = await sessions.ofRequest(request);
    if (!session) return signInRedirect(request, reply, siteOf(request));
    return show(request, reply, session.user);
  });

  app.post('/tokens', async (request, reply) => {
    const { user } = await formSession(request, sessions, siteOf(request), field(request.body, 'csrf'));
    const name = field(request.body, 'name').trim();
    const expiresIn = field(request.body, 'expires');
    try {
      const { secret } = await accounts.createToken(user, name, expiresIn ? { expiresIn } : {});
      // the secret is in this answer only: nothing may keep a copy of it
      reply.header('cache-control', 'no-store');
      return await show(request, reply, user, { created: { name, secret } }, 201);
    } catch (err) {
      const status = shown(err);
      if (status === undefined) throw err;
      return show(request, reply, user, { error: (err as Error).message, name }, status);
    }
  });

  app.post('/tokens/revoke', async (request, reply) => {
    const { user } = await formSession(request, sessions, siteOf(request), field(request.body, 'csrf'));
    const name = field(request.body, 'name');
    try {
      await accounts.revokeToken(user, name);
      request.log.info({ user, token: name }, 'token revoked from the web UI');
      return await show(request, reply, user, { notice: `Token "${name}" is revoked.` });
    } catch (err) {
      const status = shown(err);
      if (status === undefined) throw err;
      return show(request, reply, user, { error: (err as Error).message }, status);
    }
  });
};
