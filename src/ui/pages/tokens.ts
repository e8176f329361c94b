import type { TokenInfo } from '../../auth/accounts.js';
import { commandBlock } from '../components.js';
import { date } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { layout } from '../layout.js';
import { repositoryUrl, type Site, uiPath } from '../site.js';
import { csrfInput, formError, formNotice } from './signin.js';

export interface TokensState {
  tokens: TokenInfo[];
  /** the secret of the token just created: shown on this answer only */
  created?: { name: string; secret: string };
  notice?: string;
  error?: string;
  /** what the create form held when it was refused */
  name?: string;
}

const EXPIRIES: Array<[string, string]> = [
  ['30d', '30 days'],
  ['90d', '90 days'],
  ['365d', 'One year'],
  ['', 'Never'],
];

function createdBlock(site: Site, user: string, created: { name: string; secret: string }): SafeHtml {
  return html`<section class="secret" aria-labelledby="created-title">
  <h2 id="created-title">Token "${created.name}" created</h2>
  <p>Copy it now: it is shown only this once. The server keeps only its hash.</p>
  ${commandBlock('The token', created.secret)}
  ${commandBlock('Use it with Helm', `helm repo add charthouse ${repositoryUrl(site, '')} --username ${user} --password ${created.secret}`)}
</section>`;
}

function tokenRow(site: Site, token: TokenInfo): SafeHtml {
  const revoke =
    token.status === 'active' &&
    html`<form method="post" action="${uiPath(site, 'tokens/revoke')}">
      ${csrfInput(site)}<input type="hidden" name="name" value="${token.name}">
      <button type="submit" class="secondary" aria-label="Revoke the token ${token.name}">Revoke</button>
    </form>`;
  return html`<tr>
    <th scope="row">${token.name}</th>
    <td><span class="badge status-${token.status}">${token.status}</span></td>
    <td>${date(token.created)}</td>
    <td>${token.expires ? date(token.expires) : 'never'}</td>
    <td>${token.lastUsed ? date(token.lastUsed) : 'never'}</td>
    <td>${revoke}</td>
  </tr>`;
}

/** The signed-in user's API tokens: the list, a create form, and a revoke button on each active one. */
export function tokensPage(site: Site, state: TokensState): SafeHtml {
  const user = site.account?.user ?? '';
  const table =
    state.tokens.length === 0
      ? html`<p class="muted">You have no tokens yet.</p>`
      : html`<div class="table-scroll"><table>
  <caption class="visually-hidden">Your API tokens</caption>
  <thead><tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Created</th>
    <th scope="col">Expires</th><th scope="col">Last used</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
  <tbody>${state.tokens.map((t) => tokenRow(site, t))}</tbody>
</table></div>`;
  return layout(
    site,
    { title: 'API tokens' },
    html`<h1>API tokens</h1>
<p class="muted">Tokens let Helm and scripts act as <strong>${user}</strong> without your password.</p>
${formNotice(state.notice)}
${state.created && createdBlock(site, user, state.created)}
<h2>Your tokens</h2>
${table}
<h2 id="new-token">New token</h2>
${formError(state.error)}
<form class="inline-form" method="post" action="${uiPath(site, 'tokens')}" aria-labelledby="new-token">
  ${csrfInput(site)}
  <div class="field grow">
    <label for="token-name">Name</label>
    <input id="token-name" name="name" required maxlength="64" autocomplete="off" value="${state.name ?? ''}">
  </div>
  <div class="field">
    <label for="token-expires">Expires after</label>
    <select id="token-expires" name="expires">${EXPIRIES.map(([value, label]) => html`<option value="${value}">${label}</option>`)}</select>
  </div>
  <button type="submit">Create token</button>
</form>`,
  );
}
