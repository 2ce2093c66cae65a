import { describe, expect, it } from 'vitest';
import { issuesOf } from '../../../shared/requests/issues.ts';
import { CanonicalRequestSchema } from '../../../shared/requests/request.ts';
import { targetOf } from '../../../shared/requests/target.ts';

const common = { tenant: 'acme', reason: 'test', source: { kind: 'api', name: 'api' } };
const issues = (input: unknown) => {
  const r = CanonicalRequestSchema.safeParse(input);
  return r.success ? [] : issuesOf(r.error);
};

describe('canonical request', () => {
  it('accepts every action in its documented shape', () => {
    const valid = [
      { action: 'appConnector.delete', connector: { id: '72057615512764537' } },
      { action: 'appConnector.delete', connector: { name: 'aws-i-0abc' } },
      { action: 'appConnector.delete', connector: { privateIp: '10.0.1.5', groupId: '7205' } },
      { action: 'appConnector.bulkDelete', ids: ['1', '2', '3'] },
      { action: 'appConnector.cleanup', disconnectedFor: '15d', groupId: '7205' },
      {
        action: 'appConnector.teardown',
        instanceId: 'i-0a1b2c3d4e5f67890',
        groupId: '7205',
        lifecycle: {
          hookName: 'h',
          asgName: 'a',
          token: '87654321-4321-4321-4321-210987654321',
          instanceId: 'i-0a1b2c3d4e5f67890',
        },
      },
      { action: 'ecVm.delete', vm: { groupId: '12', vmId: 34 } },
      { action: 'ecVm.delete', vm: { instanceId: 'i-0a1b2c3d4e5f67890' } },
      {
        action: 'appConnectorGroup.create',
        group: { name: 'SJC', latitude: 37.33, longitude: '-121.88', location: 'San Jose' },
        versionProfileName: 'Default',
      },
      {
        action: 'pccGroup.create',
        group: { name: 'PCC', countryCode: 'us', latitude: '17.4', longitude: 78.4, location: 'Hyderabad' },
        microtenantId: '0',
      },
      { action: 'inventory.snapshot' },
    ];
    for (const v of valid) expect(issues({ ...common, ...v }), v.action).toEqual([]);
  });

  it('applies the group body defaults and keeps versionProfileName instead of an id', () => {
    const r = CanonicalRequestSchema.parse({
      ...common,
      action: 'appConnectorGroup.create',
      group: { name: 'SJC', latitude: 37.33, longitude: '-121.88', location: 'San Jose' },
      versionProfileName: 'New Release',
    });
    if (r.action !== 'appConnectorGroup.create') throw new Error('wrong action');
    expect(r.group.upgradeDay).toBe('SUNDAY');
    expect(r.group.enabled).toBe(true);
    expect(r.group.overrideVersionProfile).toBe(true);
    expect(r.group.versionProfileId).toBeUndefined();
    expect(targetOf(r)).toBe('appConnectorGroup/name=SJC');
  });

  it('lists every field-rule issue of a group with its path', () => {
    const found = issues({
      ...common,
      action: 'appConnectorGroup.create',
      group: {
        name: 'x',
        latitude: 91,
        longitude: -181,
        location: 'y',
        upgradeTimeInSecs: 1000,
        upgradeDay: 'FUNDAY',
        tcpQuickAckApp: true,
        overrideVersionProfile: true,
      },
    });
    const paths = found.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'group.latitude',
        'group.longitude',
        'group.upgradeTimeInSecs',
        'group.upgradeDay',
      ]),
    );
    expect(found.find((i) => i.path === 'group.latitude')?.message).toMatch(/-90 and 90/);
    // Cross-field rules are reported once the fields themselves are valid (zod runs them last).
    const cross = issues({
      ...common,
      action: 'appConnectorGroup.create',
      group: {
        name: 'x',
        latitude: 1,
        longitude: 1,
        location: 'y',
        tcpQuickAckApp: true,
        overrideVersionProfile: true,
      },
    });
    expect(cross.map((i) => i.path).sort()).toEqual(['group.tcpQuickAckApp', 'group.versionProfileId']);
  });

  it('requires countryCode for PCC groups', () => {
    const found = issues({
      ...common,
      action: 'pccGroup.create',
      group: { name: 'p', latitude: 1, longitude: 1, location: 'l' },
    });
    expect(found.map((i) => i.path)).toContain('group.countryCode');
  });

  it('refuses ids that are path fragments and names the field', () => {
    for (const id of ['../1', '1/2', '12?x=1', '%2e%2e', ' 1', '１２']) {
      const found = issues({ ...common, action: 'appConnector.delete', connector: { id } });
      expect(found, id).toHaveLength(1);
      expect(found[0]?.path).toBe('connector.id');
    }
    expect(issues({ ...common, action: 'ecVm.delete', vm: { instanceId: '../../etc' } })[0]?.path).toBe(
      'vm.instanceId',
    );
  });

  it('names a missing or unknown action, unknown fields and a wrong body type', () => {
    expect(issues({ ...common })[0]?.message).toMatch(/action is required and must be one of/);
    expect(issues({ ...common, action: 'rm -rf' })[0]?.message).toMatch(/must be one of/);
    expect(issues({ ...common, action: 'inventory.snapshot', extra: 1 })[0]?.message).toMatch(
      /Unrecognized key/,
    );
    expect(issues([1, 2])[0]?.message).toMatch(/JSON object/);
  });

  it('bounds bulk deletes and refuses repeats', () => {
    const many = Array.from({ length: 5001 }, (_, i) => String(i + 1));
    expect(issues({ ...common, action: 'appConnector.bulkDelete', ids: many })[0]?.message).toMatch(
      /at most 5000/,
    );
    expect(issues({ ...common, action: 'appConnector.bulkDelete', ids: ['1', '1'] })[0]?.message).toMatch(
      /repeat/,
    );
    expect(issues({ ...common, action: 'appConnector.bulkDelete', ids: [] })[0]?.message).toMatch(
      /at least one/,
    );
  });

  it('checks durations, teardown consistency and private IPs', () => {
    expect(issues({ ...common, action: 'appConnector.cleanup', disconnectedFor: '0d' })[0]?.path).toBe(
      'disconnectedFor',
    );
    expect(issues({ ...common, action: 'appConnector.cleanup', disconnectedFor: '15 days' })[0]?.path).toBe(
      'disconnectedFor',
    );
    const teardown = {
      ...common,
      action: 'appConnector.teardown',
      instanceId: 'i-1',
      groupId: '7',
      lifecycle: { hookName: 'h', asgName: 'a', token: 'abc-1', instanceId: 'i-2' },
    };
    expect(issues(teardown)[0]?.path).toBe('lifecycle.instanceId');
    expect(
      issues({
        ...common,
        action: 'appConnector.teardown',
        provider: 'azure',
        instanceId: 'x',
        groupId: '7',
      })[0]?.path,
    ).toBe('privateIp');
    expect(
      issues({
        ...common,
        action: 'appConnector.delete',
        connector: { privateIp: '10.0.0.300', groupId: '7' },
      })[0]?.path,
    ).toBe('connector.privateIp');
    expect(
      issues({ ...common, action: 'appConnector.delete', connector: { privateIp: '10.0.0.3' } })[0]?.path,
    ).toBe('connector.groupId');
  });

  it('checks common fields', () => {
    const found = issues({
      action: 'inventory.snapshot',
      tenant: 'ACME!',
      reason: '',
      source: { kind: 'api', name: 'api' },
      idempotencyKey: 'has space',
      dryRun: 'maybe',
    });
    expect(found.map((i) => i.path).sort()).toEqual(['dryRun', 'idempotencyKey', 'reason', 'tenant']);
  });
});
