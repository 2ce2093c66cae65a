import type { Dispatcher } from 'undici';
import { Agent } from './undici-agent.ts';

/**
 * The one HTTP layer of the Zscaler client: undici with keep-alive connection pools per origin
 * (an `Agent` keeps one `Pool` per origin), and connect / headers / body timeouts. No global fetch.
 */

export interface TransportOptions {
  /** TCP+TLS connect timeout. Default 10 s. */
  connectTimeoutMs?: number;
  /** Time to wait for the response headers. Default 30 s. */
  headersTimeoutMs?: number;
  /** Time allowed between body chunks. Default 30 s. */
  bodyTimeoutMs?: number;
  /** How long an idle keep-alive socket stays open. Default 30 s. */
  keepAliveTimeoutMs?: number;
  /** Sockets per origin. Default 8. */
  connectionsPerOrigin?: number;
  /** Use this dispatcher instead of building an Agent (tests: undici `MockAgent`). Not closed by `close()`. */
  dispatcher?: Dispatcher;
}

export interface TransportRequest {
  /** `https://host[:port]` */
  origin: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path with query string. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * Sends requests; network failures come back as undici's errors (mapped by the caller).
 *
 * @example
 * const t = new HttpTransport({ headersTimeoutMs: 5_000 });
 * const res = await t.send({ origin: 'https://config.private.zscaler.com', method: 'GET', path: '/x', headers: {} });
 * await t.close();
 */
export class HttpTransport {
  readonly #options: TransportOptions;
  #agent: Agent | undefined;

  constructor(options: TransportOptions = {}) {
    this.#options = options;
  }

  /** The injected dispatcher, or our Agent (built on first use and again after `close()`). */
  #dispatcher(): Dispatcher {
    if (this.#options.dispatcher) return this.#options.dispatcher;
    this.#agent ??= new Agent({
      connect: { timeout: this.#options.connectTimeoutMs ?? 10_000 },
      headersTimeout: this.#options.headersTimeoutMs ?? 30_000,
      bodyTimeout: this.#options.bodyTimeoutMs ?? 30_000,
      keepAliveTimeout: this.#options.keepAliveTimeoutMs ?? 30_000,
      connections: this.#options.connectionsPerOrigin ?? 8,
    });
    return this.#agent;
  }

  async send(req: TransportRequest): Promise<TransportResponse> {
    const res = await this.#dispatcher().request({
      origin: req.origin,
      method: req.method,
      path: req.path,
      headers: req.headers,
      body: req.body ?? null,
    });
    // Always read the body to the end so the socket goes back to the pool.
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, text };
  }

  /** Closes the pools this transport built (an injected dispatcher is the caller's). A later `send` opens new ones. */
  async close(): Promise<void> {
    const agent = this.#agent;
    this.#agent = undefined;
    await agent?.close();
  }
}
