import { html, type SafeHtml } from './html.js';

/** `2026-01-31` inside a `<time>` that carries the full timestamp. */
export function date(iso: string): SafeHtml {
  return html`<time datetime="${iso}" title="${iso}">${iso.slice(0, 10)}</time>`;
}

export function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;
