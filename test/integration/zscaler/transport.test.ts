import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpTransport } from '../../../shared/zscaler/http/transport.ts';

// The HTTP layer alone against a tiny loopback server: keep-alive reuse, reopen after close.
let server: Server;
let origin: string;
const sockets = new Set<unknown>();

beforeAll(async () => {
  server = createServer((req, res) => {
    sockets.add(req.socket);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ path: req.url }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('HttpTransport', () => {
  it('reuses a keep-alive socket for sequential requests and reopens after close()', async () => {
    const t = new HttpTransport({ connectionsPerOrigin: 1 });
    for (let i = 0; i < 5; i++) {
      const res = await t.send({ origin, method: 'GET', path: `/x?i=${i}`, headers: {} });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toEqual({ path: `/x?i=${i}` });
    }
    expect(sockets.size).toBe(1);
    await t.close();
    const again = await t.send({ origin, method: 'GET', path: '/after-close', headers: {} });
    expect(again.status).toBe(200);
    expect(sockets.size).toBe(2);
    await t.close();
  });
});
