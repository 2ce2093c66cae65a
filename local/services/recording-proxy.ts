import { createServer, type IncomingMessage, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  status: number;
}

export interface RecordingProxy {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of a stand-in that has no call log of its own (dynalite, fauxqs,
 * the control-plane stand-in): forwards every request unchanged and tells `onRequest` about it with
 * its answer's status, so the caller can record which access key made which AWS call.
 *
 * @example
 * const proxy = await startRecordingProxy(ddb.endpoint, (r) => calls.push(r));
 * // point the functions' AWS_ENDPOINT_URL_DYNAMODB at proxy.endpoint
 */
export async function startRecordingProxy(
  target: string,
  onRequest: (r: RecordedRequest) => void,
): Promise<RecordingProxy> {
  const to = new URL(target);
  const server = createServer(async (req, res) => {
    const body = await read(req);
    const upstream = request(
      {
        host: to.hostname,
        port: to.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        onRequest({
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          headers: req.headers,
          body,
          status: answer.statusCode ?? 0,
        });
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      res.writeHead(502);
      res.end(String(err));
    });
    upstream.end(body);
  });
  // Keep-alive sockets of the functions' SDK clients must not hold the proxy open at stop.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function read(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
