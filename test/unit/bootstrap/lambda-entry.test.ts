import { afterEach, describe, expect, it, vi } from 'vitest';
import { lambdaEntry } from '../../../functions/bootstrap.ts';

afterEach(() => vi.unstubAllEnvs());

describe('lambdaEntry: one handler per container', () => {
  it('outside Lambda builds nothing until the first event, then reuses what it built', async () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', undefined);
    let builds = 0;
    const handler = lambdaEntry(() => {
      builds += 1;
      return async (event: number) => event * 2;
    });
    expect(builds).toBe(0);
    expect(await handler(2)).toBe(4);
    expect(await handler(5)).toBe(10);
    expect(builds).toBe(1);
  });

  it('in Lambda builds at init, so a broken configuration fails the cold start', () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'zcops-webhook');
    expect(() =>
      lambdaEntry(() => {
        throw new Error('ZCOPS_CONFIG is invalid: sources[0].allowedActions[0]: …');
      }),
    ).toThrow(/sources\[0\]\.allowedActions\[0\]/);
  });
});
