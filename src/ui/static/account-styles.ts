/** The signed-in pages' forms and the header's account links and theme toggle (appended to styles.ts). */
export const accountStyles = `
.header-end { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; }
.site-header nav.account { display: flex; flex-wrap: wrap; align-items: center; gap: .25rem 1rem; }
.account .user { color: var(--muted); font-weight: 600; }
.signout { display: inline; margin: 0; }
button.link-button, button.secondary, button.theme-toggle {
  background: var(--bg); color: var(--fg); border-color: var(--border);
}
button.link-button { min-height: 2rem; padding: .2rem .6rem; }
button.theme-toggle { min-height: 2rem; padding: .2rem .6rem; font-size: .875rem; }
button.theme-toggle[aria-pressed="true"] { background: var(--accent); color: var(--accent-fg); }
.narrow { max-width: 30rem; }
form.stack { display: flex; flex-direction: column; gap: 1rem; align-items: flex-start; }
form.stack .field { width: 100%; }
.inline-form { display: flex; flex-wrap: wrap; gap: .75rem 1rem; align-items: flex-end; }
.row-form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: 0; }
input[type="text"], input:not([type]), input[type="password"], input[type="file"] {
  background: var(--bg); border: 1px solid var(--border); border-radius: var(--radius);
  padding: .45rem .6rem; min-height: 2.5rem; max-width: 100%; width: 100%;
}
.hint { margin: .25rem 0 0; font-size: .875rem; }
.form-error { border: 1px solid var(--warn-fg); background: var(--warn-bg); color: var(--warn-fg);
  border-radius: var(--radius); padding: .6rem .9rem; }
.form-notice { border: 1px solid var(--border); background: var(--bg-soft); border-radius: var(--radius);
  padding: .6rem .9rem; }
.secret { border: 2px solid var(--accent); border-radius: var(--radius); padding: 0 1rem .5rem; margin: 1rem 0; }
.secret pre { white-space: pre-wrap; overflow-wrap: anywhere; }
.plain-list { list-style: none; padding: 0; }
.plain-list li { padding: .35rem 0; border-bottom: 1px solid var(--border); }
.badge.status-active { border-color: var(--accent); }
.badge.status-revoked, .badge.status-expired { background: var(--warn-bg); color: var(--warn-fg); border-color: transparent; }
@media (max-width: 40rem) {
  .header-end { width: 100%; justify-content: space-between; }
  .inline-form .field { width: 100%; }
}
`;
