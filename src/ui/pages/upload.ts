import { html, type SafeHtml } from '../html.js';
import { layout } from '../layout.js';
import { chartPath, repositoryLabel, type Site, uiPath } from '../site.js';
import { repoParam } from './members.js';
import { csrfInput, formError } from './signin.js';

export interface UploadState {
  /** the repositories the user may push to */
  repositories: string[];
  selected?: string;
  published?: { repository: string; name: string; version: string };
  error?: string;
  fields: { chart: string; prov: string };
}

/** Publish a chart package, with its provenance file if there is one, to a repository the user may write. */
export function uploadPage(site: Site, state: UploadState): SafeHtml {
  const { published } = state;
  const form =
    state.repositories.length === 0
      ? html`<p>You may not push to any repository. A repository's admin can give you the write role.</p>`
      : html`<form class="stack" method="post" action="${uiPath(site, 'upload')}" enctype="multipart/form-data">
  ${csrfInput(site)}
  <div class="field">
    <label for="upload-repo">Repository</label>
    <select id="upload-repo" name="repo">${state.repositories.map(
      (r) =>
        html`<option value="${repoParam(r)}"${r === state.selected ? html` selected` : ''}>${repositoryLabel(r)}</option>`,
    )}</select>
  </div>
  <div class="field">
    <label for="upload-chart">Chart package (.tgz)</label>
    <input id="upload-chart" name="${state.fields.chart}" type="file" accept=".tgz,application/gzip,application/x-gzip" required>
  </div>
  <div class="field">
    <label for="upload-prov">Provenance file (.prov, optional)</label>
    <input id="upload-prov" name="${state.fields.prov}" type="file" accept=".prov">
  </div>
  <button type="submit">Upload</button>
</form>`;
  return layout(
    site,
    { title: 'Upload a chart' },
    html`<div class="narrow">
<h1>Upload a chart</h1>
${
  published &&
  html`<p class="form-notice" role="status">Published <a href="${chartPath(site, published.repository, published.name, published.version)}">${published.name} ${published.version}</a> to ${repositoryLabel(published.repository)}.</p>`
}
${formError(state.error)}
${form}
</div>`,
  );
}
