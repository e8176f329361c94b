import type { ChartSearchRow, VersionRecord } from '../store/metadata-store.js';
import { searchWords } from './words.js';

/** Weights of a word by where it appears, as the SQL stores rank: name 10, keywords 4, description 1. */
const NAME = 10;
const KEYWORD = 4;
const DESCRIPTION = 1;

/** A chart as the in-memory index holds it, its words read once when it is built. */
export interface IndexedChart {
  repository: string;
  row: ChartSearchRow;
  /** the version whose text is searched: the highest release, else the highest version */
  document: VersionRecord;
  /** the words of the chart name joined by spaces: a query of exactly these ranks it first */
  nameWords: string;
  /** the document's keywords in lowercase, for the keyword filter and facet */
  keywords: string[];
  /** each word of the document and its weight (the highest field it appears in) */
  words: Map<string, number>;
  /** what decides whether a stored row still describes this chart (see chartKey) */
  key: string;
}

/** Equal for two rows exactly when they show the same versions: digests move with any content change. */
export function chartKey(repository: string, row: ChartSearchRow): string {
  const { latest, release } = row;
  return [
    repository,
    row.name,
    latest.version,
    latest.digest,
    release?.version,
    release?.digest,
    row.versions,
    row.updated,
    row.latestProvenance,
    row.releaseProvenance,
  ].join('\0');
}

export function indexChart(repository: string, row: ChartSearchRow): IndexedChart {
  const document = row.release ?? row.latest;
  const { metadata } = document;
  const keywords = (metadata.keywords ?? []).map((k) => String(k).trim().toLowerCase()).filter(Boolean);
  const words = new Map<string, number>();
  const add = (text: string, weight: number) => {
    for (const word of searchWords(text)) words.set(word, Math.max(words.get(word) ?? 0, weight));
  };
  add(metadata.description ?? '', DESCRIPTION);
  add(keywords.join(' '), KEYWORD);
  add(row.name, NAME);
  return {
    repository,
    row,
    document,
    nameWords: searchWords(row.name).join(' '),
    keywords,
    words,
    key: chartKey(repository, row),
  };
}

/** Words a typo may be corrected to: those of names and keywords (descriptions are too noisy). */
export function* correctableWords(chart: IndexedChart): Iterable<string> {
  for (const [word, weight] of chart.words) if (weight >= KEYWORD) yield word;
}
