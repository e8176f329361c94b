import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderMarkdown } from '../../src/ui/markdown.js';

const render = (text: string, reserved?: Set<string>) => renderMarkdown(text, reserved).toString();

test('raw HTML keeps details, summary, aligned paragraphs and https images, as classes', () => {
  const out = render(
    '<p align="center"><img src="https://example.com/logo.png" alt="logo" width="120"></p>\n\n<details><summary>More</summary>\n\nHidden text\n\n</details>\n',
  );
  assert.match(
    out,
    /<p class="align-center"><img src="https:\/\/example\.com\/logo\.png" alt="logo" width="120" \/><\/p>/,
  );
  assert.match(out, /<details><summary>More<\/summary>/);
  assert.doesNotMatch(out, /style=|align=/);
});

test('script, event handlers, styles, forms and non-https images are removed', () => {
  const out = render(
    '<script>alert(1)</script>\n\n<img src="http://x/a.png" onerror="alert(2)">\n<img src="javascript:alert(3)">\n\n<style>body{}</style><form action="/x"><input type="text" name="q"></form><iframe src="https://x"></iframe><a href="javascript:alert(4)" onclick="x">a</a><div style="color:red">s</div>\n',
  );
  assert.doesNotMatch(out, /script|onerror|onclick|style|<form|<iframe|javascript:|<img|type="text"/i);
  assert.match(out, /<a>a<\/a>/);
});

test('tables align with classes and are focusable, named scroll regions', () => {
  const out = render('| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n');
  assert.match(out, /<div class="table-scroll" tabindex="0" role="group" aria-label="Table"><table>/);
  assert.match(
    out,
    /<th class="align-left">a<\/th>\s*<th class="align-center">b<\/th>\s*<th class="align-right">c<\/th>/,
  );
  assert.doesNotMatch(out, /style=/);
});

test('code blocks are highlighted by language and focusable', () => {
  const out = render('```yaml\nimage:\n  tag: "1.0"\n```\n\n```unknownlang\n<b>x</b>\n```\n');
  assert.match(
    out,
    /<pre tabindex="0" role="group" aria-label="Code block"><code class="hljs language-yaml"><span class="hljs-attr">image:<\/span>/,
  );
  assert.match(out, /<code class="hljs language-unknownlang">&lt;b&gt;x&lt;\/b&gt;/);
});

test('task lists and alerts render like GitHub', () => {
  const out = render('- [x] done\n- [ ] todo\n\n> [!WARNING]\n> Be careful\n');
  assert.match(
    out,
    /<li class="task-list-item"><input type="checkbox" disabled aria-label="Task" checked \/> done<\/li>/,
  );
  assert.match(
    out,
    /<li class="task-list-item"><input type="checkbox" disabled aria-label="Task" \/> todo<\/li>/,
  );
  assert.match(
    out,
    /<div class="markdown-alert markdown-alert-warning">\s*<p class="markdown-alert-title">Warning<\/p>\s*<p>Be careful<\/p>\s*<\/div>/,
  );
  assert.doesNotMatch(out, /\[!WARNING\]|\[x\]/);
});

test('headings get GitHub ids one level down; page ids and raw ids are never taken', () => {
  const out = render(
    '# My Chart\n\n## TL;DR\n\n## TL;DR\n\n## Values\n\n<h2 id="values-title">raw</h2>\n\n[go](#tldr)\n',
    new Set(['values']),
  );
  assert.match(out, /<h2 id="my-chart">My Chart<\/h2>/);
  assert.match(out, /<h3 id="tldr">TL;DR<\/h3>\s*<h3 id="tldr-1">TL;DR<\/h3>/);
  assert.match(out, /<h3 id="values-1">Values<\/h3>/);
  assert.match(out, /<h3>raw<\/h3>/);
  assert.match(out, /<a href="#tldr">go<\/a>/);
  assert.doesNotMatch(out, /<h1/);
});
