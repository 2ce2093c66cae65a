import type { Dispatcher } from 'undici';
import { parseRetryAfter } from '../zscaler/http/retry-after.ts';
import { Agent } from '../zscaler/http/undici-agent.ts';
import { CallbackDeliveryError } from './errors.ts';

/** One HTTP exchange with an ITSM. */
export interface HttpCall {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface HttpAnswer {
  status: number;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  json: unknown;
}

/** Sends HTTP; the port lets tests and the local stack swap transports. */
export type HttpSend = (call: HttpCall) => Promise<HttpAnswer>;

/**
 * Sends with undici (no global fetch), each phase within `timeoutMs`. 2xx answers resolve; others
 * throw `CallbackDeliveryError` (429 and 5xx retryable, with Retry-After; other 4xx not), as do
 * network errors and timeouts (retryable). Never puts a response body or header value in an error.
 *
 * @example
 * const answer = await sendHttp({ method: 'GET', url, headers: { accept: 'application/json' }, timeoutMs: 5000 });
 */
export function createHttpSend(dispatcher?: Dispatcher): HttpSend {
  // undici's Agent alone, not its index (fetch, WebSocket…): the worker's bundle stays small.
  let agent: Dispatcher | undefined = dispatcher;
  return async (call) => {
    let res: Dispatcher.ResponseData;
    try {
      const url = new URL(call.url);
      agent ??= new Agent();
      res = await agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: call.method,
        headers: call.headers,
        ...(call.body === undefined ? {} : { body: call.body }),
        headersTimeout: call.timeoutMs,
        bodyTimeout: call.timeoutMs,
        signal: AbortSignal.timeout(call.timeoutMs),
      });
    } catch (error) {
      const code = (error as { code?: string; name?: string }).code ?? (error as Error).name;
      throw new CallbackDeliveryError(`${call.method} ${hostOf(call.url)} failed (${code})`, {
        retryable: true,
        cause: error,
      });
    }
    const text = await res.body.text().catch(() => '');
    if (res.statusCode >= 200 && res.statusCode < 300) {
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.statusCode, json };
    }
    const retryable = res.statusCode === 429 || res.statusCode >= 500;
    const header = res.headers['retry-after'];
    const retryAfterMs = parseRetryAfter(Array.isArray(header) ? header[0] : header, Date.now());
    throw new CallbackDeliveryError(`${call.method} ${hostOf(call.url)} answered ${res.statusCode}`, {
      status: res.statusCode,
      retryable,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  };
}

/** Host only: paths may carry ticket numbers, never worth leaking into errors either. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the callback URL';
  }
}
