/**
 * HTML built from tagged templates. Every interpolated value is escaped unless it is a SafeHtml,
 * and SafeHtml comes only from this module's `html` tag or from `raw`, which only our own
 * renderers call (markdown.ts and yaml-highlight.ts, after escaping what they were given).
 */
export class SafeHtml {
  readonly #text: string;
  constructor(text: string) {
    this.#text = text;
  }
  toString(): string {
    return this.#text;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | HtmlValue[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for element content and for quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (ch) => ESCAPES[ch] ?? ch);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map(render).join('');
  // false and nullish render nothing, so `${cond && html`…`}` reads naturally
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Marks text as already safe HTML. Only for renderers that escaped everything they were given. */
export function raw(text: string): SafeHtml {
  return new SafeHtml(text);
}

const SAFE_SCHEMES = new Set(['http:', 'https:']);

/**
 * A link target from chart content, or undefined when it is not a plain http(s) URL: no
 * `javascript:`, `data:` or relative tricks reach an href or src.
 */
export function safeUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value.trim());
    return SAFE_SCHEMES.has(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}
