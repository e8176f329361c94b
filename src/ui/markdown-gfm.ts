import type { MarkdownIt, StateCore, Token } from 'markdown-it';

/*
 * The GitHub-flavoured parts markdown-it lacks, as small core rules: task lists, `> [!NOTE]`
 * alerts, heading ids (GitHub's slugs, so a README's own `#tldr` links work) and table alignment
 * as classes (the page's CSP blocks the inline style markdown-it writes).
 */

const ALERTS = ['note', 'tip', 'important', 'warning', 'caution'] as const;
const ALERT_MARKER = /^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*(?:\n|$)/i;
const TASK_MARKER = /^\[([ xX])\][ \t]+/;

/** Per-render state: the heading ids given so far, and ids the page around the README uses. */
export interface GfmEnv {
  headingIds: Set<string>;
  reserved: ReadonlySet<string>;
}

/** GitHub's heading slug: lower case, punctuation dropped, spaces to dashes. */
export function slugify(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function htmlToken(state: StateCore, content: string): Token {
  const token = new state.Token('html_inline', '', 0);
  token.content = content;
  return token;
}

/** Before inline parsing: `[!NOTE]` as the first line of a blockquote, `[ ]` at a list item's start. */
function alertsAndTasks(state: StateCore): void {
  const tokens = state.tokens;
  for (let i = tokens.length - 1; i >= 2; i--) {
    const inline = tokens[i];
    const opener = tokens[i - 2];
    if (inline?.type !== 'inline' || tokens[i - 1]?.type !== 'paragraph_open' || !opener) continue;
    if (opener.type === 'blockquote_open') {
      const marker = ALERT_MARKER.exec(inline.content);
      if (!marker) continue;
      const kind = (marker[1] ?? '').toLowerCase() as (typeof ALERTS)[number];
      inline.content = inline.content.slice(marker[0].length);
      opener.tag = 'div';
      opener.attrSet('class', `markdown-alert markdown-alert-${kind}`);
      const closer = tokens.slice(i).find((t) => t.type === 'blockquote_close' && t.level === opener.level);
      if (closer) closer.tag = 'div';
      const title = `<p class="markdown-alert-title">${kind.charAt(0).toUpperCase()}${kind.slice(1)}</p>`;
      tokens.splice(i - 1, 0, htmlToken(state, title));
    } else if (opener.type === 'list_item_open') {
      const marker = TASK_MARKER.exec(inline.content);
      if (!marker) continue;
      inline.content = inline.content.slice(marker[0].length);
      opener.attrJoin('class', 'task-list-item');
      const checked = marker[1] !== ' ';
      tokens.splice(
        i,
        0,
        htmlToken(state, `<input type="checkbox" disabled aria-label="Task"${checked ? ' checked' : ''}> `),
      );
      i++;
    }
  }
}

/** After inline parsing: ids on headings, classes for aligned table cells. */
function headingsAndTables(state: StateCore): void {
  const env = state.env as unknown as GfmEnv;
  state.tokens.forEach((token, i) => {
    if (token.type === 'heading_open') {
      const text = (state.tokens[i + 1]?.children ?? [])
        .filter((c) => c.type === 'text' || c.type === 'code_inline')
        .map((c) => c.content)
        .join('');
      const base = slugify(text) || 'section';
      let id = base;
      for (let n = 1; env.headingIds.has(id) || env.reserved.has(id); n++) id = `${base}-${n}`;
      env.headingIds.add(id);
      token.attrSet('id', id);
    } else if (token.type === 'th_open' || token.type === 'td_open') {
      const align = /text-align:\s*(left|center|right)/.exec(String(token.attrGet('style') ?? ''))?.[1];
      if (token.attrs) token.attrs = token.attrs.filter(([name]) => name !== 'style');
      if (align) token.attrSet('class', `align-${align}`);
    }
  });
}

/** Code blocks and tables can scroll sideways, so each takes focus (and has a name) for keyboards. */
function focusableScrollers(md: MarkdownIt, highlight: (code: string, lang?: string) => string): void {
  const codeBlock = (code: string, lang: string | undefined) =>
    `<pre tabindex="0" role="group" aria-label="Code block"><code class="hljs${
      lang ? ` language-${md.utils.escapeHtml(lang)}` : ''
    }">${highlight(code, lang)}</code></pre>\n`;
  md.renderer.rules.fence = (tokens, idx) => {
    const token = tokens[idx];
    const lang = token?.info.trim().split(/\s+/)[0] || undefined;
    return codeBlock(token?.content ?? '', lang);
  };
  md.renderer.rules.code_block = (tokens, idx) => codeBlock(tokens[idx]?.content ?? '', undefined);
  md.renderer.rules.table_open = () =>
    '<div class="table-scroll" tabindex="0" role="group" aria-label="Table"><table>\n';
  md.renderer.rules.table_close = () => '</table></div>\n';
}

export function gfm(md: MarkdownIt, highlight: (code: string, lang?: string) => string): void {
  md.core.ruler.before('inline', 'gfm_alerts_tasks', alertsAndTasks);
  md.core.ruler.push('gfm_headings_tables', headingsAndTables);
  focusableScrollers(md, highlight);
}
