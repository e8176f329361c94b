import { html, type SafeHtml } from './html.js';

/** An image URL a chart may use as its icon: https, or an inline data image (no script runs in <img>). */
export function iconUrl(icon: string | undefined): string | undefined {
  if (!icon) return undefined;
  const trimmed = icon.trim();
  if (/^data:image\/(?:png|gif|jpeg|webp|svg\+xml)[;,]/i.test(trimmed)) return trimmed;
  try {
    return new URL(trimmed).protocol === 'https:' ? trimmed : undefined;
  } catch {
    return undefined;
  }
}

/** The chart's icon, or its first letter when it has none we may show. */
export function chartIcon(name: string, icon: string | undefined, size = 48): SafeHtml {
  const src = iconUrl(icon);
  if (src)
    // data-letter: the script swaps a broken image for the placeholder (no inline onerror: CSP)
    return html`<img class="icon" src="${src}" alt="" width="${size}" height="${size}" loading="lazy" data-letter="${name.charAt(0)}">`;
  return html`<span class="icon placeholder" aria-hidden="true">${name.charAt(0)}</span>`;
}

export const deprecatedBadge = (deprecated: boolean | undefined): SafeHtml | undefined =>
  deprecated ? html`<span class="badge deprecated">Deprecated</span>` : undefined;

/** A copy button: hidden until the script runs, since without it the button could do nothing. */
export function copyButton(label: string, copy: { text: string } | { from: string }): SafeHtml {
  const data = 'text' in copy ? html`data-copy="${copy.text}"` : html`data-copy-from="${copy.from}"`;
  return html`<button type="button" class="copy" ${data} aria-label="${label}" hidden>Copy</button>`;
}

/** A titled, ready-to-copy shell command. */
export function commandBlock(title: string, command: string): SafeHtml {
  return html`<div class="command">
  <div class="command-head"><span>${title}</span>${copyButton(`Copy: ${title}`, { text: command })}</div>
  <pre tabindex="0" role="group" aria-label="${title}"><code>${wrapAtSpaces(command)}</code></pre>
</div>`;
}

/** Each word of a command unbreakable, so a narrow screen wraps it only at spaces (never `-`/`-version`). */
function wrapAtSpaces(command: string): SafeHtml[] {
  return command
    .split(/( +|\n)/)
    .map((part) =>
      part === '' || /^( +|\n)$/.test(part) ? html`${part}` : html`<span class="word">${part}</span>`,
    );
}
