import {
  type DocumentOptions,
  type ReadIndexBlocks,
  type RenderedIndex,
  renderDocument,
  type UrlMemo,
} from './index-document.js';

export interface IndexSource {
  read: ReadIndexBlocks;
  /** renders a whole document off the event loop (MetadataStore.renderLargeIndex), where the store can */
  renderLarge?: (repository: string, options: DocumentOptions) => Promise<RenderedIndex | undefined>;
}

/**
 * Decides how each render of a repository's index runs: the gzip form alone from the blocks' digests
 * (what Helm asks for, and cheap at any size); the plain document with it in place while it stays
 * under the memory limit (a small index is always read whole, so the next plain GET needs no second
 * read); a large plain document in the store's worker, judged by the length of the last render.
 */
export function createIndexRenders(source: IndexSource, optionsFor: (repository: string) => DocumentOptions) {
  const urlMemos = new Map<string, UrlMemo>();
  const lengths = new Map<string, number>();

  return async (repository: string, plain: boolean): Promise<RenderedIndex | undefined> => {
    const options = optionsFor(repository);
    const memo: UrlMemo = urlMemos.get(repository) ?? new Map();
    urlMemos.set(repository, memo);
    const inPlace = (bodies: boolean) => renderDocument(source.read, repository, bodies, options, memo);
    let length = lengths.get(repository);
    if (plain && source.renderLarge && length === undefined) length = (await inPlace(false))?.length;
    const large = length !== undefined && length > options.memoryLimit;
    const index =
      plain && large && source.renderLarge
        ? await source.renderLarge(repository, options)
        : await inPlace(plain || (length !== undefined && !large));
    if (index) lengths.set(repository, index.length);
    return index;
  };
}
