import MarkdownIt from 'markdown-it';
import { highlightCode } from './code-highlight.js';
import { raw, type SafeHtml } from './html.js';
import { type GfmEnv, gfm } from './markdown-gfm.js';
import { sanitizeReadme } from './readme-sanitizer.js';

/** Link targets a README may use: web and mail links, and links with no scheme at all. */
const ALLOWED_SCHEMES = new Set(['http', 'https', 'mailto']);

/**
 * True for URLs whose scheme (anything before a colon that comes before the first `/`, `?` or
 * `#`) is allowed, and for scheme-less ones (`#install`, `docs/setup.md`). Spaces and control
 * characters are ignored first, as browsers ignore them inside a scheme.
 */
export function isAllowedLink(url: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
  const compact = url.replace(/[\u0000-\u0020\u007f]+/g, '').toLowerCase();
  const scheme = /^([^/?#]*?):/.exec(compact)?.[1];
  return scheme === undefined || ALLOWED_SCHEMES.has(scheme);
}

// raw HTML passes the parser and is cleaned with everything else by the sanitizer
const md = new MarkdownIt({ html: true, linkify: true, typographer: false });
md.validateLink = isAllowedLink;
gfm(md, highlightCode);

/**
 * A chart README as GitHub-flavoured HTML, sanitised. `reserved` are the ids the page around it
 * uses: a heading that would take one gets a suffix instead, so a README cannot clobber them.
 */
export function renderMarkdown(text: string, reserved: ReadonlySet<string> = new Set()): SafeHtml {
  const env: GfmEnv = { headingIds: new Set(), reserved };
  return raw(sanitizeReadme(md.render(text, env as unknown as Record<string, unknown>), env.headingIds));
}
