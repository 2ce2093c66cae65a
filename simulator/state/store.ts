import { UnknownResourceError } from '../errors.ts';
import type { CallLogEntry } from '../types.ts';
import type {
  ActivationSettings,
  ActivationState,
  AppConnectorGroupRecord,
  CloudConnectorGroupRecord,
  ConnectorRecord,
  ControlChannelStatus,
  EcGroupRecord,
  EcVmRecord,
  PccGroupRecord,
  VersionProfileRecord,
} from './model.ts';
import { DEFAULT_MICROTENANT } from './model.ts';

/**
 * One change to the model's connectors or groups, in the order made. `call` is the call log entry
 * of the call whose handler made it (absent: a seed or a test changed the model directly), so a
 * checker can tell which write landed and what it changed, whatever the call was answered.
 */
export interface ModelChange {
  op: 'created' | 'removed';
  kind: 'connector' | 'appConnectorGroup' | 'pccGroup';
  id: string;
  name: string;
  /** A connector's group. */
  groupId?: string;
  /** Simulator clock, ms. */
  at: number;
  call?: CallLogEntry;
}

/** Input for `addConnector`: everything but the group is optional. */
export type NewConnector = Partial<Omit<ConnectorRecord, 'groupId'>> & { groupId: string };

/**
 * The simulator's inspectable, mutable model of one ZPA customer and one Cloud & Branch Connector
 * organisation. Handlers and tests share it; Node runs handlers one at a time, so every mutation
 * is atomic.
 *
 * @example
 * const c = sim.state.addConnector({ groupId: '144118148382064655', privateIp: '10.0.9.9' });
 * sim.state.setConnectorStatus(c.id, 'DISCONNECTED');
 * expect(sim.state.connectors.has(c.id)).toBe(false); // after the client deleted it
 */
export class SimulatorState {
  customerId: string;
  ztwOrgId: string;
  readonly connectors = new Map<string, ConnectorRecord>();
  readonly appConnectorGroups = new Map<string, AppConnectorGroupRecord>();
  readonly cloudConnectorGroups = new Map<string, CloudConnectorGroupRecord>();
  readonly pccGroups = new Map<string, PccGroupRecord>();
  readonly versionProfiles = new Map<string, VersionProfileRecord>();
  /** Microtenant id → name; `0` is Default. */
  readonly microtenants = new Map<string, string>([[DEFAULT_MICROTENANT, 'Default']]);
  readonly ecGroups = new Map<number, EcGroupRecord>();
  activation: ActivationState = {
    orgEditStatus: 'EDITS_CLEARED',
    orgLastActivateStatus: 'CAC_ACTV_UI',
    adminActivateStatus: 'ADM_LOGGED_IN',
    activations: 0,
  };
  /** How activations behave: duration, another admin holding the queue, failures to inject. */
  readonly ztwActivation: ActivationSettings = { durationMs: 0, failNext: 0 };
  /** Connector removals and group creations, in order, never cleared (callers only read it). */
  readonly changes: ModelChange[] = [];
  /** Group id → ids of its connectors, kept in step with `connectors`. */
  private readonly byGroup = new Map<string, Set<string>>();
  private nextZpaId: bigint;
  private nextZtwId: number;
  private readonly nowMs: () => number;
  private serving: CallLogEntry | undefined;

  constructor(options: { customerId: string; ztwOrgId: string; now: () => number }) {
    this.customerId = options.customerId;
    this.ztwOrgId = options.ztwOrgId;
    this.nowMs = options.now;
    this.nextZpaId = 217246660303100000n;
    this.nextZtwId = 5_000_000;
  }

  /** Simulator clock in epoch seconds. */
  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  /** A fresh ZPA id (digit string, larger than every id seen so far). */
  newZpaId(): string {
    this.nextZpaId += 1n;
    return this.nextZpaId.toString();
  }

  /** A fresh ZTW integer id. */
  newZtwId(): number {
    this.nextZtwId += 1;
    return this.nextZtwId;
  }

  /** Makes sure generated ids never collide with `id` (seeds call this for every id they load). */
  reserveZpaId(id: string): void {
    const n = BigInt(id);
    if (n >= this.nextZpaId) this.nextZpaId = n;
  }

  reserveZtwId(id: number): void {
    if (id >= this.nextZtwId) this.nextZtwId = id;
  }

  /** Runs a call's handler so that the changes it makes name the call (the server wraps each handler). */
  serve<T>(call: CallLogEntry, handler: () => T): T {
    this.serving = call;
    try {
      return handler();
    } finally {
      this.serving = undefined;
    }
  }

  private recordChange(change: Omit<ModelChange, 'at' | 'call'>): void {
    this.changes.push({
      ...change,
      at: this.nowMs(),
      ...(this.serving ? { call: this.serving } : {}),
    });
  }

  // ---- App Connectors ----

  /** Stores a connector (seed or test); fills realistic defaults for what is not given. */
  addConnector(input: NewConnector): ConnectorRecord {
    const group = this.appConnectorGroups.get(input.groupId);
    if (!group) throw new UnknownResourceError(`no App Connector group ${input.groupId}`);
    const now = this.nowSeconds();
    const id = input.id ?? this.newZpaId();
    if (input.id) this.reserveZpaId(input.id);
    const record: ConnectorRecord = {
      creationTime: now,
      modifiedTime: now,
      modifiedBy: '-2',
      name: `${group.name}-${(this.byGroup.get(group.id)?.size ?? 0) + 1}`,
      enabled: true,
      microtenantId: group.microtenantId,
      controlChannelStatus: 'ZPN_STATUS_AUTHENTICATED',
      lastBrokerConnectTime: now,
      provisioningKeyId: '6211',
      provisioningKeyName: `${group.name} key`,
      deception: false,
      extra: {},
      ...input,
      id,
    };
    this.connectors.set(id, record);
    this.indexConnector(record);
    return record;
  }

  /** Adds `count` connectors to a group, e.g. to simulate an autoscaling group growing. */
  addConnectors(groupId: string, count: number, template: Partial<NewConnector> = {}): ConnectorRecord[] {
    const out: ConnectorRecord[] = [];
    for (let i = 0; i < count; i++) out.push(this.addConnector({ ...template, groupId }));
    return out;
  }

  /** Removes a connector from the model (what a successful DELETE does). */
  removeConnector(id: string): boolean {
    const c = this.connectors.get(id);
    if (!c) return false;
    this.connectors.delete(id);
    this.byGroup.get(c.groupId)?.delete(id);
    this.recordChange({ op: 'removed', kind: 'connector', id, name: c.name, groupId: c.groupId });
    return true;
  }

  /**
   * Sets a connector's control channel status as the broker would see it: going DISCONNECTED
   * stamps `lastBrokerDisconnectTime`, going AUTHENTICATED stamps `lastBrokerConnectTime`.
   * `atMs` (simulator clock) defaults to now, so a test can say "down since 20 days".
   */
  setConnectorStatus(
    id: string,
    status: 'AUTHENTICATED' | 'DISCONNECTED' | 'AUTH_FAILED' | ControlChannelStatus,
    atMs: number = this.nowMs(),
  ): ConnectorRecord {
    const c = this.connectors.get(id);
    if (!c) throw new UnknownResourceError(`no App Connector ${id}`);
    const full = (status.startsWith('ZPN_STATUS_') ? status : `ZPN_STATUS_${status}`) as ControlChannelStatus;
    const at = Math.floor(atMs / 1000);
    c.controlChannelStatus = full;
    if (full === 'ZPN_STATUS_AUTHENTICATED') c.lastBrokerConnectTime = at;
    else c.lastBrokerDisconnectTime = at;
    return c;
  }

  /** Connectors matching a predicate (for assertions). */
  findConnectors(predicate: (c: ConnectorRecord) => boolean): ConnectorRecord[] {
    const out: ConnectorRecord[] = [];
    for (const c of this.connectors.values()) if (predicate(c)) out.push(c);
    return out;
  }

  findConnectorByName(name: string): ConnectorRecord | undefined {
    for (const c of this.connectors.values()) if (c.name === name) return c;
    return undefined;
  }

  findConnectorByPrivateIp(privateIp: string, groupId?: string): ConnectorRecord | undefined {
    for (const c of this.connectors.values()) {
      if (c.privateIp === privateIp && (groupId === undefined || c.groupId === groupId)) return c;
    }
    return undefined;
  }

  /** Connector records of a group, in insertion order. */
  connectorsInGroup(groupId: string): ConnectorRecord[] {
    const ids = this.byGroup.get(groupId);
    if (!ids) return [];
    const out: ConnectorRecord[] = [];
    for (const id of ids) {
      const c = this.connectors.get(id);
      if (c) out.push(c);
    }
    return out;
  }

  connectorCountInGroup(groupId: string): number {
    return this.byGroup.get(groupId)?.size ?? 0;
  }

  private indexConnector(c: ConnectorRecord): void {
    let set = this.byGroup.get(c.groupId);
    if (!set) {
      set = new Set();
      this.byGroup.set(c.groupId, set);
    }
    set.add(c.id);
  }

  // ---- groups ----

  addAppConnectorGroup(input: Partial<AppConnectorGroupRecord> & { name: string }): AppConnectorGroupRecord {
    const now = this.nowSeconds();
    const id = input.id ?? this.newZpaId();
    if (input.id) this.reserveZpaId(input.id);
    const record: AppConnectorGroupRecord = {
      creationTime: now,
      modifiedTime: now,
      modifiedBy: '72057594037928174',
      enabled: true,
      microtenantId: DEFAULT_MICROTENANT,
      latitude: '37.3382082',
      longitude: '-121.8863286',
      location: 'San Jose, CA, USA',
      upgradeDay: 'SUNDAY',
      upgradeTimeInSecs: '66600',
      dnsQueryType: 'IPV4_IPV6',
      overrideVersionProfile: false,
      versionProfileId: '0',
      tcpQuickAckApp: false,
      tcpQuickAckAssistant: false,
      tcpQuickAckReadAssistant: false,
      useInDrMode: false,
      wafDisabled: false,
      deception: false,
      extra: {},
      ...input,
      id,
    };
    this.appConnectorGroups.set(id, record);
    this.recordChange({ op: 'created', kind: 'appConnectorGroup', id, name: record.name });
    return record;
  }

  addPccGroup(input: Partial<PccGroupRecord> & { name: string; countryCode: string }): PccGroupRecord {
    const now = this.nowSeconds();
    const id = input.id ?? this.newZpaId();
    if (input.id) this.reserveZpaId(input.id);
    const record: PccGroupRecord = {
      creationTime: now,
      modifiedTime: now,
      modifiedBy: '72057594038609323',
      enabled: true,
      microtenantId: DEFAULT_MICROTENANT,
      latitude: '0',
      longitude: '0',
      location: '',
      upgradeDay: 'MONDAY',
      upgradeTimeInSecs: '66600',
      overrideVersionProfile: false,
      siteControllers: [],
      extra: {},
      ...input,
      id,
    };
    this.pccGroups.set(id, record);
    this.recordChange({ op: 'created', kind: 'pccGroup', id, name: record.name });
    return record;
  }

  // ---- Cloud & Branch Connector ----

  /** Finds a VM by group and VM id (pending deletions included). */
  getVm(groupId: number, vmId: number): EcVmRecord | undefined {
    return this.ecGroups.get(groupId)?.vms.find((v) => v.id === vmId);
  }

  /** Finds a VM by its cloud instance id. */
  findVmByInstanceId(instanceId: string): { group: EcGroupRecord; vm: EcVmRecord } | undefined {
    for (const group of this.ecGroups.values()) {
      const vm = group.vms.find((v) => v.vmInstanceId === instanceId);
      if (vm) return { group, vm };
    }
    return undefined;
  }

  /** Adds a VM to an ecgroup with realistic defaults. */
  addEcVm(groupId: number, input: Partial<EcVmRecord> = {}): EcVmRecord {
    const group = this.ecGroups.get(groupId);
    if (!group) throw new UnknownResourceError(`no ecgroup ${groupId}`);
    const id = input.id ?? this.newZtwId();
    if (input.id) this.reserveZtwId(input.id);
    const n = group.vms.length + 1;
    const vm: EcVmRecord = {
      name: `${group.name}-vm-${n}`,
      status: ['ACTIVE'],
      operationalStatus: 'ACTIVE',
      formFactor: 'SMALL',
      managementNw: { id, ipStart: `10.1.${n % 250}.10`, ipEnd: `10.1.${n % 250}.10`, nwType: 'DHCP' },
      ecInstances: [],
      natIp: `52.10.${n % 250}.${(id % 250) + 1}`,
      buildVersion: '23.158.1.1',
      upgradeStatus: 0,
      vmInstanceId: `i-0${id.toString(16).padStart(16, '0')}`,
      pendingDeletion: false,
      extra: {},
      ...input,
      id,
    };
    group.vms.push(vm);
    return vm;
  }

  /**
   * Asks for an activation (`PUT /ecAdminActivateStatus/activate`, logout, the idle timer). It waits
   * ADM_ACTV_QUEUED while another admin's edit holds the queue, runs ADM_ACTIVATING for
   * `ztwActivation.durationMs`, then applies the deletions made before it was asked for (ADM_ACTV_DONE),
   * or fails and applies nothing (ADM_ACTV_FAIL). One already under way: another one follows it.
   * With nothing to activate, answers done at once.
   */
  requestActivation(cause: string): void {
    const now = this.nowMs();
    this.tickActivation();
    const a = this.activation;
    const settings = this.ztwActivation;
    if (a.running) {
      a.again = { cause, durationMs: settings.durationMs };
      return;
    }
    if (a.orgEditStatus !== 'EDITS_PRESENT') {
      a.adminActivateStatus = 'ADM_ACTV_DONE';
      a.orgLastActivateStatus = cause;
      return;
    }
    this.#start(cause, now, settings.durationMs);
    this.tickActivation();
  }

  #start(cause: string, now: number, durationMs: number): void {
    const settings = this.ztwActivation;
    const startsAt = Math.max(now, settings.queueHeldUntil ?? now);
    const outcome = settings.failNext > 0 ? 'fail' : 'done';
    if (outcome === 'fail') settings.failNext -= 1;
    this.activation.running = { cause, requestedAt: now, startsAt, doneAt: startsAt + durationMs, outcome };
    this.activation.adminActivateStatus = startsAt > now ? 'ADM_ACTV_QUEUED' : 'ADM_ACTIVATING';
  }

  /** Moves the activation under way along the clock (the server calls it before every ZTW call). */
  tickActivation(): void {
    const now = this.nowMs();
    const a = this.activation;
    const r = a.running;
    if (!r) return;
    if (now < r.startsAt) {
      a.adminActivateStatus = 'ADM_ACTV_QUEUED';
      return;
    }
    if (now < r.doneAt) {
      a.adminActivateStatus = 'ADM_ACTIVATING';
      return;
    }
    a.running = undefined;
    a.activations += 1;
    a.orgLastActivateStatus = r.cause;
    if (r.outcome === 'done') {
      for (const group of this.ecGroups.values()) {
        group.vms = group.vms.filter((v) => !(v.pendingDeletion && (v.deletedAt ?? 0) <= r.requestedAt));
      }
      a.adminActivateStatus = 'ADM_ACTV_DONE';
    } else a.adminActivateStatus = 'ADM_ACTV_FAIL';
    const left = [...this.ecGroups.values()].some((g) => g.vms.some((v) => v.pendingDeletion));
    a.orgEditStatus = left ? 'EDITS_PRESENT' : 'EDITS_CLEARED';
    if (!left) a.lastEditAt = undefined;
    const again = a.again;
    a.again = undefined;
    if (again && left) {
      this.#start(again.cause, r.doneAt, again.durationMs);
      this.tickActivation();
    }
  }

  /** Applies pending VM deletions at once (tests; the API's paths go through `requestActivation`). */
  activate(cause: string): void {
    for (const group of this.ecGroups.values()) group.vms = group.vms.filter((v) => !v.pendingDeletion);
    this.activation = {
      orgEditStatus: 'EDITS_CLEARED',
      orgLastActivateStatus: cause,
      adminActivateStatus: 'ADM_ACTV_DONE',
      activations: this.activation.activations + 1,
    };
  }

  /** Records an unactivated edit. */
  markEdited(): void {
    this.activation.orgEditStatus = 'EDITS_PRESENT';
    // While an activation is under way, the admin's status keeps showing it.
    if (!this.activation.running) this.activation.adminActivateStatus = 'ADM_EDITING';
    this.activation.lastEditAt = this.nowMs();
  }

  /** Marks a VM deleted (pending until an activation applies it). */
  markVmDeleted(vm: EcVmRecord): void {
    vm.pendingDeletion = true;
    vm.deletedAt = this.nowMs();
    this.markEdited();
  }
}
