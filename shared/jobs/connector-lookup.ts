import type { ConnectorRef } from '../requests/request.ts';
import { NotFoundError } from '../zscaler/errors.ts';
import type { AppConnector } from '../zscaler/schemas/app-connector.ts';
import type { ZpaClient } from '../zscaler/zpa/client.ts';
import type { MicrotenantOption } from '../zscaler/zpa/context.ts';
import { SearchError } from '../zscaler/zpa/search.ts';
import type { PlannedCall } from './job.ts';

/** What a lookup found: the connector, nothing (already gone), or a reason it cannot decide. */
export type ConnectorLookup =
  | { found: AppConnector; calls: PlannedCall[] }
  | { found: undefined; calls: PlannedCall[] }
  | { refused: string; calls: PlannedCall[] };

const read = (path: string, operation: string): PlannedCall => ({
  api: 'zpa',
  method: 'GET',
  path,
  operation,
  write: false,
});

/**
 * Finds the App Connector a request names: by id (`GET connector/{id}`), by exact name (a
 * `name EQ` search, filtered to exact matches), or by private IP within a group (every page of
 * connectors, filtered; ZPA has no search on privateIp). A `groupId` restricts the match.
 *
 * @example
 * const r = await findConnector(zpa, { by: 'name', name: 'edge-01' });
 */
export async function findConnector(
  zpa: ZpaClient,
  ref: ConnectorRef,
  opts: MicrotenantOption = {},
): Promise<ConnectorLookup> {
  if (ref.by === 'id') {
    const calls = [read(`/connector/${ref.id}`, 'appConnector.get')];
    try {
      const c = await zpa.appConnectors.get(ref.id, opts);
      if (ref.groupId !== undefined && c.appConnectorGroupId !== ref.groupId) {
        return {
          refused: `connector ${ref.id} belongs to group ${c.appConnectorGroupId ?? '(none)'}, not ${ref.groupId}`,
          calls,
        };
      }
      return { found: c, calls };
    } catch (err) {
      if (err instanceof NotFoundError) return { found: undefined, calls };
      throw err;
    }
  }
  if (ref.by === 'name') {
    let matches: AppConnector[];
    let calls: PlannedCall[];
    try {
      calls = [read(`/connector?search=name EQ ${ref.name}`, 'appConnector.search')];
      matches = await collect(zpa.appConnectors.search([{ field: 'name', op: 'EQ', value: ref.name }], opts));
    } catch (err) {
      // A name the search syntax cannot carry (e.g. containing " and "): read every page instead.
      if (!(err instanceof SearchError)) throw err;
      calls = [read('/connector', 'appConnector.list')];
      matches = await collect(zpa.appConnectors.list(opts));
    }
    matches = matches.filter(
      (c) => c.name === ref.name && (ref.groupId === undefined || c.appConnectorGroupId === ref.groupId),
    );
    if (matches.length > 1) {
      return {
        refused: `${matches.length} connectors are named "${ref.name}" (${matches.map((c) => c.id).join(', ')}); give the id`,
        calls,
      };
    }
    return { found: matches[0], calls };
  }
  const calls = [read('/connector', 'appConnector.list')];
  const matches: AppConnector[] = [];
  for await (const c of zpa.appConnectors.list(opts)) {
    if (c.privateIp === ref.privateIp && c.appConnectorGroupId === ref.groupId) matches.push(c);
  }
  if (matches.length > 1) {
    return {
      refused: `${matches.length} connectors in group ${ref.groupId} have private IP ${ref.privateIp} (${matches.map((c) => c.id).join(', ')}); give the id`,
      calls,
    };
  }
  return { found: matches[0], calls };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
