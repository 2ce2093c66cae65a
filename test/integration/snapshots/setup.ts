import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { ObjectStore, ObjectWriteStream } from '../../../shared/snapshots/object-store.ts';

export const awsCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** An S3 client for fauxqs (path-style) and a fresh bucket. */
export async function fauxqsBucket(endpoint: string, bucket: string): Promise<S3Client> {
  const s3 = new S3Client({
    endpoint,
    region: 'us-east-1',
    credentials: awsCredentials,
    forcePathStyle: true,
  });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return s3;
}

/** Wraps a store and calls `onWrite(key)` before every streamed chunk. */
export function observedStore(inner: ObjectStore, onWrite: (key: string) => void): ObjectStore {
  return {
    openWrite(key, contentType): ObjectWriteStream {
      const out = inner.openWrite(key, contentType);
      return {
        write: (chunk) => {
          onWrite(key);
          return out.write(chunk);
        },
        close: () => out.close(),
        abort: () => out.abort(),
      };
    },
    putText: (k, b, t) => inner.putText(k, b, t),
    getText: (k) => inner.getText(k),
    readLines: (k) => inner.readLines(k),
  };
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
