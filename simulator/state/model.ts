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
  /** How many activations ran (any cause). */
  activations: number;
}
