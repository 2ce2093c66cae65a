import { describe, expect, it } from 'vitest';
import { loadIntakeConfig } from '../../../shared/intake/config.ts';
import { IntakeConfigError } from '../../../shared/intake/errors.ts';
import { RAW_CONFIG } from '../../fixtures/events/intake-setup.ts';

const problems = (raw: unknown) => {
  try {
    loadIntakeConfig(raw);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(IntakeConfigError);
    return (err as IntakeConfigError).problems;
  }
};

describe('intake configuration', () => {
  it('loads the test config (ignoring other app-config keys) with defaults', () => {
    const c = loadIntakeConfig(structuredClone(RAW_CONFIG));
    expect(c.sources).toHaveLength(6);
    expect(c.intake).toEqual({ maxBodyBytes: 65536, inProgressLeaseSeconds: 60, keyRetentionDays: 30 });
    expect(c.sources[0]?.auth?.replayWindowSeconds).toBe(300);
  });

  it('names every bad field', () => {
    const raw = structuredClone(RAW_CONFIG) as { sources: Record<string, unknown>[] };
    raw.sources[0]!.allowedActions = ['appConnector.delete', 'pccGroup.create', 'nope'];
    raw.sources[1]!.allowedTenants = ['initech'];
    raw.sources[2]!.itsm = { system: 'remedy' };
    raw.sources[3]!.name = raw.sources[4]!.name;
    raw.sources.push({
      name: 'noauth',
      kind: 'api',
      allowedActions: ['inventory.snapshot'],
      allowedTenants: ['*'],
    });
    const found = problems(raw);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^sources\[0\]\.allowedActions\[2\]: /),
        expect.stringMatching(/^sources\[2\]\.itsm\.system: itsm.system must be servicenow or jira/),
        expect.stringMatching(/^sources\[6\]\.auth: a api source needs auth/),
      ]),
    );
    raw.sources[0]!.allowedActions = ['pccGroup.create'];
    raw.sources[2]!.itsm = { system: 'jira' };
    raw.sources.pop();
    expect(problems(raw)).toEqual(
      expect.arrayContaining([
        'sources[0].allowedActions[0]: only itsm sources may create groups (pccGroup.create)',
        'sources[1].allowedTenants[0]: unknown tenant "initech"',
        'sources[4].name: duplicate source "generic-scaling"',
      ]),
    );
    expect(problems({})).toEqual(['tenants: Invalid input: expected array, received undefined']);
  });
});
