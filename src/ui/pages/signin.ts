import { html, type SafeHtml } from '../html.js';
import { layout } from '../layout.js';
import { type Site, uiPath } from '../site.js';

/** The hidden field every state-changing form of a signed-in page carries (checked by ui-forms.ts). */
export const csrfInput = (site: Site): SafeHtml | undefined =>
  site.account && html`<input type="hidden" name="csrf" value="${site.account.csrf}">`;

/** A form's error, announced to screen readers as soon as the page shows it. */
export const formError = (error: string | undefined): SafeHtml | undefined =>
  error === undefined ? undefined : html`<p class="form-error" role="alert">${error}</p>`;

/** A form's success note. */
export const formNotice = (notice: string | undefined): SafeHtml | undefined =>
  notice === undefined ? undefined : html`<p class="form-notice" role="status">${notice}</p>`;

/** The sign-in form: a user name with a password, or an API token (with or without the name). */
export function signInPage(site: Site, state: { next: string; user?: string; error?: string }): SafeHtml {
  return layout(
    site,
    { title: 'Sign in' },
    html`<div class="narrow">
<h1>Sign in</h1>
${formError(state.error)}
<form class="stack" method="post" action="${uiPath(site, 'signin')}">
  <input type="hidden" name="next" value="${state.next}">
  <div class="field">
    <label for="signin-user">User name</label>
    <input id="signin-user" name="user" autocomplete="username" autocapitalize="none" spellcheck="false" value="${state.user ?? ''}">
  </div>
  <div class="field">
    <label for="signin-password">Password or API token</label>
    <input id="signin-password" name="password" type="password" autocomplete="current-password" required aria-describedby="signin-hint">
    <p id="signin-hint" class="muted hint">An API token (<code>cht_…</code>) works without the user name.</p>
  </div>
  <button type="submit">Sign in</button>
</form>
</div>`,
  );
}
