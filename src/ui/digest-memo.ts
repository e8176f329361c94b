import type { SafeHtml } from './html.js';

const MAX_ENTRIES = 256;
const memo = new Map<string, SafeHtml>();

/**
 * HTML rendered from a package's own content (README, values viewer), remembered by the package
 * digest: the same digest is the same bytes forever, so an entry never goes stale. Rendering a
 * long README through markdown-it, highlight.js and the sanitizer costs tens of milliseconds;
 * a chart page is opened far more often than a chart is pushed. Least recently used goes first.
 */
export function byDigest(part: string, digest: string, render: () => SafeHtml): SafeHtml {
  const key = `${part}:${digest}`;
  const hit = memo.get(key);
  if (hit) {
    memo.delete(key);
    memo.set(key, hit);
    return hit;
  }
  const made = render();
  memo.set(key, made);
  if (memo.size > MAX_ENTRIES) memo.delete(memo.keys().next().value as string);
  return made;
}
