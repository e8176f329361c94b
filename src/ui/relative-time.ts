import { html, type SafeHtml } from './html.js';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];
const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** `3 days ago`, relative to `now`, in the largest unit that fits. */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Number.isNaN(seconds)) return iso;
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return 'just now';
}

/** A relative date whose full timestamp shows on hover and is machine-readable. */
export function timeAgo(iso: string, now?: number): SafeHtml {
  return html`<time datetime="${iso}" title="${iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}">${relativeTime(iso, now)}</time>`;
}
