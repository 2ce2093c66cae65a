import { describe, expect, it } from 'vitest';
import { SIMULATOR_CREDENTIALS } from '../../../simulator/credentials.ts';
import { DOCS_MICROTENANT, loadVersionProfiles, seedFromDocs } from '../../../simulator/seed/docs.ts';
import { generateTenant } from '../../../simulator/seed/generate.ts';
import { renderConnector } from '../../../simulator/state/render.ts';
import { SimulatorState } from '../../../simulator/state/store.ts';

const NOW = Date.UTC(2025, 5, 1);
const newState = () =>
  new SimulatorState({
    customerId: SIMULATOR_CREDENTIALS.zpa.customerId,
    ztwOrgId: '24326813',
    now: () => NOW,
  });

describe('docs seed', () => {
  const state = newState();
  seedFromDocs(state);

  it('holds the docs objects', () => {
    expect(state.appConnectorGroups.size).toBe(7);
    expect(state.connectors.size).toBe(8);
    expect(state.cloudConnectorGroups.size).toBe(9);
    expect(state.pccGroups.size).toBe(3);
    expect(state.versionProfiles.size).toBe(5);
    expect(state.ecGroups.size).toBe(2);
    expect(state.microtenants.get(DOCS_MICROTENANT.id)).toBe('firedrill_scope-1');
  });

  it('includes the protected, the AUTHENTICATED and the DISCONNECTED connectors', () => {
    expect(
      state.findConnectorByName('*Do not Delete* Lanukcorp AWS Connectors-4')?.controlChannelStatus,
    ).toBe('ZPN_STATUS_AUTHENTICATED');
    expect(state.findConnectors((c) => c.controlChannelStatus === 'ZPN_STATUS_DISCONNECTED')).toHaveLength(2);
    expect(state.findConnectorByPrivateIp('10.0.0.4', '144118148382064835')?.name).toBe('Azure Connector-1');
    expect(state.connectorsInGroup('72057615512764441').map((c) => c.name)).toEqual(['AWS-6', 'AWS-7']);
  });

  it('renders connectors in the docs shape with every documented field', () => {
    const c = state.connectors.get('217246660303025075');
    if (!c) throw new Error('seed');
    const r = renderConnector(state, c);
    expect(r).toMatchObject({
      id: '217246660303025075',
      modifiedTime: '1622502016',
      fingerprint: 'TkL50KRJxbkaCEOLtkS/Exv9qeUoHcuMtTHfr/gS8FQ=',
      issuedCertId: '10766',
      previousVersion: '21.172.1-703-g9cedf7b87-dirty',
      lastUpgradeTime: '1628190895',
      upgradeAttempt: '0',
      platformDetail: 'ESXi',
      enrollmentCert: { id: '2858', name: 'Mock Company Root Certificate' },
      appConnectorGroupName: 'example_connector_group',
    });
    for (const v of Object.values(r)) expect(typeof v === 'number').toBe(false);
  });

  it('places the PCC group of the firedrill scope in its microtenant', () => {
    expect(state.pccGroups.get('289397352052032350')?.microtenantId).toBe(DOCS_MICROTENANT.id);
    expect(state.pccGroups.get('289397352052032169')?.siteControllers).toHaveLength(3);
  });

  it('never hands out an id the docs already use', () => {
    const id = state.newZpaId();
    expect(state.connectors.has(id) || state.appConnectorGroups.has(id) || state.pccGroups.has(id)).toBe(
      false,
    );
    expect(BigInt(id)).toBeGreaterThan(289397352052032393n);
    expect(state.newZtwId()).toBeGreaterThan(4543202);
  });

  it('loads only the built-in version profiles when asked', () => {
    const s = newState();
    loadVersionProfiles(s, { builtinOnly: true });
    expect([...s.versionProfiles.keys()]).toEqual(['0', '1', '2']);
  });
});

describe('generated tenant', () => {
  it('builds 50,000 connectors in 2,000 groups with unique ids and IPs', () => {
    const state = newState();
    generateTenant(state, { connectors: 50_000, groups: 2_000, seed: 3 });
    expect(state.connectors.size).toBe(50_000);
    expect(state.appConnectorGroups.size).toBe(2_000);
    const ips = new Set([...state.connectors.values()].map((c) => c.privateIp));
    expect(ips.size).toBe(50_000);
    expect(state.connectorCountInGroup([...state.appConnectorGroups.keys()][0] ?? '')).toBe(25);
    const disconnected = state.findConnectors(
      (c) => c.controlChannelStatus === 'ZPN_STATUS_DISCONNECTED',
    ).length;
    expect(disconnected / 50_000).toBeGreaterThan(0.1);
    expect(disconnected / 50_000).toBeLessThan(0.2);
    expect(state.findConnectors((c) => /do not delete/i.test(c.name))).toHaveLength(1);
  });

  it('is deterministic for a seed', () => {
    const a = newState();
    const b = newState();
    generateTenant(a, { connectors: 300, groups: 7, seed: 11, ecGroups: 2, vmsPerGroup: 4 });
    generateTenant(b, { connectors: 300, groups: 7, seed: 11, ecGroups: 2, vmsPerGroup: 4 });
    expect([...a.connectors.values()]).toEqual([...b.connectors.values()]);
    expect([...a.ecGroups.values()]).toEqual([...b.ecGroups.values()]);
    expect([...a.ecGroups.values()][0]?.vms).toHaveLength(4);
  });

  it('rejects nonsense sizes', () => {
    expect(() => generateTenant(newState(), { groups: 0 })).toThrow(/groups/);
    expect(() => generateTenant(newState(), { connectors: -1 })).toThrow(/connectors/);
  });
});
