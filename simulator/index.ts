import { SessionStore } from './auth/sessions.ts';
import { TokenStore } from './auth/tokens.ts';
import type { Engine } from './context.ts';
import { SIMULATOR_CREDENTIALS, SIMULATOR_ZTW_ORG_ID } from './credentials.ts';
import { SimulatorConfigError } from './errors.ts';
import { loadVersionProfiles, seedFromDocs } from './seed/docs.ts';
import { generateTenant } from './seed/generate.ts';
import { SimulatorServer } from './server.ts';
import { SimulatorState } from './state/store.ts';
import type { RunningSimulator, SimulatorOptions } from './types.ts';
import { DEFAULT_ACTIVATION_MS } from './ztw/activation.ts';

export { obfuscateApiKey } from './auth/obfuscate.ts';
export { ONEAPI_AUDIENCE, SIMULATOR_CREDENTIALS, SIMULATOR_ZTW_ORG_ID } from './credentials.ts';
export { SimulatorConfigError, UnknownResourceError } from './errors.ts';
export type { RateAuditOptions, RateViolation } from './rateAudit.ts';
export { findRateViolations } from './rateAudit.ts';
export { DEFAULT_RATE_LIMITS, effectiveLimits } from './ratelimit.ts';
export { DOCS_MICROTENANT } from './seed/docs.ts';
export type { GenerateOptions } from './seed/generate.ts';
export { formatDuration, parseDuration } from './state/duration.ts';
export type * from './state/model.ts';
export { DEFAULT_MICROTENANT } from './state/model.ts';
export { type ModelChange, SimulatorState } from './state/store.ts';
export type * from './types.ts';

/**
 * Starts the Zscaler simulator: ZPA (legacy and OneAPI), Cloud & Branch Connector (legacy session
 * and OneAPI) and their auth endpoints, all on one loopback port.
 *
 * @example
 * const sim = await startSimulator({ seed: { connectors: 500, groups: 20 }, timeScale: 10 });
 * const base = `${sim.url}/mgmtconfig/v1/admin/customers/${SIMULATOR_CREDENTIALS.zpa.customerId}`;
 * // … drive a client against sim.url …
 * expect(findRateViolations(sim.callLog, sim.effectiveLimits())).toEqual([]);
 * await sim.stop();
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0) || !Number.isFinite(timeScale))
    throw new SimulatorConfigError('timeScale must be > 0');
  const clock = options.clock ?? { now: () => Date.now() };
  const now = () => clock.now();
  const state = new SimulatorState({
    customerId: SIMULATOR_CREDENTIALS.zpa.customerId,
    ztwOrgId: SIMULATOR_ZTW_ORG_ID,
    now,
  });
  const seed = options.seed ?? 'docs';
  if (seed === 'docs') seedFromDocs(state);
  else if (seed === 'empty') loadVersionProfiles(state, { builtinOnly: true });
  else generateTenant(state, seed);

  const activationSeconds = options.activationSeconds ?? DEFAULT_ACTIVATION_MS / 1000;
  if (!(activationSeconds >= 0) || !Number.isFinite(activationSeconds))
    throw new SimulatorConfigError('activationSeconds must be >= 0');
  state.ztwActivation.durationMs = (activationSeconds * 1000) / timeScale;

  const engine: Engine = {
    state,
    tokens: new TokenStore(),
    sessions: new SessionStore(),
    now,
    timeScale,
    tokenTtlMs: ((options.tokenTtlSeconds ?? 3600) * 1000) / timeScale,
    sessionIdleMs: ((options.sessionIdleSeconds ?? 1800) * 1000) / timeScale,
    authTimestampToleranceMs: options.authTimestampToleranceMs ?? 5 * 60 * 1000,
  };
  const server = new SimulatorServer(
    engine,
    { rateLimits: options.rateLimits ?? true, latencyMs: options.latencyMs ?? 0 },
    options.faults,
  );
  const host = options.host ?? '127.0.0.1';
  const port = await server.listen(options.port ?? 0, host);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    stop: () => server.stop(),
    callLog: server.callLog,
    state,
    setFaults: (f) => server.setFaults(f),
    setRateLimits: (on) => server.setRateLimits(on),
    setOutage: (on) => server.setOutage(on),
    reset: () => server.reset(),
    effectiveLimits: () => server.effectiveLimits(),
  };
}
