import { NotFoundError } from '../../zscaler/errors.ts';
import type { AppConnector } from '../../zscaler/schemas/app-connector.ts';
import type { ZpaClient } from '../../zscaler/zpa/client.ts';
import type { MicrotenantOption } from '../../zscaler/zpa/context.ts';
import { findConnector } from '../connector-lookup.ts';
import type { PlannedCall } from '../job.ts';

/** What identifies the terminating instance's connector. */
export interface TeardownTarget {
  /** Known from a previous run. */
  connectorId?: string | undefined;
  privateIp?: string | undefined;
  connectorName?: string | undefined;
  /** The App Connector group the autoscaling source is bound to. */
  groupId: string;
}

export type TeardownLookup =
  | { connector: AppConnector | undefined; calls: PlannedCall[] }
  | { refused: string; calls: PlannedCall[] };

const read = (path: string, operation: string): PlannedCall => ({
  api: 'zpa',
  method: 'GET',
  path,
  operation,
  write: false,
});

/**
 * Finds the connector of a terminating instance within its bound group. By id once known; by
 * private IP through the group's own answer (`GET appConnectorGroup/{id}` embeds each connector's
 * last reported `privateIp`), one call instead of reading every connector page, falling back to the
 * full scan only when the group does not show it; or by exact name.
 *
 * @example
 * const r = await findTeardownConnector(zpa, { privateIp: '10.0.1.23', groupId: '216196257331291896' });
 */
export async function findTeardownConnector(
  zpa: ZpaClient,
  target: TeardownTarget,
  mt: MicrotenantOption = {},
): Promise<TeardownLookup> {
  const { groupId } = target;
  if (target.connectorId) {
    const calls = [read(`/connector/${target.connectorId}`, 'appConnector.get')];
    try {
      const c = await zpa.appConnectors.get(target.connectorId, mt);
      if (c.appConnectorGroupId !== undefined && c.appConnectorGroupId !== groupId) {
        return { refused: `connector ${c.id} is no longer in group ${groupId}`, calls };
      }
      return { connector: c, calls };
    } catch (error) {
      if (error instanceof NotFoundError) return { connector: undefined, calls };
      throw error;
    }
  }
  if (target.privateIp) {
    const calls = [read(`/appConnectorGroup/${groupId}`, 'appConnectorGroup.get')];
    let group: Awaited<ReturnType<ZpaClient['appConnectorGroups']['get']>>;
    try {
      group = await zpa.appConnectorGroups.get(groupId, mt);
    } catch (error) {
      if (error instanceof NotFoundError)
        return { refused: `App Connector group ${groupId} does not exist`, calls };
      throw error;
    }
    const ids = (group.connectors ?? [])
      .filter(
        (c) => (c.assistantVersion as { privateIp?: unknown } | undefined)?.privateIp === target.privateIp,
      )
      .map((c) => c.id);
    if (ids.length > 1) {
      return {
        refused: `${ids.length} connectors of group ${groupId} report private IP ${target.privateIp} (${ids.join(', ')})`,
        calls,
      };
    }
    if (ids.length === 1) {
      const again = await findTeardownConnector(zpa, { connectorId: ids[0], groupId }, mt);
      return { ...again, calls: [...calls, ...again.calls] };
    }
    // A connector that never reported a version carries no address in the group: scan.
    const scan = await findConnector(zpa, { by: 'privateIp', privateIp: target.privateIp, groupId }, mt);
    if ('refused' in scan) return { refused: scan.refused, calls: [...calls, ...scan.calls] };
    return { connector: scan.found, calls: [...calls, ...scan.calls] };
  }
  if (target.connectorName) {
    const r = await findConnector(zpa, { by: 'name', name: target.connectorName, groupId }, mt);
    if ('refused' in r) return { refused: r.refused, calls: r.calls };
    return { connector: r.found, calls: r.calls };
  }
  return { refused: 'the teardown gives no private IP (event or EC2) and no connector name', calls: [] };
}
