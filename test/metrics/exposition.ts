import type { InjectOptions } from 'fastify';

/** One sample of the Prometheus text format: `name{a="x",b="y"} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1] ?? ''] = (pair[2] ?? '').replace(/\\(.)/g, '$1');
    }
    samples.push({ name: match[1] ?? '', labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the one sample with this name and these labels (among others); undefined when none. */
export function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}) {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value),
  );
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

/** Every label value of `label` in the samples of `name`. */
export const labelValues = (samples: Sample[], name: string, label: string) =>
  samples.filter((s) => s.name === name).map((s) => s.labels[label]);

interface Injects {
  inject(
    options: InjectOptions,
  ): Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>;
}

/** Scrapes an app's /metrics and parses it (the answer must be 200 in the text format). */
export async function scrape(app: Injects, url = '/metrics'): Promise<{ text: string; samples: Sample[] }> {
  const response = await app.inject({ url });
  if (response.statusCode !== 200)
    throw new Error(`/metrics answered ${response.statusCode}: ${response.body}`);
  if (!String(response.headers['content-type']).startsWith('text/plain')) {
    throw new Error(`/metrics answered ${String(response.headers['content-type'])}`);
  }
  return { text: response.body, samples: parseExposition(response.body) };
}
