import appConnectorGroups from '../fixtures/zpa-app-connector-groups.json' with { type: 'json' };
import cloudConnectorGroups from '../fixtures/zpa-cloud-connector-groups.json' with { type: 'json' };
import connectors from '../fixtures/zpa-connectors.json' with { type: 'json' };
import pccGroups from '../fixtures/zpa-pcc-groups.json' with { type: 'json' };
import versionProfiles from '../fixtures/zpa-version-profiles.json' with { type: 'json' };
import ecGroups from '../fixtures/ztw-ecgroups.json' with { type: 'json' };
import type { ControlChannelStatus, EcVmRecord } from '../state/model.ts';
import { DEFAULT_MICROTENANT } from '../state/model.ts';
import type { SimulatorState } from '../state/store.ts';

/**
 * The 'docs' seed: the example objects of the five Zscaler pages (copied into `fixtures/`, trailing
 * commas fixed), so clients meet exactly the shapes the docs show.
 */

/** The microtenant of the docs' `hgurram.ddil.pcc.grp` PCC group. */
export const DOCS_MICROTENANT = { id: '289397352052032197', name: 'firedrill_scope-1' };

type Doc = Record<string, unknown>;

const s = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
const epoch = (v: unknown) => (v === undefined ? undefined : Number(v));

/** Splits a docs object into the fields the simulator models and the rest (kept verbatim). */
function split(doc: Doc, known: readonly string[], dropped: readonly string[]): Doc {
  const extra: Doc = {};
  for (const [k, v] of Object.entries(doc)) if (!known.includes(k) && !dropped.includes(k)) extra[k] = v;
  return extra;
}

const CONNECTOR_KNOWN = [
  'id',
  'modifiedTime',
  'creationTime',
  'modifiedBy',
  'name',
  'description',
  'enabled',
  'expectedVersion',
  'currentVersion',
  'previousVersion',
  'controlChannelStatus',
  'lastBrokerConnectTime',
  'lastBrokerDisconnectTime',
  'privateIp',
  'publicIp',
  'provisioningKeyId',
  'provisioningKeyName',
  'appConnectorGroupId',
] as const;
const CONNECTOR_DERIVED = [
  'lastBrokerConnectTimeDuration',
  'lastBrokerDisconnectTimeDuration',
  'appConnectorGroupName',
  'microtenantName',
];

const GROUP_KNOWN = [
  'id',
  'modifiedTime',
  'creationTime',
  'modifiedBy',
  'name',
  'description',
  'enabled',
  'latitude',
  'longitude',
  'location',
  'upgradeDay',
  'upgradeTimeInSecs',
  'dnsQueryType',
  'overrideVersionProfile',
  'versionProfileId',
  'tcpQuickAckApp',
  'tcpQuickAckAssistant',
  'tcpQuickAckReadAssistant',
  'useInDrMode',
  'wafDisabled',
  'cityCountry',
  'countryCode',
] as const;
const GROUP_DERIVED = [
  'versionProfileName',
  'versionProfileVisibilityScope',
  'microtenantName',
  'connectors',
];

const PCC_KNOWN = [
  'id',
  'modifiedTime',
  'creationTime',
  'modifiedBy',
  'name',
  'description',
  'enabled',
  'latitude',
  'longitude',
  'location',
  'countryCode',
  'cityCountry',
  'upgradeDay',
  'upgradeTimeInSecs',
  'overrideVersionProfile',
  'versionProfileId',
  'siteId',
  'siteName',
  'siteControllers',
] as const;
const PCC_DERIVED = [
  'versionProfileName',
  'upgradePriority',
  'versionProfileVisibilityScope',
  'scopeName',
  'scopeId',
  'MicrotenantName',
  'microtenantName',
  'isPublic',
  'readOnly',
  'restrictedEntity',
  'zscalerManaged',
];

const VM_KNOWN = [
  'id',
  'name',
  'status',
  'operationalStatus',
  'formFactor',
  'managementNw',
  'ecInstances',
  'natIp',
  'buildVersion',
  'upgradeStatus',
  'vmInstanceId',
] as const;

/** The profiles every tenant has (Default, Previous Default, New Release). */
const BUILTIN_PROFILE_IDS = ['0', '1', '2'];

/**
 * Loads version profiles (group creation refers to them): the built-in three, or also the custom
 * ones the docs' groups use.
 */
export function loadVersionProfiles(state: SimulatorState, options: { builtinOnly?: boolean } = {}): void {
  for (const p of versionProfiles as Doc[]) {
    if (options.builtinOnly && !BUILTIN_PROFILE_IDS.includes(String(p.id))) continue;
    state.versionProfiles.set(String(p.id), {
      id: String(p.id),
      name: String(p.name),
      upgradePriority: String(p.upgradePriority),
      visibilityScope: String(p.visibilityScope),
      versions: p.versions as Doc[],
      extra: split(p, ['id', 'name', 'upgradePriority', 'visibilityScope', 'versions'], []),
    });
  }
}

/**
 * Fills `state` with the docs' examples: 7 App Connector groups, 8 connectors (including the
 * "*Do not Delete*" one, AUTHENTICATED and DISCONNECTED ones), 9 Cloud Connector groups, 3 PCC
 * groups (one in microtenant `firedrill_scope-1`), 5 version profiles and 2 ecgroups with 3 VMs.
 */
export function seedFromDocs(state: SimulatorState): void {
  state.microtenants.set(DOCS_MICROTENANT.id, DOCS_MICROTENANT.name);
  loadVersionProfiles(state);

  for (const g of appConnectorGroups as Doc[]) {
    state.addAppConnectorGroup({
      id: String(g.id),
      name: String(g.name),
      creationTime: Number(g.creationTime),
      modifiedTime: Number(g.modifiedTime),
      modifiedBy: String(g.modifiedBy),
      description: s(g.description),
      enabled: g.enabled !== false,
      latitude: String(g.latitude),
      longitude: String(g.longitude),
      location: String(g.location),
      upgradeDay: String(g.upgradeDay ?? 'SUNDAY'),
      upgradeTimeInSecs: String(g.upgradeTimeInSecs ?? '66600'),
      dnsQueryType: String(g.dnsQueryType ?? 'IPV4_IPV6'),
      overrideVersionProfile: g.overrideVersionProfile === true,
      versionProfileId: String(g.versionProfileId ?? '0'),
      tcpQuickAckApp: g.tcpQuickAckApp === true,
      tcpQuickAckAssistant: g.tcpQuickAckAssistant === true,
      tcpQuickAckReadAssistant: g.tcpQuickAckReadAssistant === true,
      cityCountry: s(g.cityCountry),
      countryCode: s(g.countryCode),
      extra: split(g, GROUP_KNOWN, GROUP_DERIVED),
    });
  }

  for (const c of connectors as Doc[]) {
    state.addConnector({
      id: String(c.id),
      groupId: String(c.appConnectorGroupId),
      name: String(c.name),
      description: s(c.description),
      creationTime: Number(c.creationTime),
      modifiedTime: Number(c.modifiedTime),
      modifiedBy: String(c.modifiedBy),
      enabled: c.enabled !== false,
      expectedVersion: s(c.expectedVersion),
      currentVersion: s(c.currentVersion),
      previousVersion: s(c.previousVersion),
      controlChannelStatus: c.controlChannelStatus as ControlChannelStatus | undefined,
      lastBrokerConnectTime: epoch(c.lastBrokerConnectTime),
      lastBrokerDisconnectTime: epoch(c.lastBrokerDisconnectTime),
      privateIp: s(c.privateIp),
      publicIp: s(c.publicIp),
      provisioningKeyId: String(c.provisioningKeyId ?? '0'),
      provisioningKeyName: String(c.provisioningKeyName ?? ''),
      microtenantId: DEFAULT_MICROTENANT,
      extra: split(c, CONNECTOR_KNOWN, CONNECTOR_DERIVED),
    });
  }

  for (const g of cloudConnectorGroups as Doc[]) {
    state.reserveZpaId(String(g.id));
    state.cloudConnectorGroups.set(String(g.id), {
      id: String(g.id),
      name: String(g.name),
      microtenantId: DEFAULT_MICROTENANT,
      body: g,
    });
  }

  for (const p of pccGroups as Doc[]) {
    state.addPccGroup({
      id: String(p.id),
      name: String(p.name),
      countryCode: String(p.countryCode),
      creationTime: Number(p.creationTime),
      modifiedTime: Number(p.modifiedTime),
      modifiedBy: String(p.modifiedBy),
      description: s(p.description),
      enabled: p.enabled !== false,
      microtenantId: s(p.scopeId) ?? DEFAULT_MICROTENANT,
      latitude: String(p.latitude),
      longitude: String(p.longitude),
      location: String(p.location),
      cityCountry: s(p.cityCountry),
      upgradeDay: String(p.upgradeDay ?? 'MONDAY'),
      upgradeTimeInSecs: String(p.upgradeTimeInSecs ?? '66600'),
      overrideVersionProfile: p.overrideVersionProfile === true,
      versionProfileId: s(p.versionProfileId),
      siteId: s(p.siteId),
      siteName: s(p.siteName),
      siteControllers: (p.siteControllers as Doc[] | undefined) ?? [],
      extra: split(p, PCC_KNOWN, PCC_DERIVED),
    });
  }

  for (const g of ecGroups as Doc[]) {
    const id = Number(g.id);
    state.reserveZtwId(id);
    const loc = g.location as { id: number; name: string };
    state.reserveZtwId(loc.id);
    state.ecGroups.set(id, {
      id,
      name: String(g.name),
      desc: String(g.desc ?? ''),
      deployType: String(g.deployType),
      status: g.status as string[],
      platform: String(g.platform),
      location: loc,
      maxEcCount: Number(g.maxEcCount),
      tunnelMode: String(g.tunnelMode),
      vms: [],
      extra: split(
        g,
        ['id', 'name', 'desc', 'deployType', 'status', 'platform', 'location', 'maxEcCount', 'tunnelMode'],
        ['ecVMs'],
      ),
    });
    for (const v of g.ecVMs as Doc[]) {
      const vm: Partial<EcVmRecord> = {
        id: Number(v.id),
        name: String(v.name),
        status: v.status as string[],
        operationalStatus: String(v.operationalStatus),
        formFactor: String(v.formFactor),
        managementNw: v.managementNw as Doc,
        ecInstances: v.ecInstances as Doc[],
        natIp: String(v.natIp),
        buildVersion: String(v.buildVersion),
        upgradeStatus: Number(v.upgradeStatus ?? 0),
        vmInstanceId: String(v.vmInstanceId),
        extra: split(v, VM_KNOWN, []),
      };
      state.addEcVm(id, vm);
    }
  }
}
