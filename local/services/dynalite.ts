import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

export interface RunningDynalite {
  endpoint: string;
  port: number;
  /** HTTP requests served so far (every DynamoDB API call is one): cost accounting in benchmarks. */
  requests(): number;
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
  server.on('request', () => {
    requests++;
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    requests: () => requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
