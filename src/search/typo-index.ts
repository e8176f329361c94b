import { allowedTypos, editDistance } from './edit-distance.js';

/** Trigrams of a word padded with one boundary mark each side: `$ab$` gives `$ab`, `ab$`. */
function trigrams(word: string): string[] {
  const padded = `$${word}$`;
  const grams: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) grams.push(padded.slice(i, i + 3));
  return grams;
}

/** A stored word close enough to a query word to be offered instead, and how far it is. */
export interface Correction {
  word: string;
  distance: number;
}

/**
 * Corrections for misspelt words, over a vocabulary of words with how many charts have each.
 * Candidates share trigrams with the query word; one edit changes at most three of a word's
 * trigrams and a swap of neighbours at most four, so a word `k` edits away shares at least
 * `length - 4k` of them (the q-gram lemma). Where that bound says nothing, candidates are every
 * word of a near length. Each candidate's edit distance is then computed with the bound.
 */
export function buildTypoIndex(vocabulary: ReadonlyMap<string, number>) {
  const byGram = new Map<string, string[]>();
  const byLength = new Map<number, string[]>();
  for (const word of vocabulary.keys()) {
    for (const gram of new Set(trigrams(word))) {
      const list = byGram.get(gram);
      if (list) list.push(word);
      else byGram.set(gram, [word]);
    }
    const same = byLength.get(word.length);
    if (same) same.push(word);
    else byLength.set(word.length, [word]);
  }

  function candidates(word: string, typos: number): Iterable<string> {
    const grams = [...new Set(trigrams(word))];
    const needed = grams.length - 4 * typos;
    if (needed < 1) {
      const near: string[] = [];
      for (let length = word.length - typos; length <= word.length + typos; length++)
        near.push(...(byLength.get(length) ?? []));
      return near;
    }
    const shared = new Map<string, number>();
    for (const gram of grams)
      for (const other of byGram.get(gram) ?? []) shared.set(other, (shared.get(other) ?? 0) + 1);
    return [...shared].filter(([, count]) => count >= needed).map(([other]) => other);
  }

  return {
    /** The closest words to `word` (never itself), nearest and most used first. */
    corrections(word: string, limit: number): Correction[] {
      const typos = allowedTypos(word.length);
      if (typos === 0) return [];
      const found: Correction[] = [];
      for (const other of candidates(word, typos)) {
        if (other === word) continue;
        const distance = editDistance(word, other, typos);
        if (distance <= typos) found.push({ word: other, distance });
      }
      found.sort(
        (a, b) =>
          a.distance - b.distance ||
          (vocabulary.get(b.word) ?? 0) - (vocabulary.get(a.word) ?? 0) ||
          (a.word < b.word ? -1 : 1),
      );
      return found.slice(0, limit);
    },
  };
}

export type TypoIndex = ReturnType<typeof buildTypoIndex>;
