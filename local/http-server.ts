import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { toApiGatewayV2Event } from './apigw-event.ts';
import { scheduledSnapshotEvent, terminateLifecycleEvent } from './aws-events.ts';

/** The webhook function's handler (API Gateway v2 in, structured result out). */
export type ApiHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
/** The events function's handler (EventBridge / Scheduler events). */
export type EventHandler = (event: unknown) => Promise<unknown>;

export interface LocalHttpServerOptions {
  webhook: ApiHandler;
  events: EventHandler;
  /** Default 8787; 0 picks a free port. */
  port?: number;
  host?: string;
  /** Defaults of `POST /local/asg/terminate`. */
  terminateDefaults: { asgName: string; metadata: Record<string, unknown> };
  /**
   * Told of each terminating instance before its event is emitted (the local stack registers the
   * instance and its pending lifecycle action in the AWS control-plane stand-in).
   */
  onTerminate?: (t: TerminatingInstance) => void;
  /** Schedule name per tenant for `POST /local/schedule/run` (default `zcops-snapshot-<tenant>`). */
  scheduleName?: (tenant: string) => string;
  /** One line per request served. */
  log?: (line: string) => void;
  /** Largest body read (bytes); more answers 413 before the handler (API Gateway's own 10 MB cap). */
  maxBodyBytes?: number;
}

/** An instance `POST /local/asg/terminate` reports as terminating. */
export interface TerminatingInstance {
  asgName: string;
  hookName: string;
  instanceId: string;
  token: string;
  /** Given in the request body (`privateIp`), else none. */
  privateIp?: string;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/**
 * The local stand-in for API Gateway and EventBridge: `/v1/*` becomes an API Gateway HTTP API
 * (payload 2.0) event for the webhook handler, whose structured result is written back as is;
 * `POST /local/asg/terminate` emits an "EC2 Instance-terminate Lifecycle Action" event (body:
 * `instanceId`, optional `privateIp`, `groupId`, `tenant`, `connectorName`, `asgName`, `hookName`) and
 * `POST /local/schedule/run` a Scheduler "Scheduled Event" into the events handler;
 * `GET /local/health` answers 200.
 *
 * @example
 * const http = await startLocalHttpServer({ webhook, events, port: 0, terminateDefaults });
 * await fetch(`${http.url}/local/asg/terminate`, { method: 'POST', body: JSON.stringify({ instanceId: 'i-0abc' }) });
 */
export async function startLocalHttpServer(options: LocalHttpServerOptions): Promise<RunningHttpServer> {
  const maxBody = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const server = createServer((req, res) => {
    const started = Date.now();
    serve(req, res, started)
      .catch((err: unknown) => {
        options.log?.(`${req.method} ${req.url} failed: ${(err as Error).message}`);
        if (!res.headersSent) send(res, 500, { error: { code: 'internal', message: 'local server error' } });
        else res.end();
      })
      .finally(() => {
        options.log?.(`${req.method} ${pathOf(req.url)} → ${res.statusCode} (${Date.now() - started} ms)`);
      });
  });

  async function serve(req: IncomingMessage, res: ServerResponse, receivedAt: number): Promise<void> {
    const body = await readBody(req, maxBody);
    if (body === undefined) return send(res, 413, { message: 'Request Entity Too Large' });
    const url = req.url ?? '/';
    const path = pathOf(url);
    if (path.startsWith('/local/')) return local(req.method ?? 'GET', path, body, res);
    const event = toApiGatewayV2Event({
      method: req.method ?? 'GET',
      url,
      headers: req.headers,
      body,
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      receivedAt,
    });
    const answer = await options.webhook(event);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(answer.headers ?? {})) headers[k] = String(v);
    res.writeHead(answer.statusCode ?? 200, headers);
    const text = answer.body ?? '';
    res.end(answer.isBase64Encoded ? Buffer.from(text, 'base64') : text);
  }

  async function local(method: string, path: string, body: Buffer, res: ServerResponse): Promise<void> {
    if (path === '/local/health') return send(res, 200, { ok: true });
    if (method !== 'POST')
      return send(res, 405, { error: { code: 'method-not-allowed', message: `${path} accepts POST` } });
    let input: Record<string, unknown> = {};
    if (body.length > 0) {
      try {
        const parsed = JSON.parse(body.toString('utf8')) as unknown;
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        input = parsed as Record<string, unknown>;
      } catch {
        return send(res, 400, { error: { code: 'invalid-json', message: 'the body must be a JSON object' } });
      }
    }
    if (path === '/local/asg/terminate') {
      const instanceId = input.instanceId;
      if (typeof instanceId !== 'string' || !/^i-[0-9a-f]{8,17}$/.test(instanceId)) {
        return send(res, 400, {
          error: { code: 'invalid-request', message: 'instanceId is required, e.g. "i-0123456789abcdef0"' },
        });
      }
      // Given the instance's private IP (and no connector name), the metadata names no connector:
      // the worker asks EC2 for the IP and finds the connector by it.
      const { connectorName: defaultName, ...defaults } = options.terminateDefaults.metadata;
      const metadata =
        typeof input.metadata === 'object' || typeof input.metadata === 'string'
          ? (input.metadata as Record<string, unknown> | string)
          : {
              ...defaults,
              ...(input.privateIp === undefined && defaultName !== undefined
                ? { connectorName: defaultName }
                : {}),
              ...(typeof input.groupId === 'string' ? { groupId: input.groupId } : {}),
              ...(typeof input.tenant === 'string' ? { tenant: input.tenant } : {}),
              ...(typeof input.connectorName === 'string' ? { connectorName: input.connectorName } : {}),
            };
      const privateIp = input.privateIp;
      if (privateIp !== undefined && (typeof privateIp !== 'string' || !IPV4.test(privateIp))) {
        return send(res, 400, {
          error: { code: 'invalid-request', message: 'privateIp must be an IPv4 address, e.g. "10.0.1.23"' },
        });
      }
      const terminating: TerminatingInstance = {
        asgName: typeof input.asgName === 'string' ? input.asgName : options.terminateDefaults.asgName,
        hookName: typeof input.hookName === 'string' ? input.hookName : 'zcops-teardown',
        instanceId,
        token: randomUUID(),
        ...(privateIp ? { privateIp } : {}),
      };
      options.onTerminate?.(terminating);
      const event = terminateLifecycleEvent({
        asgName: terminating.asgName,
        instanceId,
        hookName: terminating.hookName,
        token: terminating.token,
        metadata,
      });
      const result = await options.events(event);
      return send(res, 202, { event: { id: event.id, detail: event.detail }, result });
    }
    if (path === '/local/schedule/run') {
      const tenant = input.tenant;
      if (typeof tenant !== 'string' || tenant === '') {
        return send(res, 400, { error: { code: 'invalid-request', message: 'tenant is required' } });
      }
      const event = scheduledSnapshotEvent({
        tenant,
        scheduleName: options.scheduleName?.(tenant) ?? `zcops-snapshot-${tenant}`,
        ...(typeof input.source === 'string' ? { source: input.source } : {}),
      });
      const result = await options.events(event);
      return send(res, 202, { event: { id: event.id }, result });
    }
    return send(res, 404, {
      error: {
        code: 'not-found',
        message: 'local routes: POST /local/asg/terminate, POST /local/schedule/run, GET /local/health',
      },
    });
  }

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8787, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function pathOf(url: string | undefined): string {
  const u = url ?? '/';
  const q = u.indexOf('?');
  return q === -1 ? u : u.slice(0, q);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The whole body, or `undefined` past `max` bytes. */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
