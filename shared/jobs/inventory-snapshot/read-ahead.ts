/**
 * Iterates `source` while already asking it for the next `depth` items, so the next page's request
 * is in flight (and its rate-limit wait running) while the current page is being written.
 *
 * @example
 * for await (const page of readAhead(zpa.appConnectors.listPages())) await write(page);
 */
export async function* readAhead<T>(source: AsyncIterable<T>, depth = 1): AsyncGenerator<T, void, undefined> {
  const it = source[Symbol.asyncIterator]();
  const queue: Promise<IteratorResult<T>>[] = [];
  // Queued `next()` calls on an async generator run one after another, never concurrently.
  const pull = () => {
    const p = it.next();
    // Handled where awaited; this keeps an early exit from leaving an unhandled rejection behind.
    p.catch(() => undefined);
    queue.push(p);
  };
  try {
    for (let i = 0; i <= depth; i++) pull();
    for (;;) {
      const next = queue.shift();
      if (!next) return;
      const r = await next;
      if (r.done) return;
      // While the consumer has item k, items k+1..k+depth are already asked for.
      yield r.value;
      pull();
    }
  } finally {
    await it.return?.(undefined);
  }
}
