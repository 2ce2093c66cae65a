/**
 * The object storage port the snapshots write through. Adapters: S3 (`S3ObjectStore`, multipart
 * streaming through `@aws-sdk/lib-storage`) and in-memory (`MemoryObjectStore`, unit tests).
 *
 * @example
 * const out = store.openWrite('snapshots/acme/…/appConnectors.jsonl', 'application/x-ndjson');
 * await out.write('{"id":"1"}\n');
 * await out.close();
 * for await (const line of store.readLines('snapshots/acme/…/index.jsonl')) console.log(line);
 */
export interface ObjectStore {
  /** Starts a streamed object: bytes are uploaded in parts as they arrive, never held whole. */
  openWrite(key: string, contentType: string): ObjectWriteStream;
  /** Writes a small object in one call. */
  putText(key: string, body: string, contentType: string): Promise<void>;
  /** A small object's text, or undefined when it does not exist. */
  getText(key: string): Promise<string | undefined>;
  /** An object's lines, streamed (empty lines skipped); nothing when it does not exist. */
  readLines(key: string): AsyncIterable<string>;
}

/** One object being written. */
export interface ObjectWriteStream {
  /** Resolves once the chunk is accepted (waits while the upload is behind: back-pressure). */
  write(chunk: string | Uint8Array): Promise<void>;
  /** Completes the object; it is visible only after this resolves. */
  close(): Promise<void>;
  /** Drops what was uploaded so far; safe to call after a failure. */
  abort(): Promise<void>;
}
