import { accountBar, themeAttribute } from './account-bar.js';
import { clientScript, stylesheet } from './assets.js';
import { type HtmlValue, html, type SafeHtml } from './html.js';
import { type Site, uiPath } from './site.js';

export interface PageOptions {
  title: string;
  /** show the search box in the header (the chart list has its own) */
  headerSearch?: boolean;
}

/** The document around every page: landmarks, the one stylesheet and the one deferred script. */
export function layout(site: Site, options: PageOptions, content: HtmlValue): SafeHtml {
  const search =
    options.headerSearch !== false &&
    html`<form class="quick-search" role="search" action="${uiPath(site, 'charts')}" method="get">
        <label class="visually-hidden" for="site-search">Search charts</label>
        <input id="site-search" type="search" name="q" placeholder="Search charts" autocomplete="off">
        <button type="submit">Search</button>
      </form>`;
  return html`<!doctype html>
<html lang="en"${themeAttribute(site)}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="same-origin">
<title>${options.title} · Charthouse</title>
<link rel="stylesheet" href="${uiPath(site, `static/${stylesheet.file}`)}">
<script src="${uiPath(site, `static/${clientScript.file}`)}" defer></script>
</head>
<body data-ui="${uiPath(site).replace(/\/$/, '')}"${site.searchApi ? html` data-search-api="${site.searchApi}"` : ''}>
<a class="skip" href="#main">Skip to content</a>
<header class="site-header">
  <div class="wrap">
    <a class="brand" href="${uiPath(site)}">Charthouse</a>
    <nav aria-label="Main">
      <a href="${uiPath(site)}">Repositories</a>
      <a href="${uiPath(site, 'charts')}">Charts</a>
    </nav>
    ${search}
    ${accountBar(site)}
  </div>
</header>
<main id="main" class="wrap" tabindex="-1">
${content}
</main>
<footer class="wrap">Charthouse ${site.version}${site.searchApi ? html` · <a href="${uiPath(site, 'api')}">API reference</a>` : ''}</footer>
</body>
</html>
`;
}
