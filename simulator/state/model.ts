/**
 * Records the simulator keeps. Times are epoch seconds (numbers) and rendered as strings on the
 * wire; ZPA ids are digit strings (they exceed 2^53), ZTW ids are integers. `extra` carries the
 * documented fields the simulator does not interpret (fingerprint, platform, …) so answers keep
 * the docs' full shape.
 */

export type ControlChannelStatus =
  | 'ZPN_STATUS_AUTHENTICATED'
  | 'ZPN_STATUS_DISCONNECTED'
  | 'ZPN_STATUS_AUTH_FAILED';

/** The Default microtenant's id. */
export const DEFAULT_MICROTENANT = '0';

export interface Audit {
  creationTime: number;
  modifiedTime: number;
  modifiedBy: string;
}

export interface ConnectorRecord extends Audit {
  id: string;
  name: string;
  description?: string;
  enabled: boolean;
  groupId: string;
  microtenantId: string;
  controlChannelStatus?: ControlChannelStatus;
  privateIp?: string;
  publicIp?: string;
  /** Epoch seconds. */
  lastBrokerConnectTime?: number;
  lastBrokerDisconnectTime?: number;
  currentVersion?: string;
  expectedVersion?: string;
  previousVersion?: string;
  provisioningKeyId: string;
  provisioningKeyName: string;
  /** Made by Zscaler Deception: cannot be updated or deleted. */
  deception: boolean;
  extra: Record<string, unknown>;
}

export interface AppConnectorGroupRecord extends Audit {
  id: string;
  name: string;
  description?: string;
  enabled: boolean;
  microtenantId: string;
  latitude: string;
  longitude: string;
  location: string;
  upgradeDay: string;
  upgradeTimeInSecs: string;
  dnsQueryType: string;
  overrideVersionProfile: boolean;
  versionProfileId: string;
  tcpQuickAckApp: boolean;
  tcpQuickAckAssistant: boolean;
  tcpQuickAckReadAssistant: boolean;
  useInDrMode: boolean;
  wafDisabled: boolean;
  cityCountry?: string;
  countryCode?: string;
  deception: boolean;
  extra: Record<string, unknown>;
}

export interface PccGroupRecord extends Audit {
  id: string;
  name: string;
  description?: string;
  enabled: boolean;
  microtenantId: string;
  latitude: string;
  longitude: string;
  location: string;
  countryCode: string;
  cityCountry?: string;
  upgradeDay: string;
  upgradeTimeInSecs: string;
  overrideVersionProfile: boolean;
  versionProfileId?: string;
  siteId?: string;
  siteName?: string;
  /** Controllers are not modelled as resources; the docs' embedded objects are kept as-is. */
  siteControllers: Record<string, unknown>[];
  extra: Record<string, unknown>;
}

/** Cloud Connector groups are read-only in the docs: kept as the docs' objects. */
export interface CloudConnectorGroupRecord {
  id: string;
  name: string;
  microtenantId: string;
  body: Record<string, unknown>;
}

export interface VersionProfileRecord {
  id: string;
  name: string;
  upgradePriority: string;
  visibilityScope: string;
  versions: Record<string, unknown>[];
  extra: Record<string, unknown>;
}

export interface EcVmRecord {
  id: number;
  name: string;
  status: string[];
  operationalStatus: string;
  formFactor: string;
  managementNw: Record<string, unknown>;
  ecInstances: Record<string, unknown>[];
  natIp: string;
  buildVersion: string;
  upgradeStatus: number;
  /** The cloud provider's instance id (AWS `i-…`, Azure VM uuid), used by DELETE /ecVm/uuid/{id}. */
  vmInstanceId: string;
  /** Deleted but not yet activated: still visible, DELETE answers 404. */
  pendingDeletion: boolean;
  /** Simulator clock (ms) of the DELETE; an activation applies the deletions made before it was asked for. */
  deletedAt?: number;
  extra: Record<string, unknown>;
}

export interface EcGroupRecord {
  id: number;
  name: string;
  desc: string;
  deployType: string;
  status: string[];
  platform: string;
  location: { id: number; name: string };
  maxEcCount: number;
  tunnelMode: string;
  vms: EcVmRecord[];
  extra: Record<string, unknown>;
}

/** Cloud & Branch Connector activation state (`GET /ecAdminActivateStatus`). */
export interface ActivationState {
  orgEditStatus: 'EDITS_CLEARED' | 'EDITS_PRESENT';
  orgLastActivateStatus: string;
  adminActivateStatus: string;
  /** Simulator clock (ms) of the last unactivated edit; undefined when nothing is pending. */
  lastEditAt?: number;
  /** How many activations completed (any cause, failed ones included). */
  activations: number;
  /** The activation under way (queued until `startsAt`, running until `doneAt`), if any. */
  running?: RunningActivation;
  /** Another activation was asked for while one ran: it starts when that one ends, if edits remain. */
  again?: { cause: string; durationMs: number };
}

/** An activation asked for at `requestedAt`: it applies the edits made before then. */
export interface RunningActivation {
  cause: string;
  requestedAt: number;
  /** Queued behind another admin's edit until then. */
  startsAt: number;
  doneAt: number;
  /** `fail`: ends ADM_ACTV_FAIL and applies nothing. */
  outcome: 'done' | 'fail';
}

/**
 * How activations behave (tests and benchmarks set these on `state.ztwActivation`). Times are
 * simulator clock ms, already scaled by the time scale.
 */
export interface ActivationSettings {
  /** How long an activation runs once it leaves the queue. */
  durationMs: number;
  /** Another admin's edit holds the activation queue until then: activations wait ADM_ACTV_QUEUED. */
  queueHeldUntil?: number;
  /** This many next activations end ADM_ACTV_FAIL (and apply nothing). */
  failNext: number;
}
