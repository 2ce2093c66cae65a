/**
 * undici's `Agent` without the rest of undici. The package's index pulls in fetch, WebSocket,
 * EventSource, caches and mocks (about 250 KB of the worker's bundle) that the client never uses;
 * importing the dispatcher and the request API directly keeps the Lambda bundles small. The version
 * is pinned exactly in package.json, so these internal paths cannot move under us.
 */
import type { Agent as UndiciAgent } from 'undici';
import api from 'undici/lib/api/index.js';
import AgentImpl from 'undici/lib/dispatcher/agent.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';

// What undici's index does: give every dispatcher `request`, `stream`, ... (idempotent).
Object.assign(Dispatcher.prototype, api);

export const Agent = AgentImpl as typeof UndiciAgent;
export type Agent = UndiciAgent;
