import { correctableWords, type IndexedChart } from './indexed-chart.js';
import { buildTextIndex, type TextIndex } from './text-index.js';
import { buildTypoIndex, type TypoIndex } from './typo-index.js';

/** Every chart of every repository, with the structures a query walks instead of the charts. */
export interface SearchIndex {
  charts: readonly IndexedChart[];
  text: TextIndex;
  typos: TypoIndex;
  /** chart ids in name, then repository order: the listing without text needs no sort */
  byName: readonly number[];
}

export const compareNames = (a: IndexedChart, b: IndexedChart): number =>
  a.row.name < b.row.name ? -1 : a.row.name > b.row.name ? 1 : a.repository < b.repository ? -1 : 1;

export function buildSearchIndex(charts: readonly IndexedChart[]): SearchIndex {
  const vocabulary = new Map<string, number>();
  for (const chart of charts)
    for (const word of correctableWords(chart)) vocabulary.set(word, (vocabulary.get(word) ?? 0) + 1);
  const byName = charts.map((_, id) => id);
  byName.sort((a, b) => compareNames(charts[a] as IndexedChart, charts[b] as IndexedChart));
  return { charts, text: buildTextIndex(charts), typos: buildTypoIndex(vocabulary), byName };
}
