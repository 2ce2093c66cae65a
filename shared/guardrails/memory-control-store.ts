import type { ControlItem, ControlStore, DataMatch } from './control-store.ts';

/** The control store in memory (unit tests, single-process local runs). */
export class MemoryControlStore implements ControlStore {
  readonly items = new Map<string, ControlItem>();

  async get(key: string): Promise<ControlItem | undefined> {
    const item = this.items.get(key);
    return item ? structuredClone(item) : undefined;
  }

  async put(
    key: string,
    data: Record<string, unknown>,
    options: { expectedVersion: number },
  ): Promise<ControlItem | undefined> {
    const current = this.items.get(key)?.version ?? 0;
    if (current !== options.expectedVersion) return undefined;
    const item = { key, version: current + 1, data: structuredClone(data) };
    this.items.set(key, item);
    return structuredClone(item);
  }

  async delete(key: string, expectedVersion?: number, match?: DataMatch): Promise<boolean> {
    const item = this.items.get(key);
    if (!item) return false;
    if (expectedVersion !== undefined && item.version !== expectedVersion) return false;
    if (match && item.data[match.field] !== match.value) return false;
    this.items.delete(key);
    return true;
  }
}
