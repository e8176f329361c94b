import type { FastifyPluginAsync } from 'fastify';
import { normaliseRepositoryPath } from '../auth/account-rules.js';
import {
  checkArtifactHub,
  MAX_ARTIFACTHUB_FILE,
  parseArtifactHubFile,
} from '../lifecycle/artifacthub-metadata.js';
import type { Lifecycle } from '../lifecycle/lifecycle.js';
import type { RepositorySettings } from '../lifecycle/repository-settings.js';
import { readRetentionRule } from '../lifecycle/retention-rule.js';
import { showSettings } from '../lifecycle/show-settings.js';
import type { AdminGuard } from './admin-guard.js';
import { knownProperties } from './admin-schemas.js';
import { adminAnswers } from './schemas/admin.js';

export interface AdminRepoSettingsOptions {
  lifecycle: Lifecycle;
  guard: AdminGuard;
}

/**
 * Lifecycle settings of one repository, for server admins only, under `/api/admin/repository/…`
 * with the path in the query string as the other repository routes take it:
 * - `GET settings`;
 * - `PUT retention` `{keepLast, keepPrereleases?, maxAge?}`, `DELETE retention`;
 * - `PUT immutable` (one-way: there is no DELETE);
 * - `PUT artifacthub` with artifacthub-repo.yml as YAML (`Content-Type: application/yaml`) or the
 *   same fields as JSON, `DELETE artifacthub`.
 */
export const adminRepoSettingsRoutes: FastifyPluginAsync<AdminRepoSettingsOptions> = async (
  app,
  { lifecycle, guard },
) => {
  app.addContentTypeParser(
    ['application/yaml', 'application/x-yaml', 'text/yaml'],
    { parseAs: 'string', bodyLimit: MAX_ARTIFACTHUB_FILE },
    (_request, body, done) => done(null, body),
  );
  const adminOnly = { onRequest: guard.serverAdmin };
  const querystring = {
    type: 'object',
    properties: { path: { type: 'string' } },
    required: ['path'],
  } as const;
  type Query = { Querystring: { path: string } };
  const pathOf = (query: { path: string }) => normaliseRepositoryPath(query.path);
  const answer = (settings: RepositorySettings) => ({ settings: showSettings(settings) });

  app.get<Query>(
    '/repository/settings',
    { ...adminOnly, schema: { querystring, response: adminAnswers.settings } },
    async (request) => answer(await lifecycle.settingsOf(pathOf(request.query))),
  );

  app.put<Query & { Body: { keepLast: unknown; keepPrereleases?: unknown; maxAge?: unknown } }>(
    '/repository/retention',
    {
      ...adminOnly,
      schema: {
        querystring,
        response: adminAnswers.settings,
        body: knownProperties(
          { keepLast: { type: 'integer' }, keepPrereleases: { type: 'integer' }, maxAge: { type: 'string' } },
          ['keepLast'],
        ),
      },
    },
    async (request) =>
      answer(await lifecycle.setRetention(pathOf(request.query), readRetentionRule(request.body))),
  );

  app.delete<Query>(
    '/repository/retention',
    { ...adminOnly, schema: { querystring, response: adminAnswers.settings } },
    async (request) => answer(await lifecycle.clearRetention(pathOf(request.query))),
  );

  app.put<Query>(
    '/repository/immutable',
    { ...adminOnly, schema: { querystring, response: adminAnswers.settings } },
    async (request) => answer(await lifecycle.setImmutable(pathOf(request.query))),
  );

  app.put<Query & { Body: unknown }>(
    '/repository/artifacthub',
    { ...adminOnly, schema: { querystring, response: adminAnswers.settings } },
    async (request) => {
      const body = request.body;
      const metadata = typeof body === 'string' ? parseArtifactHubFile(body) : checkArtifactHub(body);
      return answer(await lifecycle.setArtifactHub(pathOf(request.query), metadata));
    },
  );

  app.delete<Query>(
    '/repository/artifacthub',
    { ...adminOnly, schema: { querystring, response: adminAnswers.settings } },
    async (request) => answer(await lifecycle.clearArtifactHub(pathOf(request.query))),
  );
};
