import type { ChartView } from '../../browse.js';
import type { PackageFiles } from '../../charts/package-files.js';
import { byDigest } from '../digest-memo.js';
import { html, type SafeHtml } from '../html.js';
import { layout } from '../layout.js';
import { renderMarkdown } from '../markdown.js';
import type { Site } from '../site.js';
import { dependenciesSection } from './chart-dependencies.js';
import { chartCrumbs, chartHeading, sectionNav } from './chart-head.js';
import { installSection } from './chart-install.js';
import { detailsSection, downloadSection } from './chart-side.js';
import { templatesSection } from './chart-templates.js';
import { valuesSection } from './chart-values.js';
import {
  changelogSection,
  pageOfShownVersion,
  versionSwitch,
  versionsPage,
  versionsSection,
} from './chart-versions.js';

/** Ids the page itself uses: a README heading that would take one gets a suffix instead. */
const PAGE_IDS = new Set([
  'main',
  'readme',
  'values',
  'versions',
  'dependencies',
  'templates',
  'changelog',
  'used-by',
  'version',
  'install-title',
  'download-title',
  'details-title',
  'readme-title',
  'values-title',
  'versions-title',
  'dependencies-title',
  'templates-title',
  'changelog-title',
  'values-yaml',
  'values-key',
  'values-keys',
  'values-key-status',
  'values-schema',
  'compare-with',
  'site-search',
]);

export interface ChartPageOptions {
  /** the page of the versions table (1-based); by default the one holding the shown version */
  versionsPage?: number;
  /** the package's files, for the templates list and values.schema.json */
  files?: PackageFiles;
}

/**
 * The chart page. Install comes first in the document (a few Tab presses from the top) and shows
 * beside the main column on wide screens; the main column opens with a sticky section nav.
 */
export function chartPage(site: Site, view: ChartView, options: ChartPageOptions = {}): SafeHtml {
  const { readme } = view.version;
  const page = options.versionsPage ?? pageOfShownVersion(view);
  const changelog = changelogSection(site, view, page);
  const sections = [
    { id: 'readme', label: 'README' },
    { id: 'values', label: 'Values' },
    { id: 'versions', label: 'Versions' },
    { id: 'dependencies', label: 'Dependencies' },
    { id: 'templates', label: 'Templates' },
    ...(changelog ? [{ id: 'changelog', label: 'Changelog' }] : []),
  ];
  return layout(
    site,
    { title: `${view.name} ${view.version.version}` },
    html`${chartCrumbs(site, view)}
${chartHeading(view)}
${versionSwitch(site, view, versionsPage(view, page).shown)}
<div class="chart-layout">
  <aside class="chart-side" aria-label="Install and details">
    ${installSection(site, view)}
    ${downloadSection(site, view)}
    ${detailsSection(view)}
  </aside>
  <div class="chart-main">
    ${sectionNav(sections)}
    <section id="readme" aria-labelledby="readme-title">
      <h2 id="readme-title">README</h2>
      ${readme ? html`<div class="markdown">${byDigest('readme', view.version.digest, () => renderMarkdown(readme, PAGE_IDS))}</div>` : html`<p class="muted">This chart has no README.</p>`}
    </section>
    ${valuesSection(site, view, options.files?.texts.get('values.schema.json'))}
    ${versionsSection(site, view, page)}
    ${dependenciesSection(site, view)}
    ${templatesSection(site, view, options.files)}
    ${changelog}
  </div>
</div>`,
  );
}
