import sanitizeHtml from 'sanitize-html';

/*
 * What of a rendered README reaches the page: GitHub's everyday subset (details, summary,
 * aligned paragraphs, images over https), markdown-it's own output, and highlight.js spans.
 * No script, style, event handler, form or frame survives; `align` becomes a class because the
 * page's CSP blocks inline style. Headings move one level down: the page's h1 is the chart's name.
 */

const ALIGNABLE = ['p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'img', 'td', 'th'];
const ALIGNMENTS = new Set(['left', 'center', 'right']);
const DEMOTED: Record<string, string> = { h1: 'h2', h2: 'h3', h3: 'h4', h4: 'h5', h5: 'h6', h6: 'h6' };

const TAGS = [
  ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'kbd', 'samp'],
  ...['a', 'img', 'strong', 'b', 'em', 'i', 'del', 's', 'ins', 'sup', 'sub', 'mark', 'small', 'abbr'],
  ...['ul', 'ol', 'li', 'dl', 'dt', 'dd', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td'],
  ...['details', 'summary', 'div', 'span', 'input', 'picture'],
];

const CLASSES = [
  'align-*',
  'hljs',
  'hljs-*',
  'language-*',
  'markdown-alert',
  'markdown-alert-*',
  'task-list-item',
  'table-scroll',
];

function aligned(tagName: string, attribs: sanitizeHtml.Attributes) {
  const { align, ...rest } = attribs;
  const value = align?.trim().toLowerCase();
  const tag = DEMOTED[tagName] ?? tagName;
  if (!value || !ALIGNMENTS.has(value)) return { tagName: tag, attribs: rest };
  return { tagName: tag, attribs: { ...rest, class: `${rest.class ?? ''} align-${value}`.trim() } };
}

/** `headingIds`: the ids the Markdown renderer gave; any other id in the README is dropped. */
export function sanitizeReadme(rendered: string, headingIds: ReadonlySet<string>): string {
  const transformTags: Record<string, sanitizeHtml.Transformer> = {};
  for (const tag of ALIGNABLE) {
    transformTags[tag] = (tagName, attribs) => {
      const out = aligned(tagName, attribs);
      if (out.attribs.id !== undefined && !headingIds.has(out.attribs.id)) delete out.attribs.id;
      return out;
    };
  }
  transformTags.a = (tagName, attribs) => {
    const external = /^https?:/i.test(attribs.href ?? '');
    return { tagName, attribs: external ? { ...attribs, rel: 'nofollow noopener noreferrer' } : attribs };
  };
  return sanitizeHtml(rendered, {
    allowedTags: TAGS,
    allowedAttributes: {
      a: ['href', 'title', 'rel'],
      img: ['src', 'alt', 'title', 'width', 'height', 'class'],
      input: ['type', 'checked', 'disabled', 'aria-label'],
      ol: ['start'],
      details: ['open'],
      pre: ['tabindex', 'role', 'aria-label'],
      div: ['class', 'tabindex', 'role', 'aria-label'],
      ...Object.fromEntries(['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((h) => [h, ['id', 'class']])),
      '*': ['class'],
    },
    allowedClasses: { '*': CLASSES },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['https'] },
    allowProtocolRelative: false,
    transformTags,
    // a checkbox is the task list's, read-only; any other input is dropped, and so is an image
    // that is not https (a relative one would load from this server, a tracking pixel over http)
    exclusiveFilter: (frame) =>
      (frame.tag === 'input' &&
        (frame.attribs.type !== 'checkbox' || frame.attribs.disabled === undefined)) ||
      (frame.tag === 'img' && !/^https:\/\//i.test(frame.attribs.src ?? '')),
  });
}
