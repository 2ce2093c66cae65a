import type { AppConnector } from '../zscaler/schemas/app-connector.ts';

/** What a deletion knows of its connector before looking it up (the first field given decides). */
export interface ConnectorTarget extends Record<string, unknown> {
  connectorId?: string;
  privateIp?: string;
  name?: string;
  /** Restricts the match (required with `privateIp`). */
  groupId?: string;
}

/** The fields of a found connector a deletion decides on (kept small: it is stored in a control item). */
export type ConnectorFacts = Pick<
  AppConnector,
  'id' | 'name' | 'appConnectorGroupId' | 'privateIp' | 'controlChannelStatus'
>;

/** What a listing says about one target. */
export type MatchAnswer = { found: ConnectorFacts } | { none: true } | { refused: string };

/** Only the fields a deletion decides on. */
export function factsOf(c: AppConnector): ConnectorFacts {
  return {
    id: c.id,
    name: c.name,
    ...(c.appConnectorGroupId ? { appConnectorGroupId: c.appConnectorGroupId } : {}),
    ...(c.privateIp ? { privateIp: c.privateIp } : {}),
    ...(c.controlChannelStatus ? { controlChannelStatus: c.controlChannelStatus } : {}),
  };
}

/** The address a connector reports: its own field, else the one of its last reported version. */
function addressOf(c: AppConnector): string | undefined {
  const reported = (c.assistantVersion as { privateIp?: unknown } | undefined)?.privateIp;
  return c.privateIp ?? (typeof reported === 'string' ? reported : undefined);
}

/**
 * Finds a target in a full listing of the tenant's connectors, by the rules of the one-by-one
 * lookups (`findConnector`, `findTeardownConnector`): by id (refused when it sits in another group
 * than the one named), by private IP within the group, or by exact name; two candidates refuse.
 *
 * @example
 * matchTarget(listing, { privateIp: '10.0.1.23', groupId: '7205…' }); // { found: {...} }
 */
export function matchTarget(listing: readonly AppConnector[], target: ConnectorTarget): MatchAnswer {
  const { groupId } = target;
  if (target.connectorId !== undefined) {
    const c = listing.find((x) => x.id === target.connectorId);
    if (!c) return { none: true };
    if (groupId !== undefined && c.appConnectorGroupId !== undefined && c.appConnectorGroupId !== groupId) {
      return { refused: `connector ${c.id} belongs to group ${c.appConnectorGroupId}, not ${groupId}` };
    }
    return { found: factsOf(c) };
  }
  let matches: AppConnector[];
  let what: string;
  if (target.privateIp !== undefined) {
    matches = listing.filter((c) => c.appConnectorGroupId === groupId && addressOf(c) === target.privateIp);
    what = `connectors in group ${groupId} have private IP ${target.privateIp}`;
  } else if (target.name !== undefined) {
    matches = listing.filter(
      (c) => c.name === target.name && (groupId === undefined || c.appConnectorGroupId === groupId),
    );
    what = `connectors are named "${target.name}"`;
  } else {
    return { refused: 'the deletion names no connector id, private IP or name' };
  }
  if (matches.length > 1) {
    return { refused: `${matches.length} ${what} (${matches.map((c) => c.id).join(', ')}); give the id` };
  }
  const [c] = matches;
  return c ? { found: factsOf(c) } : { none: true };
}
