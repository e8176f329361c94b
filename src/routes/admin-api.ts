import type { FastifyPluginAsync } from 'fastify';
import type { Accounts } from '../auth/accounts.js';
import type { Authenticate } from '../auth/authenticate.js';
import type { Lifecycle } from '../lifecycle/lifecycle.js';
import type { Keyrings } from '../trust/keyrings.js';
import { createAdminGuard } from './admin-guard.js';
import { adminKeyRoutes } from './admin-keys.js';
import { adminRepoSettingsRoutes } from './admin-repo-settings.js';
import { adminRepositoryRoutes } from './admin-repositories.js';
import { formatSchemaErrors } from './admin-schemas.js';
import { adminUserRoutes } from './admin-users.js';

export interface AdminApiOptions {
  accounts: Accounts;
  authenticate: Authenticate;
  /** keyrings and signature policies: /api/admin/keys, /api/admin/repository/policy */
  keyrings?: Keyrings;
  /** retention, immutability, Artifact Hub metadata: /api/admin/repository/{settings,retention,…} */
  lifecycle?: Lifecycle;
}

/**
 * The admin JSON API under `/api/admin`: users, their tokens, repositories with their visibility
 * and members. Errors use the ChartMuseum surface's `{"error": message}` envelope.
 */
export const adminApiRoutes: FastifyPluginAsync<AdminApiOptions> = async (app, options) => {
  const { accounts, authenticate } = options;
  const guard = createAdminGuard(authenticate, accounts);
  app.setSchemaErrorFormatter(formatSchemaErrors);
  await app.register(adminUserRoutes, { prefix: '/api/admin', accounts, guard });
  await app.register(adminRepositoryRoutes, { prefix: '/api/admin', accounts, guard });
  if (options.lifecycle)
    await app.register(adminRepoSettingsRoutes, {
      prefix: '/api/admin',
      lifecycle: options.lifecycle,
      guard,
    });
  if (options.keyrings)
    await app.register(adminKeyRoutes, { prefix: '/api/admin', keyrings: options.keyrings, guard });
};
