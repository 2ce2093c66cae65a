import {
  type AppConnector,
  AppConnectorBulkDeleteBodySchema,
  AppConnectorSchema,
  AppConnectorUpdateBodySchema,
  type AppConnectorUpdateInput,
} from '../schemas/app-connector.ts';
import { parseBody } from './body.ts';
import { type MicrotenantOption, microtenantQuery, pathId, type ZpaContext } from './context.ts';
import { pagedItems, pagedList, type ZpaListOptions } from './list-support.ts';
import type { NumberedPage } from './paging.ts';
import type { SearchInput } from './search.ts';

/**
 * ZPA App Connectors (docs 001): get, list, search, update, delete, bulk delete.
 *
 * @example
 * for await (const c of zpa.appConnectors.search([{ field: 'controlChannelStatus', op: 'EQ', value: 'ZPN_STATUS_DISCONNECTED' }])) {
 *   console.log(c.id, c.name);
 * }
 */
export class AppConnectorsApi {
  readonly #ctx: ZpaContext;

  constructor(ctx: ZpaContext) {
    this.#ctx = ctx;
  }

  /** `GET .../connector/{id}`. NotFoundError when it does not exist. */
  async get(connectorId: string, opts?: MicrotenantOption): Promise<AppConnector> {
    return this.#ctx.api.request({
      operation: 'appConnector.get',
      method: 'GET',
      path: `/connector/${pathId(connectorId, 'connectorId')}`,
      query: microtenantQuery(this.#ctx, opts),
      schema: AppConnectorSchema,
      rateClass: 'read',
      retry: 'always',
    });
  }

  /** Every connector (optionally filtered by `opts.search`), across all pages. */
  list(opts?: ZpaListOptions): AsyncGenerator<AppConnector, void, undefined> {
    return pagedItems(this.#ctx, 'appConnector.list', '/connector', AppConnectorSchema, opts);
  }

  /** The pages of `list`, with `totalPages`/`totalCount` as numbers. */
  listPages(opts?: ZpaListOptions): AsyncGenerator<NumberedPage<AppConnector>, void, undefined> {
    return pagedList(this.#ctx, 'appConnector.list', '/connector', AppConnectorSchema, opts);
  }

  /** Connectors matching `search`, across all pages. */
  search(
    search: SearchInput,
    opts?: Omit<ZpaListOptions, 'search'>,
  ): AsyncGenerator<AppConnector, void, undefined> {
    return pagedItems(this.#ctx, 'appConnector.search', '/connector', AppConnectorSchema, {
      ...opts,
      search,
    });
  }

  /** `PUT .../connector/{id}` with name/description/enabled; answers 204. */
  async update(connectorId: string, body: AppConnectorUpdateInput, opts?: MicrotenantOption): Promise<void> {
    const json = parseBody(AppConnectorUpdateBodySchema, body, 'App Connector update');
    await this.#ctx.api.request({
      operation: 'appConnector.update',
      method: 'PUT',
      path: `/connector/${pathId(connectorId, 'connectorId')}`,
      query: microtenantQuery(this.#ctx, { microtenantId: opts?.microtenantId ?? json.microtenantId }),
      json,
      rateClass: 'write',
      retry: 'always',
    });
  }

  /** `DELETE .../connector/{id}`; answers 204. NotFoundError means it is already gone. */
  async delete(connectorId: string, opts?: MicrotenantOption): Promise<void> {
    await this.#ctx.api.request({
      operation: 'appConnector.delete',
      method: 'DELETE',
      path: `/connector/${pathId(connectorId, 'connectorId')}`,
      query: microtenantQuery(this.#ctx, opts),
      rateClass: 'write',
      retry: 'always',
    });
  }

  /**
   * `POST .../connector/bulkDelete {"ids":[…]}`; answers 200. At most 100 ids per call: chunk larger
   * lists. Retried only on 429/409 (the server did not act); an ambiguous failure is surfaced.
   */
  async bulkDelete(connectorIds: readonly (string | number)[], opts?: MicrotenantOption): Promise<void> {
    const json = parseBody(AppConnectorBulkDeleteBodySchema, { ids: [...connectorIds] }, 'bulk delete');
    await this.#ctx.api.request({
      operation: 'appConnector.bulkDelete',
      method: 'POST',
      path: '/connector/bulkDelete',
      query: microtenantQuery(this.#ctx, opts),
      json,
      rateClass: 'write',
      retry: 'not-acted',
    });
  }
}
