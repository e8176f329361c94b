/** A contract suite's opener: a fresh store for each test, closed when the test ends. */
export function openedPerTest<S extends { close(): unknown }>(open: () => Promise<S>) {
  return async (t: { after(fn: () => unknown): void }): Promise<S> => {
    const store = await open();
    t.after(() => store.close());
    return store;
  };
}
