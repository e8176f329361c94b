import { html, type SafeHtml } from './html.js';
import { type Site, uiPath } from './site.js';

/** `data-theme` on <html> when the visitor chose a theme; the stylesheet follows the system otherwise. */
export const themeAttribute = (site: Site): SafeHtml | undefined =>
  site.theme && html` data-theme="${site.theme}"`;

/**
 * The header's right end: the signed-in user's pages and sign-out (a form, so it carries the CSRF
 * token), or the sign-in link; then the theme toggle, hidden until the script can make it work.
 */
export function accountBar(site: Site): SafeHtml {
  const { account } = site;
  const links = account
    ? html`<nav class="account" aria-label="Account">
      <a href="${uiPath(site, 'upload')}">Upload</a>
      <a href="${uiPath(site, 'tokens')}">Tokens</a>
      <a href="${uiPath(site, 'members')}">Members</a>
      <span class="user">${account.user}</span>
      <form class="signout" method="post" action="${uiPath(site, 'signout')}">
        <input type="hidden" name="csrf" value="${account.csrf}">
        <button type="submit" class="link-button">Sign out</button>
      </form>
    </nav>`
    : site.signIn &&
      html`<nav class="account" aria-label="Account"><a href="${uiPath(site, 'signin')}">Sign in</a></nav>`;
  return html`<div class="header-end">
    ${links}
    <button type="button" class="theme-toggle" data-theme-toggle aria-pressed="${site.theme === 'dark' ? 'true' : 'false'}" hidden>Dark theme</button>
  </div>`;
}
