/** What the soak's clients do; `refused` is a deliberate 4xx (a duplicate push, a missing version). */
export const OPERATIONS = [
  'push-api',
  'push-oci',
  'delete',
  'pull-package',
  'pull-blob',
  'index',
  'index-conditional',
  'search',
  'refused',
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** Everything the clients did in one sampling window: raw latencies, so minutes can be pooled. */
export interface Window {
  latencies: Record<Operation, number[]>;
  /** unexpected answers and failed requests, by operation */
  errors: Record<Operation, number>;
  /** deliberate 4xx by status */
  refused: Record<string, number>;
}

const empty = (): Window => ({
  latencies: Object.fromEntries(OPERATIONS.map((op) => [op, []])) as unknown as Record<Operation, number[]>,
  errors: Object.fromEntries(OPERATIONS.map((op) => [op, 0])) as Record<Operation, number>,
  refused: {},
});

/** Collects the clients' outcomes into windows; keeps each distinct error message with its count. */
export function createRecorder() {
  let window = empty();
  const messages = new Map<string, number>();
  return {
    done(op: Operation, ms: number) {
      window.latencies[op].push(ms);
    },
    refused(status: number, ms: number) {
      window.latencies.refused.push(ms);
      window.refused[status] = (window.refused[status] ?? 0) + 1;
    },
    failed(op: Operation, message: string) {
      window.errors[op] += 1;
      const key = `${op}: ${message.slice(0, 300)}`;
      messages.set(key, (messages.get(key) ?? 0) + 1);
    },
    /** the window so far; the next one starts empty */
    take(): Window {
      const taken = window;
      window = empty();
      return taken;
    },
    errorMessages: () => [...messages].map(([message, count]) => ({ message, count })),
  };
}
export type Recorder = ReturnType<typeof createRecorder>;
