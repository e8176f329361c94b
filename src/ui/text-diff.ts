/** One line of a line diff: kept, removed from the old text, or added in the new one. */
export interface DiffLine {
  kind: 'same' | 'del' | 'add';
  text: string;
  /** 1-based line numbers in the old and the new text */
  old?: number;
  new?: number;
}

/** Beyond this many cells (old lines × new lines, after the common ends) no diff is computed. */
export const MAX_DIFF_CELLS = 4_000_000;

/**
 * A line diff by longest common subsequence, after trimming the common head and tail (which is
 * most of two versions of a values file). Undefined when the changed middle is too large.
 */
export function diffLines(before: string, after: string): DiffLine[] | undefined {
  const a = before.replace(/\r\n?/g, '\n').split('\n');
  const b = after.replace(/\r\n?/g, '\n').split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const n = a.length - head - tail;
  const m = b.length - head - tail;
  if (n * m > MAX_DIFF_CELLS) return undefined;
  // lcs[i][j]: the common subsequence length of a[head+i..] and b[head+j..] (middles only)
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i * width + j] =
        a[head + i] === b[head + j]
          ? (lcs[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(lcs[(i + 1) * width + j] ?? 0, lcs[i * width + j + 1] ?? 0);
  const out: DiffLine[] = [];
  for (let k = 0; k < head; k++) out.push({ kind: 'same', text: a[k] ?? '', old: k + 1, new: k + 1 });
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[head + i] === b[head + j]) {
      out.push({ kind: 'same', text: a[head + i] ?? '', old: head + i + 1, new: head + j + 1 });
      i++;
      j++;
    } else if (j < m && (i === n || (lcs[i * width + j + 1] ?? 0) >= (lcs[(i + 1) * width + j] ?? 0))) {
      out.push({ kind: 'add', text: b[head + j] ?? '', new: head + j + 1 });
      j++;
    } else {
      out.push({ kind: 'del', text: a[head + i] ?? '', old: head + i + 1 });
      i++;
    }
  }
  for (let k = 0; k < tail; k++)
    out.push({ kind: 'same', text: a[head + n + k] ?? '', old: head + n + k + 1, new: head + m + k + 1 });
  return out;
}

/** The diff cut to its changes with `context` lines around each; `null` marks a gap. */
export function hunks(lines: DiffLine[], context = 3): (DiffLine | null)[] {
  const keep = new Uint8Array(lines.length);
  lines.forEach((line, i) => {
    if (line.kind === 'same') return;
    for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++) keep[k] = 1;
  });
  const out: (DiffLine | null)[] = [];
  lines.forEach((line, i) => {
    if (keep[i]) out.push(line);
    else if (out.length > 0 && out.at(-1) !== null) out.push(null);
  });
  if (out.at(-1) === null) out.pop();
  return out;
}
