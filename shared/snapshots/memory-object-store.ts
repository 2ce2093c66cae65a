import { SnapshotStoreError } from './errors.ts';
import type { ObjectStore, ObjectWriteStream } from './object-store.ts';

/**
 * An in-memory object store for unit tests. Objects become visible on `close`, like S3 multipart
 * uploads; `writes` counts the chunks each key received (tests check streaming happened).
 *
 * @example
 * const store = new MemoryObjectStore();
 * await store.putText('a.json', '{}', 'application/json');
 * await store.getText('a.json'); // '{}'
 */
export class MemoryObjectStore implements ObjectStore {
  readonly objects = new Map<string, { body: Buffer; contentType: string }>();
  readonly writes = new Map<string, number>();
  /** Keys whose next write fails (fault injection). */
  readonly failWritesTo = new Set<string>();

  openWrite(key: string, contentType: string): ObjectWriteStream {
    const chunks: Buffer[] = [];
    let state: 'open' | 'closed' | 'aborted' = 'open';
    return {
      write: async (chunk) => {
        if (state !== 'open') throw new SnapshotStoreError(`write after ${state}`, key);
        if (this.failWritesTo.has(key)) throw new SnapshotStoreError('injected write failure', key);
        chunks.push(Buffer.from(chunk));
        this.writes.set(key, (this.writes.get(key) ?? 0) + 1);
      },
      close: async () => {
        if (state !== 'open') throw new SnapshotStoreError(`close after ${state}`, key);
        state = 'closed';
        this.objects.set(key, { body: Buffer.concat(chunks), contentType });
      },
      abort: async () => {
        state = 'aborted';
        chunks.length = 0;
      },
    };
  }

  async putText(key: string, body: string, contentType: string): Promise<void> {
    this.objects.set(key, { body: Buffer.from(body), contentType });
  }

  async getText(key: string): Promise<string | undefined> {
    return this.objects.get(key)?.body.toString('utf8');
  }

  async *readLines(key: string): AsyncIterable<string> {
    const text = await this.getText(key);
    if (text === undefined) return;
    for (const line of text.split('\n')) if (line !== '') yield line;
  }

  /** Keys under a prefix, sorted. */
  keys(prefix = ''): string[] {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
}
