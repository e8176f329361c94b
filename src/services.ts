import { type AccessControl, createAccessControl } from './auth/access-control.js';
import { type Accounts, createAccounts } from './auth/accounts.js';
import { type AuthenticatorDeps, createAuthenticator } from './auth/authenticate.js';
import { createUiSessions, type UiSessions } from './auth/ui-sessions.js';
import { type Browse, createBrowse } from './browse.js';
import type { Config } from './config/config.js';
import { createLifecycle, type Lifecycle } from './lifecycle/lifecycle.js';
import { createOperations, type Operations } from './metrics/operations.js';
import { createOciRegistry, type OciRegistry } from './oci/oci-registry.js';
import { createProxyRepositories, type ProxyRepositories } from './proxy/proxy-repositories.js';
import { createRegistry, type Registry } from './registry.js';
import type { Stores } from './store/open-stores.js';
import { createKeyrings, type Keyrings } from './trust/keyrings.js';

/** Every use case the app serves, built on one set of stores: what buildApp takes beside the config. */
export interface Services {
  /** /metrics and /ready: the Prometheus metrics and the stores' readiness checks */
  operations: Operations;
  registry: Registry;
  oci: OciRegistry;
  browse: Browse;
  access: AccessControl;
  accounts: Accounts;
  /** keyrings and signature policies, for the admin API */
  keyrings: Keyrings;
  /** per-repository immutability, retention and Artifact Hub metadata */
  lifecycle: Lifecycle;
  /** read-only mirrors of upstream Helm repositories (src/proxy/) */
  proxy: ProxyRepositories;
  /**
   * Web UI sign-in: the sessions, and the access control the UI's pages check, which takes the
   * session cookie as well as the Authorization header (every other surface ignores the cookie).
   */
  ui?: { sessions: UiSessions; access: AccessControl };
}

/**
 * Wires the use cases to the stores, as `--auth` and `--anonymous-read` configure access control.
 * The server and the test harnesses build through here, so a test app is wired like production.
 * `authenticator` swaps the failed-login limiter, the password cache or the clock (tests only).
 */
export function createServices(
  stores: Stores,
  config: Config,
  authenticator: Omit<AuthenticatorDeps, 'store'> = {},
): Services {
  const lifecycle = createLifecycle(stores);
  const authenticate = createAuthenticator({
    store: stores.auth,
    ...(stores.loginLimiter ? { limiter: stores.loginLimiter } : {}),
    ...authenticator,
  });
  const accessWith = (auth: typeof authenticate) =>
    createAccessControl({
      store: stores.auth,
      authenticate: auth,
      mode: config.auth,
      anonymousRead: config.anonymousRead,
    });
  const sessions =
    stores.uiSessions &&
    createUiSessions({
      store: stores.uiSessions,
      idleMs: config.sessionIdleTimeout,
      lifetimeMs: config.sessionLifetime,
      ...(authenticator.now && { now: authenticator.now }),
    });
  const access = accessWith(authenticate);
  const operations = createOperations(stores, access);
  const proxy = createProxyRepositories({ ...stores, config });
  return {
    lifecycle,
    operations,
    proxy,
    registry: createRegistry({
      ...stores,
      config,
      lifecycle,
      onIndexRendered: operations.metrics.indexRendered,
    }),
    oci: createOciRegistry({
      ...stores,
      config,
      lifecycle,
      prepareVersion: (repository, name, version) => proxy.prepareVersion(repository, name, version),
    }),
    browse: createBrowse({ ...stores, config }),
    access,
    ...(sessions && { ui: { sessions, access: accessWith(sessions.authenticator(authenticate)) } }),
    accounts: createAccounts({ store: stores.auth, anonymousRead: config.anonymousRead }),
    keyrings: createKeyrings({ trust: stores.trust }),
  };
}
