import { formatDuration } from './duration.ts';
import type {
  AppConnectorGroupRecord,
  ConnectorRecord,
  EcGroupRecord,
  EcVmRecord,
  PccGroupRecord,
  VersionProfileRecord,
} from './model.ts';
import { DEFAULT_MICROTENANT } from './model.ts';
import type { SimulatorState } from './store.ts';

/** Turns records into the exact wire shapes of the docs: ids, counts and epoch times as strings. */

const str = (n: number | undefined) => (n === undefined ? undefined : String(n));

/**
 * Drops undefined values so absent fields are absent on the wire. Fields the real API sends as
 * `null` when unset (descriptions, a never-connected connector's addresses, a PCC group's site) are
 * given `?? null` by the renderers, so clients meet both forms.
 */
function compact<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

function microtenantFields(state: SimulatorState, microtenantId: string, always: boolean) {
  if (microtenantId === DEFAULT_MICROTENANT) {
    return always ? { microtenantName: 'Default' } : {};
  }
  return { microtenantId, microtenantName: state.microtenants.get(microtenantId) ?? 'Unknown' };
}

/** An App Connector as `GET …/connector` answers it; durations computed from the simulator clock. */
export function renderConnector(
  state: SimulatorState,
  c: ConnectorRecord,
  options: { withMicrotenantName?: boolean } = {},
): Record<string, unknown> {
  const now = state.nowSeconds();
  const group = state.appConnectorGroups.get(c.groupId);
  return compact({
    id: c.id,
    modifiedTime: str(c.modifiedTime),
    creationTime: str(c.creationTime),
    modifiedBy: c.modifiedBy,
    name: c.name,
    description: c.description ?? null,
    enabled: c.enabled,
    expectedVersion: c.expectedVersion,
    currentVersion: c.currentVersion,
    previousVersion: c.previousVersion,
    controlChannelStatus: c.controlChannelStatus,
    ...c.extra,
    lastBrokerConnectTime: str(c.lastBrokerConnectTime),
    lastBrokerConnectTimeDuration:
      c.lastBrokerConnectTime === undefined ? undefined : formatDuration(now - c.lastBrokerConnectTime),
    lastBrokerDisconnectTime: str(c.lastBrokerDisconnectTime),
    lastBrokerDisconnectTimeDuration:
      c.lastBrokerDisconnectTime === undefined ? undefined : formatDuration(now - c.lastBrokerDisconnectTime),
    privateIp: c.privateIp ?? null,
    publicIp: c.publicIp ?? null,
    ...microtenantFields(state, c.microtenantId, options.withMicrotenantName ?? false),
    provisioningKeyId: c.provisioningKeyId,
    provisioningKeyName: c.provisioningKeyName,
    appConnectorGroupId: c.groupId,
    appConnectorGroupName: group?.name,
  });
}

/** The short connector object groups embed, with `assistantVersion` once it has ever connected. */
function renderEmbeddedConnector(c: ConnectorRecord): Record<string, unknown> {
  const micros = (t: number | undefined) => (t === undefined ? undefined : `${t}000000`);
  const version =
    c.controlChannelStatus === undefined
      ? undefined
      : compact({
          id: c.id,
          modifiedTime: str(c.modifiedTime),
          creationTime: str(c.creationTime),
          modifiedBy: c.modifiedBy,
          expectedVersion: c.expectedVersion,
          currentVersion: c.currentVersion,
          lastBrokerConnectTime: micros(c.lastBrokerConnectTime),
          lastBrokerDisconnectTime: micros(c.lastBrokerDisconnectTime),
          platform: c.extra.platform,
          upgradeStatus: c.extra.upgradeStatus,
          ctrlChannelStatus: c.controlChannelStatus,
          privateIp: c.privateIp,
          publicIp: c.publicIp,
          previousVersion: c.previousVersion,
          upgradeAttempt: '0',
          platformDetail: c.extra.platformDetail,
          appConnectorGroupId: c.groupId,
        });
  return compact({
    id: c.id,
    modifiedTime: str(c.modifiedTime),
    creationTime: str(c.creationTime),
    modifiedBy: c.modifiedBy,
    name: c.name,
    fingerprint: c.extra.fingerprint,
    issuedCertId: c.extra.issuedCertId,
    enabled: c.enabled,
    assistantVersion: version,
    upgradeAttempt: '0',
    provisioningKeyId: c.provisioningKeyId,
  });
}

/** An App Connector group, embedding its connectors (omitted when it has none). */
export function renderAppConnectorGroup(
  state: SimulatorState,
  g: AppConnectorGroupRecord,
  options: { withConnectors?: boolean; withMicrotenantName?: boolean } = {},
): Record<string, unknown> {
  const profile = state.versionProfiles.get(g.versionProfileId);
  const connectors = options.withConnectors === false ? [] : state.connectorsInGroup(g.id);
  return compact({
    id: g.id,
    modifiedTime: str(g.modifiedTime),
    creationTime: str(g.creationTime),
    modifiedBy: g.modifiedBy,
    name: g.name,
    description: g.description ?? null,
    enabled: g.enabled,
    versionProfileId: g.versionProfileId,
    overrideVersionProfile: g.overrideVersionProfile,
    versionProfileName: profile?.name,
    versionProfileVisibilityScope: profile?.visibilityScope,
    upgradeTimeInSecs: g.upgradeTimeInSecs,
    upgradeDay: g.upgradeDay,
    location: g.location,
    latitude: g.latitude,
    longitude: g.longitude,
    dnsQueryType: g.dnsQueryType,
    cityCountry: g.cityCountry,
    countryCode: g.countryCode,
    tcpQuickAckApp: g.tcpQuickAckApp,
    tcpQuickAckAssistant: g.tcpQuickAckAssistant,
    tcpQuickAckReadAssistant: g.tcpQuickAckReadAssistant,
    useInDrMode: g.useInDrMode,
    wafDisabled: g.wafDisabled,
    ...g.extra,
    ...microtenantFields(state, g.microtenantId, options.withMicrotenantName ?? false),
    connectors: connectors.length > 0 ? connectors.map(renderEmbeddedConnector) : undefined,
  });
}

/**
 * The 201 answer of `POST …/appConnectorGroup` as the docs' example shows it: the fields as stored,
 * **without `id`** (nor times or connectors). A client finds the new group by name.
 */
export function renderAppConnectorGroupCreated(g: AppConnectorGroupRecord): Record<string, unknown> {
  return compact({
    enabled: g.enabled,
    location: g.location,
    dnsQueryType: g.dnsQueryType,
    overrideVersionProfile: g.overrideVersionProfile,
    name: g.name,
    description: g.description,
    upgradeDay: g.upgradeDay,
    upgradeTimeInSecs: g.upgradeTimeInSecs,
    latitude: g.latitude,
    longitude: g.longitude,
    versionProfileId: g.versionProfileId,
  });
}

/** A Private Cloud Controller group; `view` picks the list shape (scopeName) or the get shape. */
export function renderPccGroup(
  state: SimulatorState,
  g: PccGroupRecord,
  view: 'list' | 'get',
): Record<string, unknown> {
  const profile =
    g.versionProfileId === undefined ? undefined : state.versionProfiles.get(g.versionProfileId);
  const mtName = state.microtenants.get(g.microtenantId) ?? 'Unknown';
  const scope =
    view === 'list'
      ? g.microtenantId === DEFAULT_MICROTENANT
        ? { scopeName: mtName }
        : { scopeId: g.microtenantId, scopeName: mtName }
      : g.microtenantId === DEFAULT_MICROTENANT
        ? { microtenantName: mtName }
        : { microtenantId: g.microtenantId, microtenantName: mtName };
  return compact({
    modifiedTime: str(g.modifiedTime),
    creationTime: str(g.creationTime),
    modifiedBy: g.modifiedBy,
    id: g.id,
    ...scope,
    enabled: g.enabled,
    description: g.description ?? null,
    versionProfileId: g.versionProfileId,
    overrideVersionProfile: g.overrideVersionProfile,
    siteId: g.siteId ?? null,
    versionProfileName: profile?.name,
    upgradePriority: profile?.upgradePriority,
    versionProfileVisibilityScope: profile?.visibilityScope,
    upgradeTimeInSecs: g.upgradeTimeInSecs,
    upgradeDay: g.upgradeDay,
    siteName: g.siteName ?? null,
    isPublic: 'FALSE',
    location: g.location,
    siteControllers: view === 'list' && g.siteControllers.length > 0 ? g.siteControllers : undefined,
    latitude: g.latitude,
    longitude: g.longitude,
    cityCountry: g.cityCountry,
    countryCode: g.countryCode,
    name: g.name,
    readOnly: false,
    restrictedEntity: false,
    zscalerManaged: false,
    ...g.extra,
  });
}

export function renderVersionProfile(p: VersionProfileRecord): Record<string, unknown> {
  return {
    id: p.id,
    name: p.name,
    upgradePriority: p.upgradePriority,
    visibilityScope: p.visibilityScope,
    ...p.extra,
    versions: p.versions,
  };
}

/** An empty value as the real API sends it: `null`, not absent. */
const orNull = <T>(v: T | undefined | ''): T | null => (v === undefined || v === '' ? null : v);

/**
 * A VM as `/ecgroup`, `/ecgroup/{id}/vm/{vmid}` and `/ecVm/uuid/{id}` answer it: no instance id
 * (the official SDK models have none; the simulator keeps it only to serve `/ecVm/uuid`), and `null`
 * for what is not set.
 */
export function renderEcVm(vm: EcVmRecord): Record<string, unknown> {
  const { vmInstanceId: _hidden, ...extra } = vm.extra;
  return {
    id: vm.id,
    name: vm.name,
    status: vm.status,
    operationalStatus: vm.operationalStatus,
    formFactor: vm.formFactor,
    ...extra,
    managementNw: vm.managementNw,
    ecInstances: vm.ecInstances.length > 0 ? vm.ecInstances : null,
    natIp: orNull(vm.natIp),
    buildVersion: orNull(vm.buildVersion),
    upgradeStatus: vm.upgradeStatus,
  };
}

export function renderEcGroup(g: EcGroupRecord): Record<string, unknown> {
  return {
    id: g.id,
    name: g.name,
    desc: orNull(g.desc),
    deployType: g.deployType,
    status: g.status,
    platform: g.platform,
    ...g.extra,
    location: g.location,
    maxEcCount: g.maxEcCount,
    tunnelMode: g.tunnelMode,
    ecVMs: g.vms.length > 0 ? g.vms.map(renderEcVm) : null,
  };
}
