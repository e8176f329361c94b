/**
 * Progress of a long-running command (`check`, `gc`, `backup`, `restore`): one line redrawn in
 * place with a bar, counts, bytes and rate, written only to a terminal. In a pipe or CI log the
 * same calls write nothing, so the command's real output stays clean.
 */
export interface Progress {
  /** Begins a phase; `total` items when known (the bar needs it). */
  start(label: string, total?: number): void;
  /** `items` more done, carrying `bytes` bytes. */
  advance(items?: number, bytes?: number): void;
  /** Ends the phase and clears the line. */
  done(): void;
}

/** What progress writes to: process.stderr in the CLI, a fake in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export const silentProgress: Progress = { start() {}, advance() {}, done() {} };

const REDRAW_MS = 100;
const BAR = 24;

export function createProgress(stream: ProgressStream | undefined, now: () => number = Date.now): Progress {
  if (!stream?.isTTY) return silentProgress;
  let label = '';
  let total: number | undefined;
  let items = 0;
  let bytes = 0;
  let began = 0;
  let drawn = 0;

  function draw(): void {
    drawn = now();
    const seconds = Math.max((drawn - began) / 1000, 0.001);
    const counts = total === undefined ? `${items}` : `${items}/${total}`;
    const bar = total
      ? `[${'#'.repeat(Math.round((Math.min(items, total) / total) * BAR)).padEnd(BAR, '.')}] `
      : '';
    const size = bytes > 0 ? ` ${formatBytes(bytes)}` : '';
    const rate = `${(items / seconds).toFixed(items / seconds < 10 ? 1 : 0)}/s`;
    const line = `${label} ${bar}${counts}${size} ${rate}`;
    const width = Math.max(20, (stream?.columns ?? 80) - 1);
    stream?.write(`\r\x1b[K${line.slice(0, width)}`);
  }

  return {
    start(phase, count) {
      label = phase;
      total = count;
      items = 0;
      bytes = 0;
      began = now();
      draw();
    },
    advance(more = 1, moreBytes = 0) {
      items += more;
      bytes += moreBytes;
      if (now() - drawn >= REDRAW_MS || items === total) draw();
    },
    done() {
      stream?.write('\r\x1b[K');
    },
  };
}

/** 1536 → `1.5 KiB`: for people, in progress lines and reports. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}
