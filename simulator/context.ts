import type { IncomingHttpHeaders } from 'node:http';
import type { SessionStore } from './auth/sessions.ts';
import type { TokenStore } from './auth/tokens.ts';
import type { SimulatorState } from './state/store.ts';
import type { SimApi } from './types.ts';

/** What every handler can reach: the model, the auth stores and the (scaled) clock. */
export interface Engine {
  state: SimulatorState;
  tokens: TokenStore;
  sessions: SessionStore;
  /** Simulator clock, ms since epoch. */
  now(): number;
  timeScale: number;
  tokenTtlMs: number;
  sessionIdleMs: number;
  authTimestampToleranceMs: number;
}

/** One request as a handler sees it. */
export interface RequestContext {
  engine: Engine;
  api: SimApi;
  method: string;
  path: string;
  rawQuery: string;
  /** Query parameters decoded with decodeURIComponent only: a `+` stays a `+`, as on Zscaler. */
  query: Map<string, string>;
  params: Record<string, string>;
  /** Parsed JSON or form body; undefined when empty. */
  body: unknown;
  headers: IncomingHttpHeaders;
  /** Session id of an authenticated ZTW legacy call (to end it on DELETE /auth). */
  sessionCookieId?: string;
}

export interface HandlerResult {
  status: number;
  /** JSON body; undefined sends none. */
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: RequestContext) => HandlerResult;

/**
 * Parses a raw query string. Deliberately not URLSearchParams: Zscaler does not read `+` as a
 * space, so neither does the simulator (clients that encode spaces as `+` get caught).
 */
export function parseQuery(raw: string): Map<string, string> {
  const out = new Map<string, string>();
  if (raw === '') return out;
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    try {
      out.set(decodeURIComponent(k), decodeURIComponent(v));
    } catch {
      out.set(k, v);
    }
  }
  return out;
}
