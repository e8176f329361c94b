import MarkdownIt from 'markdown-it';
import { raw, type SafeHtml } from './html.js';

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

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
md.validateLink = isAllowedLink;

const renderLinkOpen = md.renderer.rules.link_open;
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  if (token && /^https?:/i.test(String(token.attrGet('href') ?? '')))
    token.attrSet('rel', 'nofollow noopener noreferrer');
  return renderLinkOpen
    ? renderLinkOpen(tokens, idx, options, env, self)
    : self.renderToken(tokens, idx, options);
};

/**
 * A chart README as HTML. Raw HTML in the Markdown is shown as text (`html: false`), and links
 * and images with any scheme but http, https and mailto lose their target.
 */
export function renderMarkdown(text: string): SafeHtml {
  return raw(md.render(text));
}
