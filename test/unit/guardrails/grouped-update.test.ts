import { describe, expect, it, vi } from 'vitest';
import { ControlContentionError, updateControlGrouped } from '../../../shared/guardrails/control-store.ts';
import { MemoryControlStore } from '../../../shared/guardrails/memory-control-store.ts';

/** Appends `id` to the item's list; the value is the list's length before. */
const append = (id: string) => (data: Record<string, unknown> | undefined) => {
  const list = ((data?.list ?? []) as string[]).slice();
  const before = list.length;
  list.push(id);
  return { data: { list }, value: before };
};

describe('updateControlGrouped', () => {
  it('updates made at one moment share one write, each seeing the ones before it', async () => {
    const store = new MemoryControlStore();
    const put = vi.spyOn(store, 'put');
    const values = await Promise.all(
      ['a', 'b', 'c', 'd'].map((id) => updateControlGrouped(store, 'k', append(id))),
    );
    expect(values).toEqual([0, 1, 2, 3]);
    expect((await store.get('k'))?.data).toEqual({ list: ['a', 'b', 'c', 'd'] });
    expect(put).toHaveBeenCalledTimes(1);
  });

  it('updates arriving while a write is under way go in the next write, none is lost', async () => {
    const store = new MemoryControlStore();
    const put = vi.spyOn(store, 'put');
    const first = updateControlGrouped(store, 'k', append('a'));
    await new Promise((r) => setImmediate(r)); // the first group's write has started
    const later = Promise.all(['b', 'c'].map((id) => updateControlGrouped(store, 'k', append(id))));
    expect(await first).toBe(0);
    expect(await later).toEqual([1, 2]);
    expect((await store.get('k'))?.data).toEqual({ list: ['a', 'b', 'c'] });
    expect(put).toHaveBeenCalledTimes(2);
  });

  it("a group that loses to another process's write is decided again on what that write left", async () => {
    const store = new MemoryControlStore();
    const realPut = store.put.bind(store);
    let interfered = false;
    vi.spyOn(store, 'put').mockImplementation(async (key, data, options) => {
      if (!interfered) {
        interfered = true; // another process writes first
        await realPut(key, { list: ['other'] }, { expectedVersion: 0 });
      }
      return realPut(key, data, options);
    });
    const values = await Promise.all(['a', 'b'].map((id) => updateControlGrouped(store, 'k', append(id))));
    expect(values).toEqual([1, 2]);
    expect((await store.get('k'))?.data).toEqual({ list: ['other', 'a', 'b'] });
  });

  it('a group whose write keeps losing fails every update in it; the key is usable again after', async () => {
    const store = new MemoryControlStore();
    const put = vi.spyOn(store, 'put').mockResolvedValue(undefined);
    const lost = await Promise.allSettled(
      ['a', 'b'].map((id) => updateControlGrouped(store, 'k', append(id), { attempts: 2 })),
    );
    expect(lost.map((r) => r.status === 'rejected' && r.reason instanceof ControlContentionError)).toEqual([
      true,
      true,
    ]);
    put.mockRestore();
    expect(await updateControlGrouped(store, 'k', append('c'))).toBe(0);
  });

  it('an update that writes nothing costs no write', async () => {
    const store = new MemoryControlStore();
    const put = vi.spyOn(store, 'put');
    expect(await updateControlGrouped(store, 'k', () => ({ value: 'read only' }))).toBe('read only');
    expect(put).not.toHaveBeenCalled();
  });
});
