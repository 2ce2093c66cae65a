/**
 * A value, or a function making it on first use, as one function answering the same promise every
 * time; a failed making is tried again at the next call. Adapters take SDK clients this way, so a
 * cold start makes no client an invocation never uses.
 *
 * @example
 * const ec2 = madeOnce(async () => new (await import('@aws-sdk/client-ec2')).EC2Client({}));
 * const client = await ec2(); // made here; later calls answer the same client
 */
export function madeOnce<T>(source: T | (() => Promise<T>)): () => Promise<T> {
  if (typeof source !== 'function') return async () => source;
  const make = source as () => Promise<T>;
  let made: Promise<T> | undefined;
  return () => {
    made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    });
    return made;
  };
}
