/**
 * The versions an upstream index.yaml lists, read without holding the whole document as objects.
 *
 * A 10,000-version index is about 15 MB of text and, parsed whole by js-yaml, about 170 MB of
 * objects, of which an import keeps four strings per version. Helm, ChartMuseum and
 * chart-releaser all write the same block style (`entries:` at the left margin, one key per
 * chart, one `- ` item per version), so the text is cut into one piece per version and each is
 * parsed alone; what is kept of it is copied out, and the piece is garbage at once.
 *
 * Anything outside that shape (flow style, JSON, tabs, document markers, a duplicate key, an
 * alias to another piece, a piece that does not parse) goes to the whole-document parse, which
 * reads every valid index and gives the exact error for an invalid one. The fast path therefore
 * never accepts what the whole parse would refuse, and never reads anything differently
 * (test/import/index-entries.test.ts compares the two).
 */
import yaml from 'js-yaml';
import { assertBounded } from '../charts/yaml-safe.js';
import { SourceError } from './source-error.js';

export interface IndexEntry {
  name: string;
  version: string;
  urls: string[];
  digest?: string;
}

/** Nodes the whole index may hold, aliases expanded (a bound on alias bombs). */
const INDEX_NODE_BUDGET = 20_000_000;
const FAILSAFE = { schema: yaml.FAILSAFE_SCHEMA };

/** The versions of an index.yaml; SourceError when the text is not one. */
export function readIndexEntries(text: string, url: string): IndexEntry[] {
  try {
    const pieces = readInPieces(text);
    if (pieces) return pieces;
  } catch {
    // the whole parse below gives the error, or reads what the pieces could not
  }
  return readWhole(text, url);
}

function readWhole(text: string, url: string): IndexEntry[] {
  const notIndex = (why: string) =>
    new SourceError('invalid', `${url} is not a Helm repository index: ${why}`);
  let doc: unknown;
  try {
    doc = yaml.load(text, FAILSAFE);
    assertBounded(doc, 'the index', INDEX_NODE_BUDGET);
  } catch (err) {
    throw notIndex(err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err));
  }
  const entries = isRecord(doc) ? doc.entries : undefined;
  if (!isRecord(entries)) throw notIndex('it has no "entries" map');
  const out: IndexEntry[] = [];
  for (const [name, versions] of Object.entries(entries)) {
    if (!Array.isArray(versions)) throw notIndex(`"entries.${name}" is not a list`);
    for (const item of versions) {
      const entry = entryOf(name, item);
      if (!entry) throw notIndex(`a version of ${name} has no "version"`);
      out.push(entry);
    }
  }
  return out;
}

/** What an import keeps of one version; undefined when it is not a map with a version. */
function entryOf(name: string, item: unknown): IndexEntry | undefined {
  if (!isRecord(item) || typeof item.version !== 'string') return undefined;
  const urls = Array.isArray(item.urls) ? item.urls.filter((u): u is string => typeof u === 'string') : [];
  const digest = typeof item.digest === 'string' && item.digest !== '' ? item.digest : undefined;
  return digest === undefined
    ? { name, version: item.version, urls }
    : { name, version: item.version, urls, digest };
}

/** Thrown inside the fast path when the text is not in the shape it reads. */
class NotBlockStyle extends Error {}

/**
 * The entries read one version at a time, or undefined when the text is not in the block style
 * this reads (an invalid piece throws; the caller reads the whole document either way).
 */
export function readInPieces(text: string): IndexEntry[] | undefined {
  const scan = scanEntries(text);
  if (!scan || scan.charts.length === 0) return undefined;
  // the rest of the document must parse, and hold `entries` once, as the whole parse would
  const skeleton = yaml.load(scan.skeleton, FAILSAFE);
  if (!isRecord(skeleton) || !('entries' in skeleton)) return undefined;
  let budget = INDEX_NODE_BUDGET;
  const parse = (piece: string) => {
    const doc = yaml.load(piece, FAILSAFE);
    budget -= assertBounded(doc, 'the index', budget);
    return doc;
  };
  const byName: Record<string, IndexEntry[]> = Object.create(null);
  for (const chart of scan.charts) {
    const key = parse(chart.key);
    const names = isRecord(key) ? Object.keys(key) : [];
    const name = names[0];
    if (names.length !== 1 || name === undefined || Object.hasOwn(byName, name)) return undefined;
    // an inline value (`name: []`, flow style) is left to the whole parse
    if (!isRecord(key) || key[name] !== null || chart.items.length === 0) return undefined;
    const entries = chart.items.map((item) => entryOf(name, onlyItem(parse(item))));
    if (entries.some((e) => e === undefined)) return undefined;
    byName[name] = entries.map((e) => copied(e as IndexEntry));
  }
  return Object.values(byName).flat();
}

function onlyItem(doc: unknown): unknown {
  if (!Array.isArray(doc) || doc.length !== 1) throw new NotBlockStyle('not one item');
  return doc[0];
}

/** Fresh strings, so that what is kept does not keep the index text alive as slices of it. */
function copied(entry: IndexEntry): IndexEntry {
  const own = (s: string) => Buffer.from(s, 'utf8').toString('utf8');
  const out: IndexEntry = { name: own(entry.name), version: own(entry.version), urls: entry.urls.map(own) };
  if (entry.digest !== undefined) out.digest = own(entry.digest);
  return out;
}

interface ScannedChart {
  /** the chart's key line (`name:`) */
  key: string;
  /** one piece of text per version, each a one-item block sequence */
  items: string[];
}

interface Scan {
  /** the document without the entries' contents */
  skeleton: string;
  charts: ScannedChart[];
}

/**
 * Cuts the text at its line structure: the top-level `entries:` block, its chart keys (all at one
 * indent), and each chart's items (`-` at one indent, the chart key's or deeper). Blank lines and
 * comments cut nothing. Undefined when a line breaks that shape.
 */
function scanEntries(text: string): Scan | undefined {
  const skeleton: string[] = [];
  const charts: ScannedChart[] = [];
  let inEntries = false;
  let seenEntries = false;
  let keyIndent = -1;
  let itemIndent = -1;
  let chart: ScannedChart | undefined;
  let itemStart = -1;
  const closeItem = (end: number) => {
    if (chart && itemStart >= 0) chart.items.push(text.slice(itemStart, end));
    itemStart = -1;
  };
  const openItem = (start: number, indent: number) => {
    closeItem(start);
    itemIndent = indent;
    itemStart = start;
  };
  // offsets and character codes only: a 15 MB index has 400,000 lines, and a string per line
  // would be most of what this reads
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline + 1;
    let at = start;
    while (text.charCodeAt(at) === SPACE) at++;
    const indent = at - start;
    const first = text.charCodeAt(at);
    let contentEnd = newline < 0 ? text.length : newline;
    if (contentEnd > at && text.charCodeAt(contentEnd - 1) === CR) contentEnd--;
    if (first === TAB) return undefined;
    const quiet = at >= contentEnd || first === HASH;
    const isItem = first === DASH && (at + 1 === contentEnd || text.charCodeAt(at + 1) === SPACE);
    if (quiet) {
      if (!inEntries) skeleton.push(text.slice(start, end));
    } else if (indent === 0) {
      closeItem(start);
      inEntries = false;
      const line = text.slice(start, contentEnd);
      if (/^(---|\.\.\.|%)/.test(line)) return undefined;
      if (line.startsWith('entries:')) {
        if (seenEntries || !/^entries:\s*(#.*)?$/.test(line)) return undefined;
        seenEntries = inEntries = true;
      }
      skeleton.push(text.slice(start, end));
    } else if (!inEntries) {
      skeleton.push(text.slice(start, end));
    } else if (keyIndent < 0 || indent === keyIndent) {
      if (isItem && chart && (itemIndent < 0 || itemIndent === indent)) openItem(start, indent);
      else if (isItem) return undefined;
      else {
        closeItem(start);
        keyIndent = indent;
        itemIndent = -1;
        chart = { key: text.slice(at, end), items: [] };
        charts.push(chart);
      }
    } else if (indent < keyIndent) {
      return undefined;
    } else if (itemIndent < 0 || indent === itemIndent) {
      // the first item of a chart whose items are indented under its key
      if (!isItem || !chart) return undefined;
      openItem(start, indent);
    } else if (indent < itemIndent || itemStart < 0) {
      return undefined;
    }
    start = end;
  }
  closeItem(text.length);
  return seenEntries ? { skeleton: skeleton.join(''), charts } : undefined;
}

const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const HASH = 0x23;
const DASH = 0x2d;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
