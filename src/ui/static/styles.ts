import { chartStyles } from './chart-styles.js';

/** The dark palette: the system's choice, unless the visitor picked light with the toggle, or dark. */
const darkColours = `
    --bg: #0d1117; --bg-soft: #151b23; --fg: #e6edf3; --muted: #9198a1; --border: #3d444d;
    --link: #58a6ff; --accent: #1f6feb; --accent-fg: #ffffff; --focus: #58a6ff;
    --warn-bg: #3d1d00; --warn-fg: #ffb77c; --pre-bg: #1f1640; --pre-fg: #d2a8ff;
    --y-key: #79c0ff; --y-str: #a5d6ff; --y-num: #ffa657; --y-bool: #d2a8ff; --y-com: #9198a1;`;

/** The UI's one stylesheet, served from /ui/static/ under a content hash. Light and dark. */
export const styles = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --bg-soft: #f6f8fa; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0;
  --link: #0550ae; --accent: #0969da; --accent-fg: #ffffff; --focus: #0969da;
  --warn-bg: #fff1e5; --warn-fg: #953800; --pre-bg: #eef1f4; --pre-fg: #6639ba;
  --y-key: #0550ae; --y-str: #0a3069; --y-num: #953800; --y-bool: #8250df; --y-com: #59636e;
  --radius: 6px; --wrap: 72rem;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
}
@media (prefers-color-scheme: dark) {
  :root:not([data-theme="light"]) {${darkColours}
  }
}
:root[data-theme="dark"] { color-scheme: dark;${darkColours} }
:root[data-theme="light"] { color-scheme: light; }
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--fg); line-height: 1.5;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
a { color: var(--link); }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 2px; }
.wrap { max-width: var(--wrap); margin: 0 auto; padding: 0 1rem; }
.skip { position: absolute; left: -9999px; top: 0; }
.skip:focus { left: 1rem; top: .5rem; z-index: 10; background: var(--bg); padding: .5rem 1rem; }
.visually-hidden {
  position: absolute !important; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; margin: -1px; padding: 0; border: 0;
}
.site-header { border-bottom: 1px solid var(--border); background: var(--bg-soft); }
.site-header .wrap { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding-block: .75rem; }
.brand { font-weight: 700; font-size: 1.15rem; color: var(--fg); text-decoration: none; }
.site-header nav { display: flex; gap: 1rem; }
.site-header nav a { color: var(--fg); }
.quick-search { margin-left: auto; display: flex; gap: .5rem; }
main.wrap { padding-top: 1.5rem; padding-bottom: 3rem; }
main:focus { outline: none; }
footer.wrap { color: var(--muted); font-size: .875rem; padding-top: 1rem; padding-bottom: 2rem; border-top: 1px solid var(--border); }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.25rem; margin: 2rem 0 .75rem; }
input, select, button { font: inherit; color: inherit; }
input[type="search"], select {
  background: var(--bg); border: 1px solid var(--border); border-radius: var(--radius);
  padding: .45rem .6rem; min-height: 2.5rem; max-width: 100%;
}
button {
  background: var(--accent); color: var(--accent-fg); border: 1px solid transparent;
  border-radius: var(--radius); padding: .45rem .9rem; min-height: 2.5rem; cursor: pointer;
}
button.copy {
  background: var(--bg); color: var(--fg); border-color: var(--border);
  min-height: 2rem; padding: .2rem .6rem; font-size: .875rem;
}
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .5rem .6rem; border-bottom: 1px solid var(--border); vertical-align: top; }
th { font-weight: 600; }
td time { white-space: nowrap; }
.table-scroll { overflow-x: auto; }
code, pre { font-family: var(--mono); font-size: .875rem; }
pre { background: var(--bg-soft); border: 1px solid var(--border); border-radius: var(--radius);
  padding: .75rem 1rem; overflow-x: auto; margin: 0; }
.muted { color: var(--muted); }
.digest { font-family: var(--mono); font-size: .8rem; overflow-wrap: anywhere; }
.badge { display: inline-block; font-size: .75rem; font-weight: 600; padding: .1rem .5rem;
  border-radius: 999px; border: 1px solid var(--border); vertical-align: middle; }
.badge.deprecated { background: var(--warn-bg); color: var(--warn-fg); border-color: transparent; }
.badge.prerelease { background: var(--pre-bg); color: var(--pre-fg); border-color: transparent; }
.search { display: flex; flex-wrap: wrap; gap: .75rem 1rem; align-items: flex-end; margin-bottom: 1rem; }
.field { display: flex; flex-direction: column; gap: .25rem; }
.field.grow { flex: 1 1 16rem; }
.field label { font-weight: 600; font-size: .875rem; }
.checks { display: flex; flex-wrap: wrap; gap: .5rem 1rem; padding-bottom: .5rem; }
.checks label { display: inline-flex; gap: .4rem; align-items: center; }
.checks input { width: 1.1rem; height: 1.1rem; }
.cards { list-style: none; margin: 0; padding: 0; display: grid; gap: .75rem; }
.card { display: flex; gap: 1rem; padding: 1rem; border: 1px solid var(--border); border-radius: var(--radius); }
.card h2 { margin: 0; font-size: 1.1rem; display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
.card p { margin: .25rem 0 0; }
.card-body { min-width: 0; }
.meta { color: var(--muted); font-size: .875rem; display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
.icon { width: 3rem; height: 3rem; flex: none; border-radius: var(--radius); object-fit: contain; }
.icon.placeholder { display: grid; place-items: center; background: var(--bg-soft); color: var(--muted);
  border: 1px solid var(--border); font-weight: 700; font-size: 1.25rem; text-transform: uppercase; }
.pager { display: flex; gap: 1rem; align-items: center; margin-top: 1rem; }
.crumbs { font-size: .875rem; margin-bottom: 1rem; color: var(--muted); overflow-wrap: anywhere; }
.chart-head { display: flex; gap: 1rem; align-items: flex-start; }
.chart-head .icon { width: 4rem; height: 4rem; }
.chart-head h1 { margin-bottom: .25rem; }
.chart-head p { margin: .25rem 0; }
.version-switch { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: 1rem 0; }
.chart-layout { display: grid; grid-template-columns: minmax(0, 1fr) 22rem; gap: 2rem; }
.chart-side section { margin-bottom: 1.5rem; }
.chart-side h2 { font-size: 1.05rem; margin: 0 0 .5rem; }
.command { display: flex; flex-direction: column; gap: .35rem; margin-bottom: .75rem; }
.command-head { display: flex; justify-content: space-between; align-items: center; gap: .5rem; font-size: .875rem; }
.command pre { white-space: pre-wrap; overflow-wrap: anywhere; }
.section-head { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem; }
dl.details { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .35rem 1rem; margin: 0; }
dl.details dt { color: var(--muted); }
dl.details dd { margin: 0; overflow-wrap: anywhere; }
dl.details ul { margin: 0; padding-left: 1.1rem; }
.markdown { overflow-wrap: break-word; border: 1px solid var(--border); border-radius: var(--radius); padding: 0 1.25rem; }
.markdown h1 { font-size: 1.5rem; margin: 1rem 0 .75rem; }
.markdown h2 { font-size: 1.25rem; margin: 1.5rem 0 .5rem; }
.markdown h3, .markdown h4, .markdown h5, .markdown h6 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
.markdown img { max-width: 100%; }
.markdown pre { margin-bottom: 1rem; }
.markdown pre code { background: none; padding: 0; }
.markdown :not(pre) > code { background: var(--bg-soft); padding: .1rem .3rem; border-radius: 4px; }
.markdown table { display: block; overflow-x: auto; }
.values { max-height: 40rem; }
.y-key { color: var(--y-key); } .y-str { color: var(--y-str); } .y-num { color: var(--y-num); }
.y-bool, .y-null, .y-ref { color: var(--y-bool); } .y-com { color: var(--y-com); font-style: italic; }
tr[aria-current="true"] td { background: var(--bg-soft); font-weight: 600; }
@media (max-width: 60rem) {
  .chart-layout { grid-template-columns: minmax(0, 1fr); }
  .chart-side { order: -1; }
}
@media (max-width: 40rem) {
  .quick-search { margin-left: 0; width: 100%; }
  .quick-search input { flex: 1; min-width: 0; }
  .card { padding: .75rem; }
  .hide-narrow { display: none; }
  h1 { font-size: 1.4rem; }
}
${chartStyles}`;
