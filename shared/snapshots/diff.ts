import { SNAPSHOT_KINDS, type SnapshotKind } from './kinds.ts';
import type { SnapshotIndex } from './snapshot-index.ts';

/** Changes of one kind against the previous snapshot. Counts are exact; lists are ids. */
export interface KindDiff {
  added: string[];
  removed: string[];
  changed: string[];
  addedCount: number;
  removedCount: number;
  changedCount: number;
  unchangedCount: number;
}

export interface SnapshotDiff {
  snapshotId: string;
  /** The snapshot compared against; null for a tenant's first snapshot (a baseline). */
  previous: { snapshotId: string; prefix: string } | null;
  /**
   * True when there was nothing to compare with: every resource counts as added (`addedCount`) and
   * the id lists stay empty rather than repeat the whole inventory.
   */
  baseline: boolean;
  kinds: Partial<Record<SnapshotKind, KindDiff>>;
}

const emptyDiff = (): KindDiff => ({
  added: [],
  removed: [],
  changed: [],
  addedCount: 0,
  removedCount: 0,
  changedCount: 0,
  unchangedCount: 0,
});

/**
 * Diffs streamed records against the previous snapshot's index. Memory is the previous index (ids
 * and short hashes) plus the ids that changed; an id seen now is taken out of the previous index,
 * so what is left of it at the end was removed.
 *
 * @example
 * const diff = new DiffBuilder(previousIndex, { snapshotId: 'prev', prefix: '…' });
 * diff.observe('appConnectors', '123', itemHash(connector));
 * const result = diff.finish('now', ['appConnectors']);
 */
export class DiffBuilder {
  readonly #previous: SnapshotIndex | undefined;
  readonly #previousRef: SnapshotDiff['previous'];
  readonly #kinds = new Map<SnapshotKind, KindDiff>();

  constructor(previous: SnapshotIndex | undefined, previousRef: SnapshotDiff['previous']) {
    this.#previous = previous;
    this.#previousRef = previous ? previousRef : null;
  }

  #kind(kind: SnapshotKind): KindDiff {
    let d = this.#kinds.get(kind);
    if (!d) {
      d = emptyDiff();
      this.#kinds.set(kind, d);
    }
    return d;
  }

  observe(kind: SnapshotKind, id: string, hash: string): void {
    const d = this.#kind(kind);
    if (!this.#previous) {
      d.addedCount++;
      return;
    }
    const prev = this.#previous.get(kind);
    const before = prev?.get(id);
    if (before === undefined) {
      d.added.push(id);
      d.addedCount++;
      return;
    }
    prev?.delete(id);
    if (before === hash) d.unchangedCount++;
    else {
      d.changed.push(id);
      d.changedCount++;
    }
  }

  /**
   * The diff. `kindsTaken` are the kinds this snapshot covered: a kind it did not fetch (its API is
   * not configured) is not reported as removed.
   */
  finish(snapshotId: string, kindsTaken: readonly SnapshotKind[] = SNAPSHOT_KINDS): SnapshotDiff {
    const kinds: Partial<Record<SnapshotKind, KindDiff>> = {};
    for (const kind of kindsTaken) {
      const d = this.#kind(kind);
      const left = this.#previous?.get(kind);
      if (left) {
        for (const id of left.keys()) d.removed.push(id);
        d.removedCount = d.removed.length;
        left.clear();
      }
      kinds[kind] = d;
    }
    return { snapshotId, previous: this.#previousRef, baseline: this.#previous === undefined, kinds };
  }
}
