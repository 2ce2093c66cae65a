import { ZpaApiError } from '../errors.ts';
import type { SimulatorState } from '../state/store.ts';

/**
 * Field rules of the App Connector group and PCC group tables. Each failure answers 400
 * `{id, reason, params}` with one id per rule (documented in simulator/README.md).
 */

export const UPGRADE_DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];
const DNS_QUERY_TYPES = ['IPV4_IPV6', 'IPV4', 'IPV6'];

export interface GroupFields {
  name: string;
  description?: string;
  enabled: boolean;
  latitude: string;
  longitude: string;
  location: string;
  upgradeDay: string;
  upgradeTimeInSecs: string;
  overrideVersionProfile: boolean;
  versionProfileId?: string;
  dnsQueryType: string;
  tcpQuickAckApp: boolean;
  tcpQuickAckAssistant: boolean;
  tcpQuickAckReadAssistant: boolean;
  useInDrMode: boolean;
  wafDisabled: boolean;
  countryCode?: string;
  siteId?: string;
  siteName?: string;
}

const fail = (id: string, reason: string, params: string[]) => new ZpaApiError(400, id, reason, params);

/** Reads a JSON object body or answers 400 `invalid.request.body`. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw fail('invalid.request.body', 'request body must be a JSON object', []);
  }
  return body as Record<string, unknown>;
}

function bool(o: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const v = o[key];
  if (v === undefined || v === null) return fallback;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw fail('invalid.boolean.value', `${key} must be true or false`, [key, String(v)]);
}

function text(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  throw fail('invalid.request.body', `${key} must be a string`, [key]);
}

function required(o: Record<string, unknown>, key: string): string {
  const v = text(o, key);
  if (v === undefined || v.trim() === '') throw fail('required.field.missing', `${key} is required`, [key]);
  return v;
}

function coordinate(o: Record<string, unknown>, key: 'latitude' | 'longitude', limit: number): string {
  const raw = required(o, key);
  const n = Number(raw);
  if (!/^-?\d+(\.\d+)?$/.test(raw.trim()) || Number.isNaN(n) || n < -limit || n > limit) {
    throw fail(`invalid.${key}`, `${key} must be a number between -${limit} and ${limit}`, [key, raw]);
  }
  return raw.trim();
}

/**
 * Validates an App Connector group (`kind: 'appConnectorGroup'`) or PCC group (`'pccGroup'`)
 * payload, filling the documented defaults (upgradeDay SUNDAY resp. MONDAY, 66600 s).
 */
export function validateGroup(
  state: SimulatorState,
  body: unknown,
  kind: 'appConnectorGroup' | 'pccGroup',
): GroupFields {
  const o = objectBody(body);
  const name = required(o, 'name').trim();
  const location = required(o, 'location');
  const latitude = coordinate(o, 'latitude', 90);
  const longitude = coordinate(o, 'longitude', 180);

  const upgradeDay = (text(o, 'upgradeDay') ?? (kind === 'pccGroup' ? 'MONDAY' : 'SUNDAY')).toUpperCase();
  if (!UPGRADE_DAYS.includes(upgradeDay)) {
    throw fail('invalid.upgrade.day', 'upgradeDay must be a day of the week', ['upgradeDay', upgradeDay]);
  }
  const upgradeTimeInSecs = text(o, 'upgradeTimeInSecs') ?? '66600';
  const secs = Number(upgradeTimeInSecs);
  if (!/^\d+$/.test(upgradeTimeInSecs) || secs >= 86_400 || secs % 900 !== 0) {
    throw fail(
      'invalid.upgrade.time',
      'upgradeTimeInSecs must be in 0..86399 and a multiple of 900 (15 minutes)',
      ['upgradeTimeInSecs', upgradeTimeInSecs],
    );
  }

  const tcpQuickAckApp = bool(o, 'tcpQuickAckApp', false);
  const tcpQuickAckAssistant = bool(o, 'tcpQuickAckAssistant', false);
  const tcpQuickAckReadAssistant = bool(o, 'tcpQuickAckReadAssistant', false);
  if (tcpQuickAckApp !== tcpQuickAckAssistant || tcpQuickAckApp !== tcpQuickAckReadAssistant) {
    throw fail(
      'invalid.tcp.quick.ack',
      'tcpQuickAckApp, tcpQuickAckAssistant and tcpQuickAckReadAssistant must all share the same value',
      ['tcpQuickAckApp', 'tcpQuickAckAssistant', 'tcpQuickAckReadAssistant'],
    );
  }

  const overrideVersionProfile = bool(o, 'overrideVersionProfile', false);
  let versionProfileId = text(o, 'versionProfileId');
  if (versionProfileId === '') versionProfileId = undefined;
  if (overrideVersionProfile && versionProfileId === undefined) {
    throw fail(
      'version.profile.required',
      'versionProfileId is required when overrideVersionProfile is true',
      ['versionProfileId'],
    );
  }
  if (versionProfileId !== undefined && !state.versionProfiles.has(versionProfileId)) {
    throw fail('invalid.version.profile', `no version profile ${versionProfileId}`, [
      'versionProfileId',
      versionProfileId,
    ]);
  }

  const dnsQueryType = text(o, 'dnsQueryType') ?? 'IPV4_IPV6';
  if (!DNS_QUERY_TYPES.includes(dnsQueryType)) {
    throw fail('invalid.dns.query.type', 'dnsQueryType must be IPV4_IPV6, IPV4 or IPV6', [
      'dnsQueryType',
      dnsQueryType,
    ]);
  }

  let countryCode = text(o, 'countryCode');
  if (kind === 'pccGroup') {
    countryCode = required(o, 'countryCode');
    if (!/^[A-Za-z]{2}$/.test(countryCode)) {
      throw fail('invalid.country.code', 'countryCode must be a two-letter ISO code', [
        'countryCode',
        countryCode,
      ]);
    }
    countryCode = countryCode.toUpperCase();
  }

  return {
    name,
    description: text(o, 'description'),
    enabled: bool(o, 'enabled', true),
    latitude,
    longitude,
    location,
    upgradeDay,
    upgradeTimeInSecs: String(secs),
    overrideVersionProfile,
    versionProfileId,
    dnsQueryType,
    tcpQuickAckApp,
    tcpQuickAckAssistant,
    tcpQuickAckReadAssistant,
    useInDrMode: bool(o, 'useInDrMode', false),
    wafDisabled: bool(o, 'wafDisabled', false),
    countryCode,
    siteId: text(o, 'siteId') || undefined,
    siteName: text(o, 'siteName') || undefined,
  };
}

/** Validates a ZPA id in a path: digits only. */
export function zpaId(raw: string | undefined, name = 'id'): string {
  if (raw === undefined || !/^\d{1,20}$/.test(raw))
    throw fail('invalid.id', `${name} must be a numeric id`, [name]);
  return raw;
}

/**
 * Reads `microtenantId` from the query: undefined when absent, else a known microtenant
 * (`0` is Default) or 400 `invalid.microtenant.id`.
 */
export function microtenantParam(state: SimulatorState, query: Map<string, string>): string | undefined {
  const raw = query.get('microtenantId');
  if (raw === undefined || raw === '' || raw === 'null') return undefined;
  if (!state.microtenants.has(raw)) {
    throw fail('invalid.microtenant.id', `no microtenant ${raw}`, ['microtenantId', raw]);
  }
  return raw;
}

/** 400 or 404 `resource.not.found`, as each endpoint answers (see README). */
export function notFound(status: 400 | 404, what: string, id: string): ZpaApiError {
  return new ZpaApiError(status, 'resource.not.found', `${what} ${id} not found`, [id]);
}
