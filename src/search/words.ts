/** tsvector holds at most 1 MB; a description past this is not searched beyond it */
const MAX_FIELD_CHARS = 100_000;

/**
 * Text cut into search words: split at anything that is not a letter or a digit, lowercased, with
 * diacritics removed, as SQLite's unicode61 tokenizer does (remove_diacritics 2). The stores' SQL
 * search and the in-memory index read text the same way.
 */
export function searchWords(text: string): string[] {
  return text
    .slice(0, MAX_FIELD_CHARS)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}
