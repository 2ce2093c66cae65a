import { describe, expect, it } from 'vitest';
import { UnknownResourceError } from '../../../simulator/errors.ts';
import { renderAppConnectorGroup, renderConnector, renderEcGroup } from '../../../simulator/state/render.ts';
import { SimulatorState } from '../../../simulator/state/store.ts';

const DAY = 86_400_000;

function makeState() {
  let now = Date.UTC(2025, 0, 1);
  const state = new SimulatorState({ customerId: '1', ztwOrgId: '2', now: () => now });
  return { state, tick: (ms: number) => (now += ms) };
}

describe('SimulatorState helpers', () => {
  it('adds connectors with realistic defaults and indexes them by group', () => {
    const { state } = makeState();
    const g = state.addAppConnectorGroup({ name: 'grp' });
    const [a, b] = state.addConnectors(g.id, 2, { privateIp: '10.0.0.1' });
    expect(a).toMatchObject({
      name: 'grp-1',
      controlChannelStatus: 'ZPN_STATUS_AUTHENTICATED',
      groupId: g.id,
    });
    expect(b?.name).toBe('grp-2');
    expect(state.connectorsInGroup(g.id)).toHaveLength(2);
    expect(() => state.addConnector({ groupId: '404' })).toThrow(UnknownResourceError);
  });

  it('sets status and stamps the matching broker time', () => {
    const { state, tick } = makeState();
    const g = state.addAppConnectorGroup({ name: 'grp' });
    const c = state.addConnector({ groupId: g.id });
    tick(DAY);
    state.setConnectorStatus(c.id, 'DISCONNECTED');
    expect(c.controlChannelStatus).toBe('ZPN_STATUS_DISCONNECTED');
    expect(c.lastBrokerDisconnectTime).toBe(state.nowSeconds());
    tick(2 * DAY);
    expect(renderConnector(state, c).lastBrokerDisconnectTimeDuration).toBe('02d 00h 00m 00s');
    state.setConnectorStatus(c.id, 'ZPN_STATUS_AUTHENTICATED');
    expect(c.lastBrokerConnectTime).toBe(state.nowSeconds());
    expect(() => state.setConnectorStatus('9', 'DISCONNECTED')).toThrow(UnknownResourceError);
  });

  it('removes connectors from the model and the group index', () => {
    const { state } = makeState();
    const g = state.addAppConnectorGroup({ name: 'grp' });
    const c = state.addConnector({ groupId: g.id });
    expect(state.removeConnector(c.id)).toBe(true);
    expect(state.removeConnector(c.id)).toBe(false);
    expect(state.connectorCountInGroup(g.id)).toBe(0);
  });

  it('models VM deletion as pending until activation', () => {
    const { state } = makeState();
    const id = state.newZtwId();
    state.ecGroups.set(id, {
      id,
      name: 'g',
      desc: '',
      deployType: 'CLOUD',
      status: ['ENABLED'],
      platform: 'AWS',
      location: { id: 1, name: 'l' },
      maxEcCount: 2,
      tunnelMode: 'ENCRYPTED',
      vms: [],
      extra: {},
    });
    const vm = state.addEcVm(id);
    expect(state.findVmByInstanceId(vm.vmInstanceId)?.vm).toBe(vm);
    state.markVmDeleted(vm);
    expect(state.activation).toMatchObject({
      orgEditStatus: 'EDITS_PRESENT',
      adminActivateStatus: 'ADM_EDITING',
    });
    expect(state.getVm(id, vm.id)).toBe(vm);
    state.activate('CAC_ACTV_UI');
    expect(state.getVm(id, vm.id)).toBeUndefined();
    expect(state.activation).toMatchObject({ orgEditStatus: 'EDITS_CLEARED', activations: 1 });
    // A group without VMs answers `ecVMs: null`, as the real API does.
    expect(renderEcGroup(state.ecGroups.get(id) ?? (undefined as never)).ecVMs).toBeNull();
  });
});

describe('Cloud & Branch Connector activation (queued, takes time)', () => {
  const withVms = () => {
    const made = makeState();
    const { state } = made;
    state.ecGroups.set(1, {
      id: 1,
      name: 'g',
      desc: '',
      deployType: 'CLOUD',
      status: ['ENABLED'],
      platform: 'AWS',
      location: { id: 1, name: 'l' },
      maxEcCount: 2,
      tunnelMode: 'ENCRYPTED',
      vms: [],
      extra: {},
    });
    return { ...made, a: state.addEcVm(1), b: state.addEcVm(1) };
  };

  it('queues behind another admin, runs for its duration, then applies the deletions made before it', () => {
    const { state, tick, a, b } = withVms();
    state.ztwActivation.durationMs = 5_000;
    state.ztwActivation.queueHeldUntil = state.nowSeconds() * 1000 + 10_000;
    state.markVmDeleted(a);
    state.requestActivation('CAC_ACTV_UI');
    expect(state.activation.adminActivateStatus).toBe('ADM_ACTV_QUEUED');
    tick(1);
    state.markVmDeleted(b); // after the activation was asked for: not part of it
    tick(9_999);
    state.tickActivation();
    expect(state.activation.adminActivateStatus).toBe('ADM_ACTIVATING');
    expect(state.getVm(1, a.id)).toBe(a); // still visible while running
    tick(5_000);
    state.tickActivation();
    expect(state.activation).toMatchObject({
      adminActivateStatus: 'ADM_ACTV_DONE',
      orgEditStatus: 'EDITS_PRESENT',
      orgLastActivateStatus: 'CAC_ACTV_UI',
      activations: 1,
    });
    expect(state.getVm(1, a.id)).toBeUndefined();
    expect(state.getVm(1, b.id)?.pendingDeletion).toBe(true);
  });

  it('a failing activation applies nothing; one asked for while another runs follows it', () => {
    const { state, tick, a, b } = withVms();
    state.ztwActivation.durationMs = 1_000;
    state.ztwActivation.failNext = 1;
    state.markVmDeleted(a);
    state.requestActivation('CAC_ACTV_UI');
    state.markVmDeleted(b);
    state.requestActivation('CAC_ACTV_SESSION_LOGOUT'); // while the first runs
    tick(1_000);
    state.tickActivation();
    // The first failed (nothing applied); the second started at once and runs.
    expect(state.activation.adminActivateStatus).toBe('ADM_ACTIVATING');
    expect(state.getVm(1, a.id)).toBe(a);
    tick(1_000);
    state.tickActivation();
    expect(state.activation).toMatchObject({ adminActivateStatus: 'ADM_ACTV_DONE', activations: 2 });
    expect(state.ecGroups.get(1)?.vms).toEqual([]);
  });

  it('with nothing to activate, answers done at once', () => {
    const { state } = withVms();
    state.requestActivation('CAC_ACTV_UI');
    expect(state.activation).toMatchObject({ adminActivateStatus: 'ADM_ACTV_DONE', activations: 0 });
  });
});

describe('render', () => {
  it('renders ids, times and counts as strings and omits absent fields', () => {
    const { state } = makeState();
    const g = state.addAppConnectorGroup({ name: 'grp' });
    const c = state.addConnector({
      groupId: g.id,
      controlChannelStatus: undefined,
      lastBrokerConnectTime: undefined,
    });
    const r = renderConnector(state, c);
    expect(typeof r.creationTime).toBe('string');
    expect('controlChannelStatus' in r).toBe(false);
    expect('lastBrokerConnectTimeDuration' in r).toBe(false);
    const rg = renderAppConnectorGroup(state, g);
    expect(rg.connectors).toEqual([expect.not.objectContaining({ assistantVersion: expect.anything() })]);
    expect(rg.versionProfileId).toBe('0');
  });

  it('shows microtenant fields for non-default microtenants only (or when asked)', () => {
    const { state } = makeState();
    state.microtenants.set('77', 'team-a');
    const g = state.addAppConnectorGroup({ name: 'g', microtenantId: '77' });
    const d = state.addAppConnectorGroup({ name: 'd' });
    expect(renderAppConnectorGroup(state, g)).toMatchObject({
      microtenantId: '77',
      microtenantName: 'team-a',
    });
    expect('microtenantName' in renderAppConnectorGroup(state, d)).toBe(false);
    expect(renderAppConnectorGroup(state, d, { withMicrotenantName: true }).microtenantName).toBe('Default');
  });
});
