import { describe, expect, it } from 'vitest';
import {
  ActivationStatusSchema,
  EcGroupListSchema,
  EcVmSchema,
} from '../../../shared/zscaler/schemas/ztw.ts';
import { activationPhase } from '../../../shared/zscaler/ztw/activation-phase.ts';

describe('Cloud & Branch Connector response schemas', () => {
  it('read null, absent, malformed and unknown fields that no decision rests on as absent', () => {
    const vm = EcVmSchema.parse({
      id: 12,
      name: null,
      status: 'ACTIVE', // a string where the SDK models an array
      natIp: null,
      ecInstances: null,
      managementNw: null,
      upgradeStatus: 'UPGRADED',
      somethingNew: { nested: [1, null] },
    });
    expect(vm).toMatchObject({ id: 12, upgradeStatus: 'UPGRADED', somethingNew: { nested: [1, null] } });
    expect(vm.name).toBeUndefined();
    expect(vm.status).toBeUndefined();
    expect(vm.natIp).toBeUndefined();
    expect(EcVmSchema.parse({ id: '7' }).id).toBe(7);
    const [g] = EcGroupListSchema.parse([
      { id: 1, desc: null, location: null, ecVMs: null, maxEcCount: '2' },
    ]);
    expect(g).toMatchObject({ id: 1 });
    expect(g?.ecVMs).toBeUndefined();
    expect(g?.maxEcCount).toBeUndefined();
  });

  it('still refuse what a decision needs: a VM without an id', () => {
    expect(EcVmSchema.safeParse({ name: 'x' }).success).toBe(false);
    expect(EcVmSchema.safeParse({ id: 'abc' }).success).toBe(false);
  });

  it('keep every activation state, documented or not, and say what each means', () => {
    const s = ActivationStatusSchema.parse({
      orgEditStatus: null,
      orgLastActivateStatus: 'CAC_ACTV_UI',
      adminActivateStatus: 'ADM_ACTV_SOMETHING_NEW',
      adminStatusMap: null,
    });
    expect(s.adminActivateStatus).toBe('ADM_ACTV_SOMETHING_NEW');
    expect(ActivationStatusSchema.parse({}).adminActivateStatus).toBeUndefined();
    expect(
      [
        'ADM_LOGGED_IN',
        'ADM_EDITING',
        'ADM_ACTV_QUEUED',
        'ADM_ACTIVATING',
        'ADM_ACTV_DONE',
        'ADM_ACTV_FAIL',
        'ADM_EXPIRED',
      ].map(activationPhase),
    ).toEqual(['unknown', 'unknown', 'pending', 'pending', 'done', 'failed', 'unknown']);
    expect(activationPhase('ADM_ACTV_SOMETHING_NEW')).toBe('unknown');
    expect(activationPhase(undefined)).toBe('unknown');
  });
});
