import { describe, expect, it } from 'vitest';
import type { ZpaPage } from '../../../shared/zscaler/schemas/paging.ts';
import { itemsOf, zpaPageSize, zpaPages } from '../../../shared/zscaler/zpa/paging.ts';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('zpaPages', () => {
  it('follows totalPages (no nextPage field needed)', async () => {
    const asked: number[] = [];
    const pages = await collect(
      zpaPages<number>(async (p) => {
        asked.push(p);
        return { totalPages: 3, list: [p * 10, p * 10 + 1] };
      }, 2),
    );
    expect(asked).toEqual([1, 2, 3]);
    expect(pages.map((p) => p.page)).toEqual([1, 2, 3]);
    expect(pages.flatMap((p) => p.list)).toEqual([10, 11, 20, 21, 30, 31]);
  });

  it('without totalPages stops on a short page; an empty first page ends at once', async () => {
    const data: Record<number, number[]> = { 1: [1, 2], 2: [3, 4], 3: [5] };
    const asked: number[] = [];
    const fetch = async (p: number): Promise<ZpaPage<number>> => {
      asked.push(p);
      return { list: data[p] ?? [] };
    };
    expect(await collect(itemsOf(zpaPages(fetch, 2)))).toEqual([1, 2, 3, 4, 5]);
    expect(asked).toEqual([1, 2, 3]);
    expect(await collect(zpaPages(async () => ({ totalPages: 0, list: [] }), 500))).toHaveLength(1);
  });

  it('stops on an empty page even if totalPages claims more', async () => {
    const asked: number[] = [];
    await collect(
      zpaPages<number>(async (p) => {
        asked.push(p);
        return { totalPages: 9, list: p < 2 ? [1] : [] };
      }, 1),
    );
    expect(asked).toEqual([1, 2]);
  });

  it('validates page sizes (default 500, max 500)', () => {
    expect(zpaPageSize(undefined)).toBe(500);
    expect(zpaPageSize(20)).toBe(20);
    expect(() => zpaPageSize(501)).toThrow(RangeError);
    expect(() => zpaPageSize(0)).toThrow(RangeError);
  });
});
