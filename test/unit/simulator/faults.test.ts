import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../../simulator/faults.ts';
import { createPrng } from '../../../simulator/prng.ts';

const get = { api: 'zpa' as const, method: 'GET', path: '/mgmtconfig/v1/admin/customers/1/connector' };
const del = { ...get, method: 'DELETE', path: `${get.path}/5` };

describe('FaultInjector', () => {
  it('injects nothing without rates', () => {
    const f = new FaultInjector();
    for (let i = 0; i < 100; i++) expect(f.draw(get)).toBeUndefined();
  });

  it('is deterministic for a seed and close to the configured rate', () => {
    const seq = (seed: number) => {
      const f = new FaultInjector({ seed, serverError: 0.3 });
      return Array.from({ length: 1000 }, () => f.draw(get)?.kind ?? '-');
    };
    expect(seq(5)).toEqual(seq(5));
    expect(seq(5)).not.toEqual(seq(6));
    const hits = seq(5).filter((k) => k === 'serverError').length;
    expect(hits).toBeGreaterThan(230);
    expect(hits).toBeLessThan(370);
  });

  it('never fires write-only kinds on reads or auth-only-nonsense on auth calls', () => {
    const f = new FaultInjector({ editLock: 1, appliedThenError: 0, expiredAuth: 0 });
    expect(f.draw(get)).toBeUndefined();
    expect(f.draw(del)?.kind).toBe('editLock');
    const g = new FaultInjector({ expiredAuth: 1 });
    expect(g.draw({ api: 'auth', method: 'POST', path: '/signin' })).toBeUndefined();
  });

  it('fires each retried-answer kind only on its own API (and write-only ones only on writes)', () => {
    const ztwDel = { api: 'ztw' as const, method: 'DELETE', path: '/api/v1/ecgroup/1/vm/2' };
    const ztwGet = { ...ztwDel, method: 'GET', path: '/api/v1/ecgroup' };
    for (const kind of ['simultaneousRequest', 'concurrentAccess'] as const) {
      expect(new FaultInjector({ [kind]: 1 }).draw(del)?.kind).toBe(kind);
      expect(new FaultInjector({ [kind]: 1 }).draw(get)).toBeUndefined();
      expect(new FaultInjector({ [kind]: 1 }).draw(ztwDel)).toBeUndefined();
    }
    expect(new FaultInjector({ nonRestrictedAuth: 1 }).draw(get)?.kind).toBe('nonRestrictedAuth');
    for (const kind of ['orgBarrier', 'preconditionFailed'] as const) {
      expect(new FaultInjector({ [kind]: 1 }).draw(ztwDel)?.kind).toBe(kind);
      expect(new FaultInjector({ [kind]: 1 }).draw(ztwGet)).toBeUndefined();
      expect(new FaultInjector({ [kind]: 1 }).draw(del)).toBeUndefined();
    }
    for (const kind of ['resourceAccessBlocked', 'sessionInvalidated'] as const) {
      expect(new FaultInjector({ [kind]: 1 }).draw(ztwGet)?.kind).toBe(kind);
      expect(new FaultInjector({ [kind]: 1 }).draw(get)).toBeUndefined();
      expect(
        new FaultInjector({ [kind]: 1 }).draw({ api: 'auth', method: 'POST', path: '/api/v1/auth' }),
      ).toBeUndefined();
    }
  });

  it('limits rules by method, path (string or regexp), api and maxCount', () => {
    const f = new FaultInjector({
      rules: [
        { timeout: 1, methods: ['delete'], paths: [/\/connector\/\d+$/], maxCount: 2 },
        { reset: 1, apis: ['ztw'] },
      ],
    });
    expect(f.draw(get)).toBeUndefined();
    expect(f.draw(del)?.kind).toBe('timeout');
    expect(f.draw(del)?.kind).toBe('timeout');
    expect(f.draw(del)).toBeUndefined();
    expect(f.draw({ api: 'ztw', method: 'GET', path: '/api/v1/ecgroup' })?.kind).toBe('reset');
  });

  it('restarts its sequence and counters when set again', () => {
    const f = new FaultInjector({ serverError: 1, maxCount: 1 });
    expect(f.draw(get)).toBeDefined();
    expect(f.draw(get)).toBeUndefined();
    f.set({ serverError: 1, maxCount: 1 });
    expect(f.draw(get)).toBeDefined();
  });
});

describe('createPrng', () => {
  it('produces the same sequence for the same seed, within range', () => {
    const a = createPrng(3);
    const b = createPrng(3);
    for (let i = 0; i < 50; i++) {
      const x = a.next();
      expect(x).toBe(b.next());
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    const r = createPrng(9);
    for (let i = 0; i < 50; i++) {
      const n = r.int(3, 5);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(5);
    }
  });
});
