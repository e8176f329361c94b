import type { RepositoryInfo } from '../../auth/accounts.js';
import { roles } from '../../auth/auth-store.js';
import { html, type SafeHtml } from '../html.js';
import { layout } from '../layout.js';
import { repositoryLabel, type Site, uiPath } from '../site.js';
import { csrfInput, formError, formNotice } from './signin.js';

/** The repository as the `repo` field names it (`/` for the root one). */
export const repoParam = (path: string): string => path || '/';

export const membersPath = (site: Site, path: string): string =>
  `${uiPath(site, 'members')}?repo=${encodeURIComponent(repoParam(path))}`;

const roleOptions = (selected?: string) =>
  roles.map(
    (role) => html`<option value="${role}"${role === selected ? html` selected` : ''}>${role}</option>`,
  );

/** The repositories whose members the signed-in user may manage. */
export function managedRepositoriesPage(site: Site, repositories: RepositoryInfo[]): SafeHtml {
  const list =
    repositories.length === 0
      ? html`<p>You are not an admin of any repository. A repository's admins and the server's admins manage its members.</p>`
      : html`<ul class="plain-list">${repositories.map(
          (r) =>
            html`<li><a href="${membersPath(site, r.path)}">${repositoryLabel(r.path)}</a> <span class="muted">${r.visibility}, ${r.members.length} members</span></li>`,
        )}</ul>`;
  return layout(site, { title: 'Members' }, html`<h1>Members</h1>${list}`);
}

export interface MembersState {
  repository: RepositoryInfo;
  notice?: string;
  error?: string;
}

function memberRow(site: Site, path: string, member: { user: string; role: string }): SafeHtml {
  const id = `role-${member.user}`;
  return html`<tr>
    <th scope="row">${member.user}</th>
    <td><form class="row-form" method="post" action="${uiPath(site, 'members')}">
      ${csrfInput(site)}<input type="hidden" name="repo" value="${repoParam(path)}">
      <input type="hidden" name="user" value="${member.user}"><input type="hidden" name="action" value="set">
      <label class="visually-hidden" for="${id}">Role of ${member.user}</label>
      <select id="${id}" name="role">${roleOptions(member.role)}</select>
      <button type="submit" class="secondary" aria-label="Change the role of ${member.user}">Change</button>
    </form></td>
    <td><form method="post" action="${uiPath(site, 'members')}">
      ${csrfInput(site)}<input type="hidden" name="repo" value="${repoParam(path)}">
      <input type="hidden" name="user" value="${member.user}"><input type="hidden" name="action" value="remove">
      <button type="submit" class="secondary" aria-label="Remove ${member.user}">Remove</button>
    </form></td>
  </tr>`;
}

/** One repository's members: change a role, remove a member, add one. */
export function membersPage(site: Site, state: MembersState): SafeHtml {
  const { path, members, visibility } = state.repository;
  const label = repositoryLabel(path);
  const table =
    members.length === 0
      ? html`<p class="muted">No members yet.</p>`
      : html`<div class="table-scroll"><table>
  <caption class="visually-hidden">Members of ${label}</caption>
  <thead><tr><th scope="col">User</th><th scope="col">Role</th><th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead>
  <tbody>${members.map((m) => memberRow(site, path, m))}</tbody>
</table></div>`;
  return layout(
    site,
    { title: `Members of ${label}` },
    html`<p class="crumbs"><a href="${uiPath(site, 'members')}">Members</a> / ${label}</p>
<h1>Members of ${label}</h1>
<p class="muted">A ${visibility} repository. <strong>read</strong> may pull, <strong>write</strong> may also push, <strong>admin</strong> may also delete and manage members.</p>
${formNotice(state.notice)}
${formError(state.error)}
${table}
<h2 id="add-member">Add a member</h2>
<form class="inline-form" method="post" action="${uiPath(site, 'members')}" aria-labelledby="add-member">
  ${csrfInput(site)}<input type="hidden" name="repo" value="${repoParam(path)}"><input type="hidden" name="action" value="set">
  <div class="field grow"><label for="member-user">User name</label>
    <input id="member-user" name="user" required autocomplete="off" autocapitalize="none" spellcheck="false"></div>
  <div class="field"><label for="member-role">Role</label><select id="member-role" name="role">${roleOptions('read')}</select></div>
  <button type="submit">Add</button>
</form>`,
  );
}
