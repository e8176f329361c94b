/** The chart list's corrections, hidden-chart hints and facets (src/ui/pages/search-hints.ts). */
export const searchStyles = `
.search-hints p { margin: .5rem 0; }
.search-hints .hint-hidden { padding: .5rem .75rem; border: 1px solid var(--border); border-radius: 6px; background: var(--bg-soft); }
.facets { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; margin: .5rem 0 1rem; font-size: .875rem; }
.facets ul { display: flex; flex-wrap: wrap; gap: .25rem .75rem; list-style: none; margin: 0; padding: 0; }
.facets h2 { font-size: .875rem; margin: 0 .5rem 0 0; color: var(--muted); font-weight: 600; }
.facets a[aria-current] { font-weight: 700; }
`;
