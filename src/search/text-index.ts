import type { IndexedChart } from './indexed-chart.js';

/**
 * Words to charts: every distinct word once, in code-unit order, so that the words a query word
 * begins are one binary search and a walk. A query's cost is the postings of the words it
 * touches, never every chart.
 */
export function buildTextIndex(charts: readonly IndexedChart[]) {
  const postings = new Map<string, number[]>();
  charts.forEach((chart, id) => {
    for (const word of chart.words.keys()) {
      const list = postings.get(word);
      if (list) list.push(id);
      else postings.set(word, [id]);
    }
  });
  const words = [...postings.keys()].sort();

  function firstAtLeast(word: string): number {
    let low = 0;
    let high = words.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((words[mid] as string) < word) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Charts where `word` begins a word, each with its best score: the field's weight, doubled for a whole word. */
  function matchWord(word: string): Map<number, number> {
    const found = new Map<number, number>();
    for (let i = firstAtLeast(word); i < words.length; i++) {
      const indexed = words[i] as string;
      if (!indexed.startsWith(word)) break;
      const whole = indexed === word ? 2 : 1;
      for (const id of postings.get(indexed) ?? []) {
        const score = (charts[id]?.words.get(indexed) ?? 0) * whole;
        if (score > (found.get(id) ?? 0)) found.set(id, score);
      }
    }
    return found;
  }

  return {
    /** Charts matching every word (as a prefix), with the sum of their scores; empty for no words. */
    match(queryWords: readonly string[]): Map<number, number> {
      let result: Map<number, number> | undefined;
      for (const word of queryWords) {
        const found = matchWord(word);
        if (!result) {
          result = found;
          continue;
        }
        const next = new Map<number, number>();
        for (const [id, score] of result) {
          const more = found.get(id);
          if (more !== undefined) next.set(id, score + more);
        }
        result = next;
        if (result.size === 0) break;
      }
      return result ?? new Map();
    },
  };
}

export type TextIndex = ReturnType<typeof buildTextIndex>;
