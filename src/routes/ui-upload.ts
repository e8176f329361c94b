import { Readable } from 'node:stream';
import type { MultipartValue } from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessControl } from '../auth/access-control.js';
import { normaliseRepositoryPath } from '../auth/account-rules.js';
import type { Accounts } from '../auth/accounts.js';
import { enforceDecision } from '../auth/challenge.js';
import type { ActiveSession, UiSessions } from '../auth/ui-sessions.js';
import { isRegistryError } from '../errors.js';
import type { Registry } from '../registry.js';
import { repositoryNotFound } from '../repositories.js';
import { uploadPage } from '../ui/pages/upload.js';
import { httpStatusByCode } from './error-handler.js';
import { checkSameOrigin, FormRefused, SIGNED_OUT, signInRedirect, type UiPageKit } from './ui-forms.js';
import { registerUploadParsing, type UploadOptions } from './upload-handlers.js';
import type { UploadSlots } from './upload-slots.js';

export interface UploadPageOptions extends UiPageKit {
  sessions: UiSessions;
  access: AccessControl;
  accounts: Accounts;
  registry: Registry;
  upload: UploadOptions;
  slots: UploadSlots;
}

const OUT_OF_DATE =
  'This form was not sent from a page of this site, or the page is out of date. Go back, reload the page and try again.';

/**
 * GET /ui/upload, POST /ui/upload: the chart API's upload from a browser. The form is parsed by
 * the same multipart limits, staged and checked by the same Upload, and refused with the same
 * messages, shown on the page. Its first fields must be the CSRF token and the repository, so
 * both are checked before a byte of the package is read.
 */
export const uploadRoutes: FastifyPluginAsync<UploadPageOptions> = async (app, options) => {
  const { sessions, access, accounts, registry, siteOf, send } = options;
  await registerUploadParsing(app, options.upload);
  const fields = { chart: options.upload.chartPostFormFieldName, prov: options.upload.provPostFormFieldName };

  /** Where this user may push: every repository for a server admin, else those with write or admin. */
  async function writable(session: ActiveSession): Promise<string[]> {
    const all = await accounts.listRepositories();
    if (session.admin || !(await access.enforcing())) return all.map((r) => r.path);
    return all
      .filter((r) => r.members.some((m) => m.user === session.user && m.role !== 'read'))
      .map((r) => r.path);
  }

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    session: ActiveSession,
    state: {
      selected?: string;
      error?: string;
      published?: { repository: string; name: string; version: string };
    },
    status = 200,
  ) =>
    send(
      reply,
      uploadPage(siteOf(request), { ...state, fields, repositories: await writable(session) }),
      status,
    );

  app.get('/upload', async (request, reply) => {
    const session = await sessions.ofRequest(request);
    if (!session) return signInRedirect(request, reply, siteOf(request));
    const repo = (request.query as Record<string, string | undefined>).repo;
    return show(request, reply, session, repo === undefined ? {} : { selected: repo.replace(/^\/$/, '') });
  });

  app.post('/upload', { onRequest: options.slots.acquire }, async (request, reply) => {
    const site = siteOf(request);
    checkSameOrigin(request, site);
    const session = await sessions.ofRequest(request);
    if (!session) throw new FormRefused(403, SIGNED_OUT);
    if (!request.isMultipart()) throw new FormRefused(400, 'Send the upload form with a chart package file.');
    const parts = request.parts()[Symbol.asyncIterator]();
    const nextField = async (name: string) => {
      const next = await parts.next();
      const part = next.done ? undefined : next.value;
      if (part?.type !== 'field' || part.fieldname !== name) return undefined;
      return String((part as MultipartValue).value);
    };
    if (!sessions.csrfMatches(session, await nextField('csrf'))) throw new FormRefused(403, OUT_OF_DATE);
    const repository = normaliseRepositoryPath((await nextField('repo')) ?? '');
    enforceDecision(await access.check(request, repository, 'write'), reply, () =>
      repositoryNotFound(repository),
    );
    const upload = registry.beginUpload(repository);
    try {
      for (let next = await parts.next(); !next.done; next = await parts.next()) {
        const part = next.value;
        const source = part.type === 'file' ? part.file : Readable.from([]);
        if (part.type === 'file' && part.filename === '') source.resume();
        else if (part.fieldname === fields.chart) await upload.addChart(source);
        else if (part.fieldname === fields.prov) await upload.addProvenance(source);
        else source.resume();
      }
      const saved = await upload.commit({ overwrite: options.upload.allowOverwrite });
      request.log.info({ repository, ...saved, user: session.user }, 'chart published from the web UI');
      await access.settleVisibility(repository);
      return await show(
        request,
        reply,
        session,
        { selected: repository, published: { repository, ...saved } },
        201,
      );
    } catch (err) {
      if (!isRegistryError(err) || httpStatusByCode[err.code] >= 500) throw err;
      return show(
        request,
        reply,
        session,
        { selected: repository, error: err.message },
        httpStatusByCode[err.code],
      );
    } finally {
      await upload.discard();
    }
  });
};
