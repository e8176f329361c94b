/** The chart and repository pages' part of the stylesheet: appended to styles.ts's file. */
const light = `--hl-key: #cf222e; --hl-str: #0a3069; --hl-attr: #0550ae; --hl-title: #8250df; --hl-built: #953800;
    --add-bg: #dafbe1; --del-bg: #ffebe9; --found-bg: #fff8c5; --ok-bg: #dafbe1; --ok-fg: #116329;
    --note: #0969da; --tip: #1a7f37; --important: #8250df; --warning: #9a6700; --caution: #d1242f;`;
const dark = `--hl-key: #ff7b72; --hl-str: #a5d6ff; --hl-attr: #79c0ff; --hl-title: #d2a8ff; --hl-built: #ffa657;
    --add-bg: #12361f; --del-bg: #4a1a1a; --found-bg: #3b2e00; --ok-bg: #12361f; --ok-fg: #7ee2a8;
    --note: #58a6ff; --tip: #3fb950; --important: #a371f7; --warning: #d29922; --caution: #f85149;`;

export const chartStyles = `
:root { ${light} }
@media (prefers-color-scheme: dark) { :root:not([data-theme="light"]) { ${dark} } }
:root[data-theme="dark"] { ${dark} }
[id] { scroll-margin-top: 4rem; }
.chart-nav { position: sticky; top: 0; z-index: 5; background: var(--bg); border-bottom: 1px solid var(--border); }
.chart-nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0 1.25rem; margin: 0; padding: .5rem 0; }
.chart-nav a { display: inline-block; padding: .25rem 0; min-height: 24px; }
.chart-layout { grid-template-areas: "main side"; }
.chart-main { grid-area: main; min-width: 0; }
.chart-side { grid-area: side; }
.badges { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; }
.badge.library { background: var(--pre-bg); color: var(--pre-fg); border-color: transparent; }
.badge.signed, .badge.public { background: var(--ok-bg); color: var(--ok-fg); border-color: transparent; }
.badge.unverified, .badge.private { background: var(--warn-bg); color: var(--warn-fg); border-color: transparent; }
.banner { padding: .75rem 1rem; border-radius: var(--radius); margin: 1rem 0; }
.banner.deprecated, .install .warning { background: var(--warn-bg); color: var(--warn-fg); }
.install .warning { padding: .5rem .75rem; border-radius: var(--radius); }
.command pre { overflow-wrap: normal; word-break: normal; }
.command .word { white-space: pre; }
.digest-cell { white-space: nowrap; }
.digest-cell .copy { margin-left: .5rem; }
.values code { display: block; counter-reset: line; }
.values .line { display: block; position: relative; padding-left: 4.75em; counter-increment: line; min-height: 1.5em; }
.values .line::before { content: counter(line); position: absolute; left: 0; width: 3em; text-align: right; color: var(--muted); user-select: none; }
.values .line[hidden] { display: none; }
.values .line.found, .values .line:target { background: var(--found-bg); }
.values .fold { position: absolute; left: 3.25em; top: 0; width: 1.4em; height: 1.5em; min-height: 0; padding: 0;
  border: 0; background: none; color: var(--muted); cursor: pointer; font: inherit; }
.values .fold::before { content: "\\25BE"; }
.values .fold[aria-expanded="false"]::before { content: "\\25B8"; }
.values-search, .compare { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: .75rem 0; }
.values-search[hidden] { display: none; }
.hljs-keyword, .hljs-selector-tag, .hljs-literal, .hljs-deletion { color: var(--hl-key); }
.hljs-string, .hljs-regexp, .hljs-addition { color: var(--hl-str); }
.hljs-attr, .hljs-attribute, .hljs-number, .hljs-variable, .hljs-template-variable { color: var(--hl-attr); }
.hljs-title, .hljs-section, .hljs-name, .hljs-type { color: var(--hl-title); }
.hljs-built_in, .hljs-symbol, .hljs-bullet, .hljs-meta { color: var(--hl-built); }
.hljs-comment, .hljs-quote { color: var(--y-com); font-style: italic; }
.markdown .align-center { text-align: center; } .markdown .align-right { text-align: right; } .markdown .align-left { text-align: left; }
.markdown img.align-center { display: block; margin: 0 auto; }
.markdown .task-list-item { list-style: none; margin-left: -1.25rem; }
.markdown .task-list-item input { margin-right: .4rem; }
.markdown details { margin: .75rem 0; }
.markdown summary { cursor: pointer; }
.markdown-alert { border-left: .25rem solid var(--note); padding: .25rem 1rem; margin: 1rem 0; }
.markdown-alert-title { font-weight: 600; color: var(--note); }
.markdown-alert-tip { border-color: var(--tip); } .markdown-alert-tip .markdown-alert-title { color: var(--tip); }
.markdown-alert-important { border-color: var(--important); } .markdown-alert-important .markdown-alert-title { color: var(--important); }
.markdown-alert-warning { border-color: var(--warning); } .markdown-alert-warning .markdown-alert-title { color: var(--warning); }
.markdown-alert-caution { border-color: var(--caution); } .markdown-alert-caution .markdown-alert-title { color: var(--caution); }
.markdown blockquote { border-left: .25rem solid var(--border); margin: 1rem 0; padding: 0 1rem; color: var(--muted); }
.markdown .table-scroll { margin-bottom: 1rem; }
.tree, .tree ul { padding-left: 1.25rem; }
.tree li { margin: .35rem 0; }
.resolved { color: var(--ok-fg); }
.files { columns: 2 18rem; padding-left: 1.25rem; }
.changes { padding-left: 1.25rem; }
.changelog-version { font-size: 1rem; margin: 1rem 0 .25rem; }
.diff td { padding: 0 .5rem; border: 0; font-family: var(--mono); font-size: .85rem; white-space: pre; }
.diff td.num { color: var(--muted); text-align: right; user-select: none; width: 1%; }
.diff tr.add td { background: var(--add-bg); }
.diff tr.del td { background: var(--del-bg); }
.diff tr.gap td { color: var(--muted); text-align: center; }
.file { max-height: none; }
@media (max-width: 60rem) {
  .chart-layout { grid-template-areas: "side" "main"; }
}
`;
