import { escapeHtml, raw, type SafeHtml } from './html.js';

/*
 * A small line-based YAML highlighter for values.yaml: keys, strings, numbers, booleans and
 * null, comments, anchors and block scalars. It never parses the document; every piece of the
 * input goes through escapeHtml before it is wrapped in a span, so the output can hold no markup
 * that was not written here.
 */

type Kind = 'key' | 'str' | 'num' | 'bool' | 'null' | 'com' | 'ref' | 'punct';

const span = (kind: Kind, text: string) => (text ? `<span class="y-${kind}">${escapeHtml(text)}</span>` : '');

const KEY =
  /^((?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{[\]},&*!|>%@`-][^#]*?|-[^\s#][^#]*?))(\s*:)(?=\s|$)/;
const BLOCK_SCALAR = /^[|>][-+0-9]*$/;

/** Splits `value  # comment` at the first ` #` outside quotes. */
function splitComment(text: string): [string, string] {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      return [text.slice(0, i), text.slice(i)];
    }
  }
  return [text, ''];
}

function scalar(text: string): string {
  const value = text.trim();
  if (!value) return escapeHtml(text);
  const lead = text.slice(0, text.indexOf(value));
  const trail = text.slice(text.indexOf(value) + value.length);
  let kind: Kind = 'str';
  if (/^(?:true|false|yes|no|on|off)$/i.test(value)) kind = 'bool';
  else if (/^(?:null|~)$/i.test(value)) kind = 'null';
  else if (/^[-+]?(?:\d[\d_]*(?:\.\d*)?(?:e[-+]?\d+)?|\.inf|\.nan|0x[\da-f]+|0o[0-7]+)$/i.test(value))
    kind = 'num';
  else if (/^[&*][^\s]+$/.test(value) || BLOCK_SCALAR.test(value)) kind = 'ref';
  else if (/^[[{]\s*[\]}]$/.test(value)) kind = 'punct';
  return escapeHtml(lead) + span(kind, value) + escapeHtml(trail);
}

interface LineResult {
  out: string;
  blockIndent?: number;
  /** the mapping key the line starts with, outside any sequence item, and its column */
  key?: { name: string; column: number; hasValue: boolean };
}

function line(text: string): LineResult {
  const indent = /^\s*/.exec(text)?.[0] ?? '';
  let rest = text.slice(indent.length);
  let out = escapeHtml(indent);
  if (rest.startsWith('#')) return { out: out + span('com', rest) };
  if (/^(?:---|\.\.\.)(?:\s|$)/.test(rest)) return { out: out + span('punct', rest) };
  let depth = indent.length;
  while (/^-(?:\s|$)/.test(rest)) {
    const marker = /^-\s*/.exec(rest)?.[0] ?? '-';
    out += span('punct', '-') + escapeHtml(marker.slice(1));
    depth += marker.length;
    rest = rest.slice(marker.length);
  }
  const key = KEY.exec(rest);
  const inSequence = depth !== indent.length;
  if (key) {
    out += span('key', key[1] ?? '') + span('punct', key[2] ?? '');
    rest = rest.slice(key[0].length);
  }
  const [value, comment] = splitComment(rest);
  out += scalar(value) + span('com', comment);
  const result: LineResult = BLOCK_SCALAR.test(value.trim()) ? { out, blockIndent: depth } : { out };
  if (key && !inSequence)
    result.key = { name: unquote(key[1] ?? ''), column: depth, hasValue: value.trim() !== '' };
  return result;
}

function unquote(key: string): string {
  if (/^".*"$/.test(key)) {
    try {
      return JSON.parse(key) as string;
    } catch {
      return key.slice(1, -1);
    }
  }
  return /^'.*'$/.test(key) ? key.slice(1, -1).replaceAll("''", "'") : key;
}

/** One highlighted line of YAML, with the key it starts (for deep links and folding). */
export interface YamlLine {
  html: string;
  /** the line's text, for folding by indentation */
  text: string;
  key?: { name: string; column: number; hasValue: boolean };
  /** inside a block scalar (`|`, `>`): text, never a key */
  inBlock: boolean;
}

/** values.yaml line by line: the same highlighting as highlightYaml, plus each line's key. */
export function highlightYamlLines(text: string): YamlLine[] {
  const lines: YamlLine[] = [];
  let blockIndent: number | undefined;
  for (const source of text.replace(/\r\n?/g, '\n').split('\n')) {
    const indent = /^\s*/.exec(source)?.[0].length ?? 0;
    if (blockIndent !== undefined && (source.trim() === '' || indent > blockIndent)) {
      lines.push({ html: span('str', source), text: source, inBlock: true });
      continue;
    }
    const result = line(source);
    blockIndent = result.blockIndent;
    lines.push({ html: result.out, text: source, inBlock: false, ...(result.key && { key: result.key }) });
  }
  return lines;
}

/** values.yaml (or any YAML text) as highlighted, escaped HTML for a `<pre><code>` block. */
export function highlightYaml(text: string): SafeHtml {
  return raw(
    highlightYamlLines(text)
      .map((l) => l.html)
      .join('\n'),
  );
}
