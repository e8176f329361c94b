import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import diff from 'highlight.js/lib/languages/diff';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import plaintext from 'highlight.js/lib/languages/plaintext';
import python from 'highlight.js/lib/languages/python';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import { escapeHtml } from './html.js';

/*
 * highlight.js core with only the languages chart READMEs and templates use; `sh`, `yml`,
 * `toml`, `console` and friends are the grammars' own aliases. Its output is escaped text inside
 * `<span class="hljs-…">`, and the README sanitiser keeps only those classes.
 */
const LANGUAGES = {
  bash,
  diff,
  dockerfile,
  go,
  ini,
  javascript,
  json,
  plaintext,
  python,
  shell,
  sql,
  xml,
  yaml,
};
for (const [name, grammar] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, grammar);
hljs.registerAliases(['tpl', 'gotmpl', 'helm'], { languageName: 'yaml' });
hljs.registerAliases(['text', 'txt'], { languageName: 'plaintext' });

/** `code` as highlighted HTML when `language` is one we know, else escaped text. */
export function highlightCode(code: string, language: string | undefined): string {
  const name = language?.trim().toLowerCase();
  if (!name || !hljs.getLanguage(name)) return escapeHtml(code);
  return hljs.highlight(code, { language: name, ignoreIllegals: true }).value;
}

/** The language of a chart file by its extension, for the templates viewer. */
export function languageOfFile(path: string): string | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (ext === 'yaml' || ext === 'yml' || ext === 'tpl') return 'yaml';
  if (ext === 'json') return 'json';
  if (ext === 'md') return 'plaintext';
  if (ext === 'sh') return 'bash';
  if (ext === 'toml' || ext === 'ini') return 'ini';
  return undefined;
}
