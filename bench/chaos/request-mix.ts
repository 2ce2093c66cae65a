import { LOCAL_ASG_GROUP_ID, LOCAL_TENANT } from '../../local/local-config.ts';
import { createPrng, type Prng } from '../../simulator/prng.ts';
import type { SimulatorState } from '../../simulator/state/store.ts';
import { CHAOS_SOURCES } from './config.ts';

/** What a submission is, for the outcome table. */
export type SubmissionKind =
  | 'delete'
  | 'delete-connected'
  | 'delete-forced'
  | 'delete-protected'
  | 'bulkDelete'
  | 'cleanup'
  | 'group-create'
  | 'group-create-same-name'
  | 'pcc-create'
  | 'itsm-ticket'
  | 'duplicate'
  | 'teardown'
  | 'snapshot'
  | 'ecVm-delete'
  | 'ecVm-delete-by-instance';

/** One thing the chaos run sends into the stack. */
export type ChaosSubmission =
  | {
      kind: SubmissionKind;
      via: 'http';
      route: '/v1/requests' | '/v1/hooks/servicenow';
      source: string;
      body: Record<string, unknown>;
    }
  | {
      kind: 'teardown';
      via: 'terminate';
      instanceId: string;
      connectorId: string;
    };

/** A job message that can never be processed, sent straight to the jobs queue. */
export interface PoisonMessage {
  label: string;
  body: string;
}

/** What the chaos tenant holds, for the checks. */
export interface ChaosWorld {
  /** Connectors whose name is protected ("do not delete"). */
  protectedIds: Set<string>;
  /** Connectors connected at start (deleting them needs force). */
  connectedIds: Set<string>;
  /** Connected connectors a forced request may delete. */
  forcedIds: Set<string>;
  /** Teardown connectors (connected until the harness takes their instance down). */
  teardown: { instanceId: string; connectorId: string }[];
  /** App Connector group and PCC group names at start (lower-case). */
  groupNamesAtStart: Set<string>;
}

export interface MixOptions {
  /** Submissions in all (poison messages come on top). */
  requests: number;
  seed: number;
  /** Only these kinds besides plain deletions (default: all). */
  kinds?: readonly SubmissionKind[];
}

const DAY_MS = 86_400_000;

/** Share of each kind in the mix (the rest are plain deletions). */
const SHARES: readonly [SubmissionKind, number][] = [
  ['delete-connected', 0.06],
  ['delete-forced', 0.04],
  ['delete-protected', 0.03],
  ['bulkDelete', 0.08],
  ['cleanup', 0.02],
  ['group-create', 0.1],
  ['group-create-same-name', 0.03],
  ['pcc-create', 0.03],
  ['itsm-ticket', 0.03],
  ['duplicate', 0.1],
  ['teardown', 0.1],
  ['snapshot', 0.01],
  ['ecVm-delete', 0.004],
  ['ecVm-delete-by-instance', 0.004],
];

/**
 * How many of each kind a mix of `requests` holds (at least one of each when `requests` ≥ 50); kinds
 * not in `kinds` (when given) get none, plain deletions fill the rest.
 */
export function mixCounts(
  requests: number,
  kinds?: readonly SubmissionKind[],
): Record<SubmissionKind, number> {
  const counts = {} as Record<SubmissionKind, number>;
  let used = 0;
  for (const [kind, share] of SHARES) {
    const wanted = kinds === undefined || kinds.includes(kind);
    counts[kind] = wanted ? Math.max(requests >= 50 ? 1 : 0, Math.round(requests * share)) : 0;
    used += counts[kind];
  }
  counts.delete = Math.max(0, requests - used);
  return counts;
}

/**
 * Seeds the simulator's tenant for a mix: chaos App Connector groups with disconnected connectors
 * (down for 20 days), connected ones, protected ones ("… DO NOT DELETE", some of them disconnected),
 * teardown connectors `aws-<instanceId>` in the autoscaling group, and ecgroup VMs.
 *
 * @example
 * const world = seedChaosTenant(sim.state, mixCounts(1000), 42);
 */
export function seedChaosTenant(
  state: SimulatorState,
  counts: Record<SubmissionKind, number>,
  seed: number,
): ChaosWorld & { pools: ConnectorPools } {
  const rnd = createPrng(seed);
  const now = state.nowSeconds() * 1000;
  const groupNamesAtStart = new Set<string>();
  for (const g of state.appConnectorGroups.values()) groupNamesAtStart.add(g.name.toLowerCase());
  for (const g of state.pccGroups.values()) groupNamesAtStart.add(g.name.toLowerCase());

  const groups = Array.from({ length: 8 }, (_, i) =>
    state.addAppConnectorGroup({ name: `Chaos Group ${i + 1}`, location: 'Frankfurt, Germany' }),
  );
  const cleanupGroups = Array.from({ length: Math.max(1, counts.cleanup) }, (_, i) =>
    state.addAppConnectorGroup({ name: `Chaos Cleanup ${i + 1}`, location: 'Dublin, Ireland' }),
  );
  const world: ChaosWorld = {
    protectedIds: new Set(),
    connectedIds: new Set(),
    forcedIds: new Set(),
    teardown: [],
    groupNamesAtStart,
  };
  const disconnect = (id: string) => state.setConnectorStatus(id, 'DISCONNECTED', now - 20 * DAY_MS);
  let n = 0;
  const add = (kind: 'disconnected' | 'connected' | 'protected', groupId?: string) => {
    n++;
    const group = groupId ?? (rnd.pick(groups).id as string);
    const name = kind === 'protected' ? `chaos-${n} DO NOT DELETE` : `chaos-${n}`;
    const c = state.addConnector({ groupId: group, name, privateIp: `10.20.${(n >> 8) & 255}.${n & 255}` });
    if (kind === 'protected') {
      world.protectedIds.add(c.id);
      // Half of the protected ones are down too: only their name protects them.
      if (rnd.next() < 0.5) disconnect(c.id);
      else world.connectedIds.add(c.id);
    } else if (kind === 'disconnected') disconnect(c.id);
    else world.connectedIds.add(c.id);
    return c.id;
  };

  const pools: ConnectorPools = {
    disconnected: [],
    connected: [],
    forced: [],
    protected: [],
    bulk: [],
    cleanupGroups: cleanupGroups.map((g) => g.id),
    vms: [],
    instanceIds: [],
  };
  for (let i = 0; i < counts.delete + 5; i++) pools.disconnected.push(add('disconnected'));
  for (let i = 0; i < counts['delete-connected'] + 2; i++) pools.connected.push(add('connected'));
  for (let i = 0; i < counts['delete-forced'] + 2; i++) {
    const id = add('connected');
    pools.forced.push(id);
    world.forcedIds.add(id);
  }
  for (let i = 0; i < counts['delete-protected'] + 2; i++) pools.protected.push(add('protected'));
  for (let i = 0; i < counts.bulkDelete; i++) {
    const ids = Array.from({ length: rnd.int(3, 8) }, () => add('disconnected'));
    // Some bulk requests name a protected or a connected connector among the others.
    const r = rnd.next();
    if (r < 0.2) ids.push(add('protected'));
    else if (r < 0.35) ids.push(add('connected'));
    pools.bulk.push(ids);
  }
  for (const g of cleanupGroups) {
    for (let i = 0; i < 5; i++) add('disconnected', g.id);
    add('connected', g.id);
    add('protected', g.id);
  }
  for (let i = 0; i < counts.teardown; i++) {
    const instanceId = `i-0c4a05${(0x10000000 + i * 7919 + seed).toString(16).slice(-10).padStart(10, '0')}`;
    const c = state.addConnector({
      groupId: LOCAL_ASG_GROUP_ID,
      name: `aws-${instanceId}`,
      privateIp: `10.30.${(i >> 8) & 255}.${i & 255}`,
    });
    world.connectedIds.add(c.id);
    world.teardown.push({ instanceId, connectorId: c.id });
  }
  const ecGroup = [...state.ecGroups.values()][0];
  if (ecGroup) {
    for (let i = 0; i < counts['ecVm-delete']; i++) {
      const vm = state.addEcVm(ecGroup.id);
      pools.vms.push({ groupId: ecGroup.id, vmId: vm.id });
    }
    for (let i = 0; i < counts['ecVm-delete-by-instance']; i++) {
      const instanceId = state.addEcVm(ecGroup.id).vmInstanceId;
      if (instanceId) pools.instanceIds.push(instanceId);
    }
  }
  return { ...world, pools };
}

/** Seeded connectors the generator draws targets from. */
export interface ConnectorPools {
  disconnected: string[];
  connected: string[];
  forced: string[];
  protected: string[];
  bulk: string[][];
  cleanupGroups: string[];
  vms: { groupId: number; vmId: number }[];
  /** Cloud instance ids of VMs deleted by instance id. */
  instanceIds: string[];
}

/**
 * Builds the request mix (shuffled, seeded): deletions (plain, of connected connectors without
 * force, forced, of protected names), bulk deletions, cleanups, group creations (canonical and as
 * ServiceNow tickets, some with the same name under different tickets), PCC groups, duplicates of
 * earlier tickets, teardown events, snapshots and a few Cloud Connector VM deletions (by group and
 * VM id, and by the VM's cloud instance id).
 *
 * @example
 * const mix = buildMix(world.pools, world, { requests: 1000, seed: 42 });
 */
export function buildMix(pools: ConnectorPools, world: ChaosWorld, options: MixOptions): ChaosSubmission[] {
  const rnd = createPrng(options.seed * 31 + 1);
  const counts = mixCounts(options.requests, options.kinds);
  const out: ChaosSubmission[] = [];
  const take = <T>(list: T[]): T => {
    const v = list.shift();
    if (v === undefined) throw new Error('chaos mix: a pool ran out');
    return v;
  };
  let ticket = 0;
  const ref = (prefix: string) => `${prefix}${String(++ticket).padStart(7, '0')}`;
  const canonical = (kind: SubmissionKind, source: string, body: Record<string, unknown>) =>
    out.push({ kind, via: 'http', route: '/v1/requests', source, body });
  const base = (prefix: string, extra: Record<string, unknown> = {}) => ({
    tenant: LOCAL_TENANT,
    reason: 'chaos run',
    source: { ref: ref(prefix) },
    ...extra,
  });

  for (let i = 0; i < counts.delete; i++) {
    const id = take(pools.disconnected);
    canonical('delete', CHAOS_SOURCES.api, {
      ...base('DEL'),
      action: 'appConnector.delete',
      connector: { id },
    });
  }
  for (let i = 0; i < counts['delete-connected']; i++) {
    canonical('delete-connected', CHAOS_SOURCES.api, {
      ...base('DEL'),
      action: 'appConnector.delete',
      connector: { id: take(pools.connected) },
    });
  }
  for (let i = 0; i < counts['delete-forced']; i++) {
    canonical('delete-forced', CHAOS_SOURCES.cli, {
      ...base('FRC'),
      action: 'appConnector.delete',
      force: true,
      connector: { id: take(pools.forced) },
    });
  }
  for (let i = 0; i < counts['delete-protected']; i++) {
    // Forced, from the CLI: a protected name is never deleted, force or not.
    canonical('delete-protected', CHAOS_SOURCES.cli, {
      ...base('PRT'),
      action: 'appConnector.delete',
      force: true,
      connector: { id: take(pools.protected) },
    });
  }
  for (let i = 0; i < counts.bulkDelete; i++) {
    canonical('bulkDelete', CHAOS_SOURCES.api, {
      ...base('BLK'),
      action: 'appConnector.bulkDelete',
      ids: take(pools.bulk),
    });
  }
  for (let i = 0; i < counts.cleanup; i++) {
    canonical('cleanup', CHAOS_SOURCES.api, {
      ...base('CLN'),
      action: 'appConnector.cleanup',
      disconnectedFor: '15d',
      groupId: pools.cleanupGroups[i % pools.cleanupGroups.length],
    });
  }
  const groupBody = (name: string) => ({
    name,
    location: 'Lyon, France',
    latitude: '45.764',
    longitude: '4.8357',
    upgradeDay: 'SUNDAY',
    upgradeTimeInSecs: '66600',
  });
  for (let i = 0; i < counts['group-create']; i++) {
    canonical('group-create', CHAOS_SOURCES.itsm, {
      ...base('CHG'),
      action: 'appConnectorGroup.create',
      group: groupBody(`Chaos Created Group ${i + 1}`),
    });
  }
  for (let i = 0; i < counts['group-create-same-name']; i++) {
    // Two tickets asking for the same group: one group in the end.
    const name = `Chaos Shared Group ${Math.floor(i / 2) + 1}`;
    canonical('group-create-same-name', CHAOS_SOURCES.itsm, {
      ...base('CHG'),
      action: 'appConnectorGroup.create',
      group: groupBody(name),
    });
  }
  for (let i = 0; i < counts['pcc-create']; i++) {
    canonical('pcc-create', CHAOS_SOURCES.itsm, {
      ...base('CHG'),
      action: 'pccGroup.create',
      group: {
        name: `Chaos PCC Group ${i + 1}`,
        location: 'Paris, France',
        latitude: '48.8566',
        longitude: '2.3522',
        countryCode: 'FR',
      },
    });
  }
  for (let i = 0; i < counts['itsm-ticket']; i++) {
    out.push({
      kind: 'itsm-ticket',
      via: 'http',
      route: '/v1/hooks/servicenow',
      source: CHAOS_SOURCES.itsm,
      body: {
        number: ref('CHG'),
        short_description: 'App Connector group from a change ticket',
        u_zcops_action: 'Create App Connector group',
        u_zscaler_tenant: LOCAL_TENANT,
        u_group_name: `Chaos Ticket Group ${i + 1}`,
        u_location: 'Lyon, France',
        u_latitude: '45.764',
        u_longitude: '4.8357',
      },
    });
  }
  for (const t of world.teardown.slice(0, counts.teardown)) {
    out.push({ kind: 'teardown', via: 'terminate', instanceId: t.instanceId, connectorId: t.connectorId });
  }
  for (let i = 0; i < counts.snapshot; i++) {
    canonical('snapshot', CHAOS_SOURCES.api, { ...base('SNP'), action: 'inventory.snapshot' });
  }
  for (let i = 0; i < counts['ecVm-delete']; i++) {
    const vm = take(pools.vms);
    canonical('ecVm-delete', CHAOS_SOURCES.api, {
      ...base('VM'),
      action: 'ecVm.delete',
      vm: { groupId: vm.groupId, vmId: vm.vmId },
    });
  }
  for (let i = 0; i < counts['ecVm-delete-by-instance']; i++) {
    canonical('ecVm-delete-by-instance', CHAOS_SOURCES.api, {
      ...base('VM'),
      action: 'ecVm.delete',
      vm: { instanceId: take(pools.instanceIds) },
    });
  }
  shuffle(out, rnd);
  // Duplicates: the same submission again (same ticket), later in the run, answered with the original.
  const originals = out.filter((s) => s.via === 'http');
  for (let i = 0; i < counts.duplicate; i++) {
    if (originals.length === 0) break;
    const original = rnd.pick(originals) as Extract<ChaosSubmission, { via: 'http' }>;
    const at = rnd.int(out.indexOf(original) + 1, out.length);
    out.splice(at, 0, { ...original, kind: 'duplicate' });
  }
  return out;
}

/** Job messages no worker can process: the DLQ must end up holding exactly these. */
export function poisonMessages(): PoisonMessage[] {
  return [
    { label: 'not JSON', body: 'this is not a job message' },
    { label: 'no request id', body: JSON.stringify({ v: 1, action: 'appConnector.delete' }) },
    {
      label: 'unknown request',
      body: JSON.stringify({
        v: 1,
        requestId: '00000000-0000-4000-8000-00000000dead',
        action: 'appConnector.delete',
        tenant: LOCAL_TENANT,
        enqueuedAt: new Date().toISOString(),
        deferrals: 0,
      }),
    },
  ];
}

function shuffle<T>(items: T[], rnd: Prng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rnd.int(0, i);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}
