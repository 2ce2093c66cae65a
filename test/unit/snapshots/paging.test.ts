import { describe, expect, it } from 'vitest';
import { concurrentPages } from '../../../shared/jobs/inventory-snapshot/page-fetcher.ts';
import { readAhead } from '../../../shared/jobs/inventory-snapshot/read-ahead.ts';
import type { NumberedPage } from '../../../shared/zscaler/zpa/paging.ts';

/** A fake ZPA collection: `total` items, `totalPages` as the server would say it (or not). */
function collection(total: number, options: { withTotal?: boolean; grow?: number } = {}) {
  let items = total;
  const requested: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const lister = (o: { pageSize: number; startPage: number }) =>
    (async function* (): AsyncGenerator<NumberedPage<number>, void, undefined> {
      for (let page = o.startPage; ; page++) {
        requested.push(page);
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, (page * 7) % 5));
        inFlight--;
        const list = Array.from(
          { length: Math.max(0, Math.min(o.pageSize, items - (page - 1) * o.pageSize)) },
          (_, i) => (page - 1) * o.pageSize + i,
        );
        const totalPages = Math.ceil(items / o.pageSize);
        if (page === 1 && options.grow) items += options.grow;
        yield { list, page, ...(options.withTotal === false ? {} : { totalPages }) };
        if (list.length < o.pageSize) return;
      }
    })();
  return { lister, requested, maxInFlight: () => maxInFlight };
}

async function all(it: AsyncIterable<number[]>): Promise<number[]> {
  const out: number[] = [];
  for await (const list of it) out.push(...list);
  return out;
}

describe('concurrent ZPA pages', () => {
  it('every page once, in order, with at most `concurrency` requests in flight', async () => {
    const c = collection(1050);
    const items = await all(concurrentPages(c.lister, 100, 3));
    expect(items).toEqual(Array.from({ length: 1050 }, (_, i) => i));
    expect([...c.requested].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(c.maxInFlight()).toBeLessThanOrEqual(3);
    expect(c.maxInFlight()).toBeGreaterThan(1);
  });

  it('a resumed listing starts at its page and reads every later page once', async () => {
    const c = collection(1050);
    const items = await all(concurrentPages(c.lister, 100, 3, 4));
    expect(items).toEqual(Array.from({ length: 750 }, (_, i) => 300 + i));
    expect([...c.requested].sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('a collection that grew while paging is read to its new end', async () => {
    const c = collection(300, { grow: 150 });
    expect(await all(concurrentPages(c.lister, 100, 2))).toHaveLength(450);
  });

  it('without totalPages, pages until a short page', async () => {
    const c = collection(250, { withTotal: false });
    expect(await all(concurrentPages(c.lister, 100, 4))).toHaveLength(250);
    expect(c.requested).toEqual([1, 2, 3]);
  });

  it('an empty collection is one call', async () => {
    const c = collection(0);
    expect(await all(concurrentPages(c.lister, 100, 2))).toEqual([]);
    expect(c.requested).toEqual([1]);
  });
});

describe('read-ahead', () => {
  it('asks for the next item while the current one is processed, and stops the source on exit', async () => {
    const log: string[] = [];
    let returned = false;
    async function* source() {
      try {
        for (let i = 1; i <= 3; i++) {
          log.push(`fetch ${i}`);
          yield i;
        }
      } finally {
        returned = true;
      }
    }
    for await (const i of readAhead(source())) {
      log.push(`use ${i}`);
      await new Promise((r) => setTimeout(r, 5));
      if (i === 2) break;
    }
    expect(log.indexOf('fetch 2')).toBeLessThan(log.indexOf('use 1') + 2);
    expect(log.slice(0, 3)).toEqual(['fetch 1', 'fetch 2', 'use 1']);
    expect(returned).toBe(true);
  });
});
