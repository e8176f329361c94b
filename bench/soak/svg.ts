import type { GcRun } from './gc-runner.js';
import { OPERATIONS } from './recorder.js';
import type { Sample } from './summary.js';

/**
 * A hand-drawn SVG of the soak: resident memory (top, linear) and each operation's p99 (bottom,
 * logarithmic, because pushes take tens of milliseconds and index reads a few), over minutes;
 * dashed lines mark the gc runs. No chart library: a few polylines and labels.
 */
const WIDTH = 860;
const LEFT = 76;
const RIGHT = 28;
const PANEL = 220;
const COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
];

type Scale = (value: number) => number;

function panel(options: {
  top: number;
  title: string;
  ticks: Array<{ value: number; label: string }>;
  y: Scale;
  x: Scale;
  minutes: number;
  gcRuns: GcRun[];
}): string {
  const { top, x, y } = options;
  const parts = [`<text x="${LEFT}" y="${top - 8}" font-weight="bold">${options.title}</text>`];
  parts.push(
    `<rect x="${LEFT}" y="${top}" width="${WIDTH - LEFT - RIGHT}" height="${PANEL}" fill="none" stroke="#999"/>`,
  );
  for (const tick of options.ticks) {
    const py = y(tick.value).toFixed(1);
    parts.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${py}" y2="${py}" stroke="#eee"/>`);
    parts.push(
      `<text x="${LEFT - 6}" y="${py}" text-anchor="end" dominant-baseline="middle">${tick.label}</text>`,
    );
  }
  const step = options.minutes > 20 ? 5 : options.minutes > 6 ? 2 : 1;
  for (let m = 0; m <= options.minutes; m += step) {
    parts.push(
      `<text x="${x(m * 60).toFixed(1)}" y="${top + PANEL + 16}" text-anchor="middle">${m} min</text>`,
    );
  }
  for (const run of options.gcRuns) {
    const px = x(run.at).toFixed(1);
    parts.push(
      `<line x1="${px}" x2="${px}" y1="${top}" y2="${top + PANEL}" stroke="#aaa" stroke-dasharray="4 3"/>`,
    );
  }
  return parts.join('\n');
}

const line = (points: Array<[number, number]>, color: string, width: number) =>
  `<polyline fill="none" stroke="${color}" stroke-width="${width}" points="${points.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ')}"/>`;

export function drawSvg(samples: Sample[], gcRuns: GcRun[], minutes: number): string {
  const span = Math.max(60, minutes * 60, samples.at(-1)?.t ?? 0);
  const x: Scale = (t) => LEFT + (t / span) * (WIDTH - LEFT - RIGHT);
  const parts: string[] = [];

  const memTop = 30;
  const rss = samples.map((s) => s.rssMB);
  const memMax = Math.ceil((Math.max(...rss, 1) * 1.15) / 100) * 100;
  const memY: Scale = (mb) => memTop + PANEL - (mb / memMax) * PANEL;
  const memTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => ({
    value: f * memMax,
    label: `${Math.round(f * memMax)} MB`,
  }));
  parts.push(
    panel({
      top: memTop,
      title: 'Resident memory of the server (VmRSS)',
      ticks: memTicks,
      y: memY,
      x,
      minutes,
      gcRuns,
    }),
  );
  parts.push(
    line(
      samples.map((s) => [x(s.t), memY(s.rssMB)]),
      '#1f77b4',
      2,
    ),
  );
  const heap = samples.flatMap((s) =>
    s.loopDelay ? [[x(s.t), memY(s.loopDelay.heapUsedMB)] as [number, number]] : [],
  );
  if (heap.length > 0) parts.push(line(heap, '#2ca02c', 1.2));
  parts.push(
    `<text x="${WIDTH - RIGHT - 6}" y="${memTop + 16}" text-anchor="end"><tspan fill="#1f77b4">resident (VmRSS)</tspan>  <tspan fill="#2ca02c">V8 heap used</tspan></text>`,
  );

  const latTop = memTop + PANEL + 60;
  const values = samples.flatMap((s) => Object.values(s.ops).map((o) => o.p99));
  const decades = [
    Math.floor(Math.log10(Math.max(0.1, Math.min(...values, 1)))),
    Math.ceil(Math.log10(Math.max(...values, 10))),
  ];
  const [lo, hi] = decades as [number, number];
  const latY: Scale = (ms) =>
    latTop + PANEL - ((Math.log10(Math.max(ms, 10 ** lo)) - lo) / (hi - lo)) * PANEL;
  const latTicks = Array.from({ length: hi - lo + 1 }, (_, i) => ({
    value: 10 ** (lo + i),
    label: `${10 ** (lo + i)} ms`,
  }));
  parts.push(
    panel({
      top: latTop,
      title: 'p99 latency per 10 s (log scale)',
      ticks: latTicks,
      y: latY,
      x,
      minutes,
      gcRuns,
    }),
  );
  const legend: string[] = [];
  OPERATIONS.forEach((op, i) => {
    const color = COLORS[i % COLORS.length] as string;
    const points = samples
      .filter((s) => s.ops[op])
      .map((s) => [x(s.t), latY(s.ops[op]?.p99 ?? 0)] as [number, number]);
    if (points.length > 0) parts.push(line(points, color, 1.2));
    const lx = LEFT + (i % 5) * 150;
    const ly = latTop + PANEL + 40 + Math.floor(i / 5) * 18;
    legend.push(
      `<line x1="${lx}" x2="${lx + 20}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2"/>`,
    );
    legend.push(`<text x="${lx + 26}" y="${ly}">${op}</text>`);
  });
  const gx = LEFT + 3 * 150;
  const gy = latTop + PANEL + 58;
  legend.push(
    `<line x1="${gx + 150}" x2="${gx + 170}" y1="${gy - 4}" y2="${gy - 4}" stroke="#aaa" stroke-dasharray="4 3"/>`,
  );
  legend.push(`<text x="${gx + 176}" y="${gy}">charthouse gc</text>`);
  const height = latTop + PANEL + 70;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    ...parts,
    ...legend,
    '</svg>',
    '',
  ].join('\n');
}
