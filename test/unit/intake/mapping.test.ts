import { describe, expect, it } from 'vitest';
import { ItsmMappingSchema } from '../../../shared/config/itsm-fields.ts';
import { mapItsmBody } from '../../../shared/intake/itsm-mapping.ts';
import { mapTeardownHook } from '../../../shared/intake/teardown-hook.ts';
import { fixture } from '../../fixtures/events/index.ts';

const sn = ItsmMappingSchema.parse({ system: 'servicenow' });

describe('ITSM mapping', () => {
  it('maps ServiceNow defaults, unwrapping references and dropping empty fields', () => {
    const { draft, origins, issues } = mapItsmBody(fixture('servicenow-change.json'), sn);
    expect(issues).toEqual([]);
    expect(draft).toEqual({
      action: 'appConnectorGroup.create',
      tenant: 'acme',
      source: { ref: 'CHG0030001' },
      reason: 'New App Connector group for San Jose data center',
      requestedBy: '6816f79cc0a8016401c5a33be04be441',
      dryRun: 'false',
      group: {
        name: 'SJC App Connectors',
        description: 'App Connector group in San Jose',
        location: 'San Jose, CA, USA',
        latitude: '37.3382082',
        longitude: '-121.8863286',
        upgradeDay: 'sunday',
        upgradeTimeInSecs: '66600',
      },
    });
    expect(origins['group.latitude']).toBe('u_latitude');
  });

  it('supports overrides, custom action values, id lists, group JSON and ecVm targets', () => {
    const mapping = ItsmMappingSchema.parse({
      system: 'servicenow',
      fields: { action: 'variables.what' },
      actionValues: { 'Retire connectors': 'appConnector.bulkDelete' },
    });
    const bulk = mapItsmBody(
      { number: 'C1', variables: { what: 'retire connectors' }, u_connector_ids: '1, 2;3' },
      mapping,
    );
    expect(bulk.draft).toMatchObject({
      action: 'appConnector.bulkDelete',
      ids: ['1', '2', '3'],
      reason: 'servicenow ticket C1',
    });
    const vm = mapItsmBody(
      { number: 'C2', u_zcops_action: 'delete_ec_vm', u_ec_group_id: '12', u_vm_id: '34' },
      sn,
    );
    expect(vm.draft.vm).toEqual({ groupId: '12', vmId: '34' });
    const pcc = mapItsmBody(
      {
        number: 'C3',
        u_zcops_action: 'create_pcc_group',
        u_group_json: '{"siteName":"dc1","name":"ignored"}',
        u_group_name: 'P',
      },
      sn,
    );
    expect(pcc.draft.group).toEqual({ siteName: 'dc1', name: 'P' });
    const broken = mapItsmBody({ number: 'C4', u_zcops_action: 'create_pcc_group', u_group_json: '{' }, sn);
    expect(broken.issues[0]).toMatchObject({ path: 'group', field: 'u_group_json' });
  });

  it('reports a missing ticket and action, and never reads prototypes', () => {
    const r = mapItsmBody({ __proto__: { number: 'X' }, constructor: { name: 'y' } }, sn);
    expect(r.issues.map((i) => i.path)).toEqual(['action', 'source.ref']);
    expect(mapItsmBody([], sn).issues[0]?.path).toBe('(root)');
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'an action value %s is an unknown action, never a prototype member',
    (value) => {
      const r = mapItsmBody({ number: 'CHG1', u_zcops_action: value, u_zscaler_tenant: 'acme' }, sn);
      expect(r.draft.action).toBeUndefined();
      expect(r.issues.map((i) => i.path)).toContain('action');
    },
  );

  it('maps a generic teardown hook and refuses unknown fields', () => {
    const { draft } = mapTeardownHook({
      tenant: 'acme',
      provider: 'gcp',
      instanceId: '123',
      groupId: '7',
      eventId: 'e1',
    });
    expect(draft).toMatchObject({
      action: 'appConnector.teardown',
      idempotencyKey: 'teardown:e1',
      source: { ref: '123' },
    });
    expect(
      mapTeardownHook({ provider: 'aws', extra: 1 }).issues.map((i) => `${i.path}: ${i.message}`),
    ).toEqual([
      'tenant: tenant is required',
      'instanceId: instanceId is required',
      'groupId: groupId is required',
      '(root): Unrecognized key: "extra"',
    ]);
  });
});
