import { html, type SafeHtml } from '../html.js';
import { layout } from '../layout.js';
import { type Site, uiPath } from '../site.js';

const TITLES: Record<number, string> = { 400: 'Bad request', 404: 'Not found' };

/** An error as a page: the status, a message fit for a person, and the way back. */
export function errorPage(site: Site, status: number, message: string): SafeHtml {
  const title = TITLES[status] ?? (status >= 500 ? 'Something went wrong' : 'Request failed');
  return layout(
    site,
    { title },
    html`<h1>${title}</h1>
<p>${message}</p>
<p><a href="${uiPath(site)}">Back to the repositories</a></p>`,
  );
}
