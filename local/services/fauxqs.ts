import { startFauxqs } from 'fauxqs';

export interface RunningFauxqs {
  /** One endpoint for SQS and S3. */
  endpoint: string;
  port: number;
  server: Awaited<ReturnType<typeof startFauxqs>>;
  stop(): Promise<void>;
}

/** Starts fauxqs (SQS and S3 wire protocols) on loopback. */
export async function startFauxqsServer(
  options: { port?: number; dataDir?: string } = {},
): Promise<RunningFauxqs> {
  const server = await startFauxqs({
    port: options.port ?? 0,
    logger: false,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  });
  return { endpoint: server.address, port: server.port, server, stop: () => server.stop() };
}
