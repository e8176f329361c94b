/**
 * Proxy repositories: read-only mirrors of an upstream Helm repository (`repo create --proxy`).
 *
 * - The index: fetched from upstream at most once per TTL with a conditional GET, and kept in
 *   the settings store (proxy_indexes), so every replica serves the same index and together they
 *   ask upstream about once per TTL. Each process keeps the rewritten document of the last body
 *   it read, keyed by its digest.
 * - A package: fetched on its first pull, checked against the digest the index states, then
 *   published through the normal upload path (same validation, content-addressed blob plus a
 *   version row), so it is served from the store over HTTP and OCI from then on. Concurrent
 *   first pulls in one process share one fetch; across replicas the second publish finds the
 *   version stored and keeps it.
 * - Upstream down: the last index and the stored packages are served, marked stale; a failed
 *   refresh is not retried within RETRY_MS (nor a 404 of a package within NEGATIVE_MS).
 */

import { sha256Hex } from '../charts/digest.js';
import { chartFilename } from '../charts/filename.js';
import type { Config } from '../config/config.js';
import { isRegistryError, RegistryError } from '../errors.js';
import { SourceError } from '../import/source-error.js';
import type { ProxyUpstream, RepositorySettingsStore } from '../lifecycle/repository-settings.js';
import { chartUrlPrefix } from '../repo-index/chart-url.js';
import type { RenderedIndex } from '../repo-index/index-document.js';
import { describeRepository } from '../repositories.js';
import type { BlobStore } from '../store/blob-store.js';
import type { MetadataStore } from '../store/metadata-store.js';
import { bufferSource, createUpload } from '../upload.js';
import { type ProxyIndexDocument, rewriteIndex, type UpstreamVersion } from './proxy-index.js';
import { createUpstream, type FetchedPackage, type Upstream, upstreamKey } from './proxy-upstream.js';

/** How long an upstream 404 of a package is remembered. */
export const NEGATIVE_MS = 30_000;
/** After a failed refresh, how long upstream is left alone (at most the TTL). */
const RETRY_MS = 5_000;
/** How long a process trusts its reading of whether a repository is a proxy. */
const SETTINGS_MEMO_MS = 1_000;

export interface ProxiedIndex {
  index: RenderedIndex;
  /** upstream could not be asked when the TTL ran out: this is the last index it gave */
  stale: boolean;
}

interface RepositoryState {
  upstream: Upstream;
  /** the rewritten document of the last body read, by the body's digest */
  document?: { digest: string; value: ProxyIndexDocument };
  failedAt?: number;
  refreshing?: Promise<void>;
}

export function createProxyRepositories(deps: {
  meta: MetadataStore;
  blobs: BlobStore;
  config: Config;
  settings: RepositorySettingsStore;
  now?: () => number;
}) {
  const { meta, blobs, config, settings } = deps;
  const now = deps.now ?? Date.now;
  const states = new Map<string, RepositoryState>();
  const memo = new Map<string, { upstream?: ProxyUpstream; until: number }>();
  const notFound = new Map<string, number>();
  const fetching = new Map<string, Promise<void>>();

  async function upstreamOf(repository: string): Promise<ProxyUpstream | undefined> {
    const cached = memo.get(repository);
    if (cached && cached.until > now()) return cached.upstream;
    const upstream = await settings.proxyUpstream(repository);
    memo.set(repository, { upstream, until: now() + SETTINGS_MEMO_MS });
    return upstream;
  }

  function stateOf(repository: string, upstream: ProxyUpstream): RepositoryState {
    const current = states.get(repository);
    if (current && current.upstream.key === upstreamKey(upstream)) return current;
    current?.upstream.close();
    const state: RepositoryState = { upstream: createUpstream(upstream) };
    states.set(repository, state);
    return state;
  }

  /** Asks upstream for its index unless the stored one is younger than the TTL. */
  async function refresh(repository: string, state: RepositoryState, ttlMs: number): Promise<void> {
    const stored = await settings.proxyIndex(repository, { body: false });
    if (stored && now() - stored.checkedAt < ttlMs) return;
    if (stored && state.failedAt !== undefined && now() - state.failedAt < Math.min(ttlMs, RETRY_MS)) return;
    try {
      const answer = await state.upstream.fetchIndex(stored);
      if (answer.status === 304) return await settings.touchProxyIndex(repository, now());
      const { body, etag, lastModified } = answer;
      // refuse a body that is no index before it replaces a good one
      rewriteIndex(body, state.upstream.indexUrl, '', '');
      const saved = { body, digest: sha256Hex(body), checkedAt: now() };
      await settings.saveProxyIndex(repository, {
        ...saved,
        ...(etag && { etag }),
        ...(lastModified && { lastModified }),
      });
      state.failedAt = undefined;
    } catch (err) {
      state.failedAt = now();
      if (stored) return; // served stale
      throw upstreamFailed(err);
    }
  }

  /** The current document of a proxy repository, and whether it is stale. */
  async function documentOf(repository: string, upstream: ProxyUpstream) {
    const state = stateOf(repository, upstream);
    state.refreshing ??= refresh(repository, state, upstream.ttlMs).finally(() => {
      state.refreshing = undefined;
    });
    await state.refreshing;
    const stored = await settings.proxyIndex(repository, { body: state.document === undefined });
    if (!stored)
      throw new RegistryError(
        'UPSTREAM_FAILED',
        `no index of ${describeRepository(repository)} was fetched yet`,
      );
    if (state.document?.digest !== stored.digest) {
      const withBody =
        stored.body === undefined ? await settings.proxyIndex(repository, { body: true }) : stored;
      if (withBody?.body === undefined)
        throw new RegistryError('UPSTREAM_FAILED', 'the proxy index went missing');
      const prefix = chartUrlPrefix({
        chartUrl: config.chartUrl,
        contextPath: config.contextPath,
        repository,
      });
      const modified = withBody.lastModified ?? new Date(withBody.checkedAt).toUTCString();
      const value = rewriteIndex(withBody.body, state.upstream.indexUrl, prefix, modified);
      state.document = { digest: withBody.digest, value };
    }
    return { document: state.document.value, stale: now() - stored.checkedAt >= upstream.ttlMs };
  }

  async function fetchAndStore(repository: string, version: UpstreamVersion, upstream: Upstream) {
    let fetched: FetchedPackage;
    try {
      fetched = await upstream.fetchPackage(version, config.maxUploadSize);
    } catch (err) {
      if (err instanceof SourceError && err.kind === 'not-found') {
        notFound.set(`${repository}\0${version.name}\0${version.version}`, now() + NEGATIVE_MS);
        throw new RegistryError('FILE_NOT_FOUND', `${err.message} upstream`);
      }
      throw upstreamFailed(err);
    }
    // the proxy's own publish: the read-only refusal is for clients, not for the mirror itself
    const upload = createUpload({ meta, blobs, limits: config }, repository);
    try {
      await upload.addChart(bufferSource(fetched.chart));
      if (fetched.prov) await upload.addProvenance(bufferSource(fetched.prov));
      const target = upload.target();
      if (target?.name !== version.name || target.version !== version.version) {
        throw new RegistryError(
          'UPSTREAM_FAILED',
          `the upstream package ${version.url} holds ${target?.name} ${target?.version}, not ${version.name} ${version.version} as its index says`,
        );
      }
      await upload.commit({ overwrite: false });
    } catch (err) {
      // another replica stored it first: the same bytes, as both checked the same digest
      if (isRegistryError(err, 'CHART_EXISTS')) return;
      if (
        isRegistryError(err) &&
        ['CHART_INVALID', 'PROVENANCE_INVALID', 'PROVENANCE_MISMATCH'].includes(err.code)
      )
        throw new RegistryError(
          'UPSTREAM_FAILED',
          `the upstream package ${version.url} was refused: ${err.message}`,
        );
      throw err;
    } finally {
      await upload.discard();
    }
  }

  return {
    /** The proxied index of `repository`, or undefined when it is no proxy. */
    async index(repository: string): Promise<ProxiedIndex | undefined> {
      const upstream = await upstreamOf(repository);
      if (!upstream) return undefined;
      const { document, stale } = await documentOf(repository, upstream);
      return { index: document.rendered, stale };
    },

    /**
     * Before `charts/<filename>` of `repository` is served from the store: when it is a proxy,
     * makes sure a package its index lists is stored, fetching it on first pull. Resolves
     * undefined for a repository that is no proxy, else whether what is served is stale.
     */
    async prepareFile(repository: string, filename: string): Promise<{ stale: boolean } | undefined> {
      const upstream = await upstreamOf(repository);
      if (!upstream) return undefined;
      let current: Awaited<ReturnType<typeof documentOf>>;
      try {
        current = await documentOf(repository, upstream);
      } catch (err) {
        // no index at all and upstream down: what is stored is still served
        if (isRegistryError(err, 'UPSTREAM_FAILED')) return { stale: true };
        throw err;
      }
      const packageFile = filename.replace(/\.prov$/, '');
      const version = current.document.files.get(packageFile);
      if (!version || (await meta.findVersionByFilename(repository, packageFile)))
        return { stale: current.stale };
      const key = `${repository}\0${version.name}\0${version.version}`;
      const until = notFound.get(key);
      if (until !== undefined && until > now()) {
        throw new RegistryError(
          'FILE_NOT_FOUND',
          `${packageFile} was not found upstream (remembered for ${NEGATIVE_MS / 1000} s)`,
        );
      }
      let pending = fetching.get(key);
      if (!pending) {
        pending = fetchAndStore(repository, version, stateOf(repository, upstream).upstream).finally(() =>
          fetching.delete(key),
        );
        fetching.set(key, pending);
      }
      await pending;
      return { stale: current.stale };
    },

    /** Ensures `name` `version` is stored when the proxy's index lists it (the OCI read path). */
    async prepareVersion(repository: string, name: string, version: string): Promise<void> {
      await this.prepareFile(repository, chartFilename(name, version));
    },

    close() {
      for (const state of states.values()) state.upstream.close();
      states.clear();
    },
  };
}

export type ProxyRepositories = ReturnType<typeof createProxyRepositories>;

function upstreamFailed(err: unknown): Error {
  if (err instanceof SourceError) return new RegistryError('UPSTREAM_FAILED', err.message);
  return err instanceof Error ? err : new Error(String(err));
}
