import { createPrng, type Prng } from './prng.ts';
import type { FaultConfig, FaultKind, FaultRule, SimApi } from './types.ts';

/** Kinds in draw order. */
export const FAULT_KINDS: readonly FaultKind[] = [
  'tooManyRequests',
  'serverError',
  'unavailable',
  'timeout',
  'reset',
  'slow',
  'editLock',
  'expiredAuth',
  'appliedThenError',
  'appliedThenTimeout',
  'simultaneousRequest',
  'concurrentAccess',
  'nonRestrictedAuth',
  'orgBarrier',
  'preconditionFailed',
  'resourceAccessBlocked',
  'sessionInvalidated',
];

/** Kinds that only make sense on writes; on reads (and auth calls) they never fire. */
const WRITE_ONLY: ReadonlySet<FaultKind> = new Set([
  'editLock',
  'appliedThenError',
  'appliedThenTimeout',
  'simultaneousRequest',
  'concurrentAccess',
  'orgBarrier',
  'preconditionFailed',
]);
/** Kinds that make no sense on the auth endpoints themselves. */
const NOT_ON_AUTH: ReadonlySet<FaultKind> = new Set([
  'expiredAuth',
  'tooManyRequests',
  'nonRestrictedAuth',
  'resourceAccessBlocked',
  'sessionInvalidated',
]);
/** Kinds one API answers and the other never does (they never fire on the other API's calls). */
const ONLY_ON: Partial<Record<FaultKind, SimApi>> = {
  simultaneousRequest: 'zpa',
  concurrentAccess: 'zpa',
  nonRestrictedAuth: 'zpa',
  orgBarrier: 'ztw',
  preconditionFailed: 'ztw',
  resourceAccessBlocked: 'ztw',
  sessionInvalidated: 'ztw',
};

export interface FaultCall {
  api: SimApi;
  method: string;
  path: string;
}

export interface FaultDecision {
  kind: FaultKind;
  rule: FaultRule;
}

function inScope(rule: FaultRule, call: FaultCall): boolean {
  if (rule.apis && !rule.apis.includes(call.api)) return false;
  if (rule.methods && !rule.methods.map((m) => m.toUpperCase()).includes(call.method)) return false;
  if (
    rule.paths &&
    !rule.paths.some((p) => (typeof p === 'string' ? call.path.includes(p) : p.test(call.path)))
  ) {
    return false;
  }
  return true;
}

/**
 * Decides, per call, whether to inject a fault. Each rule in scope draws once from a seeded PRNG
 * and picks at most one kind by cumulative rate, so the same seed and call sequence inject the
 * same faults.
 *
 * @example
 * const f = new FaultInjector({ seed: 7, timeout: 0.1, methods: ['DELETE'] });
 * f.draw({ api: 'zpa', method: 'DELETE', path: '/…/connector/1' });
 */
export class FaultInjector {
  private rules: FaultRule[] = [];
  private readonly fired = new Map<FaultRule, number>();
  private prng: Prng = createPrng(1);

  constructor(config?: FaultConfig) {
    this.set(config ?? {});
  }

  set(config: FaultConfig): void {
    const { rules = [], seed = 1, ...top } = config;
    this.rules = [top, ...rules];
    this.fired.clear();
    this.prng = createPrng(seed);
  }

  draw(call: FaultCall): FaultDecision | undefined {
    const isWrite = call.api !== 'auth' && call.method !== 'GET';
    for (const rule of this.rules) {
      const total = FAULT_KINDS.reduce((sum, k) => sum + (rule[k] ?? 0), 0);
      if (total <= 0 || !inScope(rule, call)) continue;
      if (rule.maxCount !== undefined && (this.fired.get(rule) ?? 0) >= rule.maxCount) continue;
      const r = this.prng.next();
      let acc = 0;
      for (const kind of FAULT_KINDS) {
        acc += rule[kind] ?? 0;
        if (r >= acc) continue;
        const only = ONLY_ON[kind];
        if (
          (WRITE_ONLY.has(kind) && !isWrite) ||
          (call.api === 'auth' && NOT_ON_AUTH.has(kind)) ||
          (only !== undefined && call.api !== only)
        ) {
          break;
        }
        this.fired.set(rule, (this.fired.get(rule) ?? 0) + 1);
        return { kind, rule };
      }
    }
    return undefined;
  }
}
