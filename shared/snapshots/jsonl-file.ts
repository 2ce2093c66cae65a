import { createHash, type Hash } from 'node:crypto';
import type { ObjectStore, ObjectWriteStream } from './object-store.ts';

/** What a finished JSON Lines file looked like. */
export interface WrittenFile {
  key: string;
  records: number;
  bytes: number;
  /** sha256 of the object's bytes, hex. */
  sha256: string;
}

/**
 * One JSON Lines object being streamed: records are serialised into a small buffer that is handed
 * to the store whenever it passes `flushBytes`, while a running sha256 and byte count are kept.
 *
 * @example
 * const file = new JsonlFile(store, 'snapshots/acme/…/pccGroups.jsonl');
 * await file.append({ id: '1', name: 'dc-1' });
 * const written = await file.close(); // { records: 1, bytes: 26, sha256: '…' }
 */
export class JsonlFile {
  readonly key: string;
  readonly #out: ObjectWriteStream;
  readonly #hash: Hash = createHash('sha256');
  readonly #flushBytes: number;
  #pending: string[] = [];
  #pendingLength = 0;
  #records = 0;
  #bytes = 0;

  constructor(store: ObjectStore, key: string, options: { flushBytes?: number } = {}) {
    this.key = key;
    this.#out = store.openWrite(key, 'application/x-ndjson');
    this.#flushBytes = options.flushBytes ?? 256 * 1024;
  }

  /** Adds one record (one line). */
  async append(record: unknown): Promise<void> {
    const line = `${JSON.stringify(record)}\n`;
    this.#pending.push(line);
    this.#pendingLength += line.length;
    this.#records++;
    if (this.#pendingLength >= this.#flushBytes) await this.#flush();
  }

  async #flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const chunk = Buffer.from(this.#pending.join(''), 'utf8');
    this.#pending = [];
    this.#pendingLength = 0;
    this.#hash.update(chunk);
    this.#bytes += chunk.length;
    await this.#out.write(chunk);
  }

  /** Flushes and completes the object. */
  async close(): Promise<WrittenFile> {
    await this.#flush();
    await this.#out.close();
    return { key: this.key, records: this.#records, bytes: this.#bytes, sha256: this.#hash.digest('hex') };
  }

  async abort(): Promise<void> {
    this.#pending = [];
    await this.#out.abort();
  }
}

/** sha256 (hex) of a text, for the small files the manifest lists. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
