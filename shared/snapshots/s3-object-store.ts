import { createInterface } from 'node:readline';
import { PassThrough, type Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { madeOnce } from '../core/made-once.ts';
import { SnapshotStoreError } from './errors.ts';
import type { ObjectStore, ObjectWriteStream } from './object-store.ts';

export interface S3ObjectStoreOptions {
  /** Multipart part size in bytes (S3's minimum, 5 MiB, by default). */
  partSize?: number;
  /** Parts uploaded concurrently per object (default 2): memory is about `partSize * (queueSize + 1)`. */
  queueSize?: number;
}

const MIN_PART = 5 * 1024 * 1024;

// The SDK modules are loaded on first use, never at import: the worker's cold start would pay
// for them on every invocation that writes no snapshot.
const s3Module = () => import('@aws-sdk/client-s3');
const storageModule = () => import('@aws-sdk/lib-storage');

function isMissing(error: unknown): boolean {
  // By name, not `instanceof NoSuchKey`: that would need the SDK module at import.
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/**
 * The snapshots bucket. Streamed objects go through `@aws-sdk/lib-storage`'s `Upload` (multipart
 * once the first part fills, a single PUT for small objects), fed from a PassThrough whose
 * back-pressure bounds memory to a few parts per open object. The client may be given as a
 * function making it on first use; `@aws-sdk/client-s3` and `@aws-sdk/lib-storage` are imported
 * on the first call, not when this module loads.
 *
 * @example
 * const store = new S3ObjectStore(new S3Client({ forcePathStyle: true, endpoint }), 'zcops-snapshots');
 */
export class S3ObjectStore implements ObjectStore {
  readonly #s3: () => Promise<S3Client>;
  readonly #bucket: string;
  readonly #partSize: number;
  readonly #queueSize: number;

  constructor(s3: S3Client | (() => Promise<S3Client>), bucket: string, options: S3ObjectStoreOptions = {}) {
    this.#s3 = madeOnce(s3);
    this.#bucket = bucket;
    this.#partSize = Math.max(MIN_PART, options.partSize ?? MIN_PART);
    this.#queueSize = options.queueSize ?? 2;
  }

  openWrite(key: string, contentType: string): ObjectWriteStream {
    // A small high-water mark: the Upload pulls parts itself, the stream only needs to hand over.
    const body = new PassThrough({ highWaterMark: 256 * 1024 });
    let failure: unknown;
    // The Upload starts once its module and the client are there; writes meanwhile fill `body`
    // up to its high-water mark and then wait for 'drain' as usual.
    const upload = Promise.all([storageModule(), this.#s3()]).then(
      ([{ Upload }, client]) =>
        new Upload({
          client,
          params: { Bucket: this.#bucket, Key: key, Body: body, ContentType: contentType },
          partSize: this.#partSize,
          queueSize: this.#queueSize,
          leavePartsOnError: false,
        }),
    );
    const done = upload
      .then((u) => u.done())
      .then(
        () => undefined,
        (error: unknown) => {
          failure = error;
          body.destroy();
        },
      );
    const failed = () => new SnapshotStoreError(`upload of ${key} failed`, key, { cause: failure });
    return {
      async write(chunk) {
        if (failure !== undefined) throw failed();
        if (body.write(chunk)) return;
        await new Promise<void>((resolve, reject) => {
          const cleanup = () => {
            body.off('drain', onDrain);
            body.off('close', onClose);
          };
          const onDrain = () => {
            cleanup();
            resolve();
          };
          const onClose = () => {
            cleanup();
            reject(failed());
          };
          body.on('drain', onDrain);
          body.on('close', onClose);
        });
      },
      async close() {
        if (failure !== undefined) throw failed();
        body.end();
        await done;
        if (failure !== undefined) throw failed();
      },
      async abort() {
        try {
          await (await upload).abort();
        } catch {
          // Nothing uploaded yet, or already aborted: there is nothing to clean up.
        }
        body.destroy();
        await done;
      },
    };
  }

  async putText(key: string, body: string, contentType: string): Promise<void> {
    try {
      const [s3, { PutObjectCommand }] = await Promise.all([this.#s3(), s3Module()]);
      await s3.send(
        new PutObjectCommand({ Bucket: this.#bucket, Key: key, Body: body, ContentType: contentType }),
      );
    } catch (error) {
      throw new SnapshotStoreError(`cannot write ${key}`, key, { cause: error });
    }
  }

  async getText(key: string): Promise<string | undefined> {
    try {
      const [s3, { GetObjectCommand }] = await Promise.all([this.#s3(), s3Module()]);
      const out = await s3.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
      return (await out.Body?.transformToString('utf8')) ?? '';
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw new SnapshotStoreError(`cannot read ${key}`, key, { cause: error });
    }
  }

  async *readLines(key: string): AsyncIterable<string> {
    let stream: Readable;
    try {
      const [s3, { GetObjectCommand }] = await Promise.all([this.#s3(), s3Module()]);
      const out = await s3.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
      if (!out.Body) return;
      stream = out.Body as Readable;
    } catch (error) {
      if (isMissing(error)) return;
      throw new SnapshotStoreError(`cannot read ${key}`, key, { cause: error });
    }
    const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
    try {
      for await (const line of lines) if (line !== '') yield line;
    } finally {
      lines.close();
      stream.destroy();
    }
  }
}
