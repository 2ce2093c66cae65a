import { type CloudConnectorGroup, CloudConnectorGroupSchema } from '../schemas/cloud-connector-group.ts';
import { type MicrotenantOption, microtenantQuery, pathId, type ZpaContext } from './context.ts';
import { pagedItems, pagedList, type ZpaListOptions } from './list-support.ts';
import type { NumberedPage } from './paging.ts';

const PATH = '/cloudConnectorGroup';

/**
 * ZPA Cloud Connector groups (docs 000): list and get.
 *
 * @example
 * for await (const g of zpa.cloudConnectorGroups.list()) console.log(g.name, g.cloudConnectors?.length ?? 0);
 */
export class CloudConnectorGroupsApi {
  readonly #ctx: ZpaContext;

  constructor(ctx: ZpaContext) {
    this.#ctx = ctx;
  }

  list(opts?: ZpaListOptions): AsyncGenerator<CloudConnectorGroup, void, undefined> {
    return pagedItems(this.#ctx, 'cloudConnectorGroup.list', PATH, CloudConnectorGroupSchema, opts);
  }

  listPages(opts?: ZpaListOptions): AsyncGenerator<NumberedPage<CloudConnectorGroup>, void, undefined> {
    return pagedList(this.#ctx, 'cloudConnectorGroup.list', PATH, CloudConnectorGroupSchema, opts);
  }

  async get(groupId: string, opts?: MicrotenantOption): Promise<CloudConnectorGroup> {
    return this.#ctx.api.request({
      operation: 'cloudConnectorGroup.get',
      method: 'GET',
      path: `${PATH}/${pathId(groupId, 'cloudConnectorGroupId')}`,
      query: microtenantQuery(this.#ctx, opts),
      schema: CloudConnectorGroupSchema,
      rateClass: 'read',
      retry: 'always',
    });
  }
}
