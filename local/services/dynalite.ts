import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

export interface RunningDynalite {
  endpoint: string;
  port: number;
  /** HTTP requests served so far (every DynamoDB API call is one): cost accounting in benchmarks. */
  requests(): number;
  /** The same, by operation (`PutItem`, `Query`, ...): where a benchmark's requests go. */
  byOperation(): Map<string, number>;
  stop(): Promise<void>;
}

/**
 * Starts dynalite (DynamoDB's wire protocol, in memory unless `path` is given) on loopback.
 * Table operations complete at once so tests need not wait for ACTIVE.
 */
export async function startDynalite(
  options: { port?: number; path?: string } = {},
): Promise<RunningDynalite> {
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.path ? { path: options.path } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  let requests = 0;
  const byOperation = new Map<string, number>();
  server.on('request', (req: { headers: Record<string, string | string[] | undefined> }) => {
    requests++;
    const op =
      String(req.headers['x-amz-target'] ?? '')
        .split('.')
        .pop() || 'unknown';
    byOperation.set(op, (byOperation.get(op) ?? 0) + 1);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    requests: () => requests,
    byOperation: () => new Map(byOperation),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
