import {
  type PccGroup,
  PccGroupCreateBodySchema,
  type PccGroupCreateInput,
  PccGroupSchema,
  type PccGroupSummary,
  PccGroupSummarySchema,
  PccGroupUpdateBodySchema,
  type PccGroupUpdateInput,
} from '../schemas/pcc-group.ts';
import { parseBody } from './body.ts';
import { type MicrotenantOption, microtenantQuery, pathId, type ZpaContext } from './context.ts';
import { findByName } from './find-by-name.ts';
import { pagedItems, pagedList, type ZpaListOptions } from './list-support.ts';
import type { NumberedPage } from './paging.ts';

const PATH = '/privateCloudControllerGroup';

/**
 * ZPA Private Cloud Controller groups (docs 003): create, list, summary, get, update, delete; all
 * take `microtenantId`.
 *
 * @example
 * const pcc = await zpa.pccGroups.create(
 *   { name: 'dc-1', countryCode: 'DE', latitude: 50.1, longitude: 8.68, location: 'Frankfurt' },
 *   { microtenantId: '0' },
 * );
 */
export class PccGroupsApi {
  readonly #ctx: ZpaContext;

  constructor(ctx: ZpaContext) {
    this.#ctx = ctx;
  }

  /** `POST .../privateCloudControllerGroup?microtenantId=` → 201. Never retried by the client. */
  async create(body: PccGroupCreateInput, opts?: MicrotenantOption): Promise<PccGroup> {
    const json = parseBody(PccGroupCreateBodySchema, body, 'Private Cloud Controller group');
    return this.#ctx.api.request({
      operation: 'pccGroup.create',
      method: 'POST',
      path: PATH,
      query: microtenantQuery(this.#ctx, opts),
      json,
      schema: PccGroupSchema,
      rateClass: 'write',
      retry: 'never',
    });
  }

  /**
   * The group named `name` (case-insensitive, as ZPA compares names), or undefined: a `name LIKE`
   * search, or every page when the name cannot travel in a search.
   */
  async findByName(name: string, opts?: MicrotenantOption): Promise<PccGroup | undefined> {
    return findByName(
      {
        search: (n) => this.list({ ...opts, search: [{ field: 'name', op: 'LIKE', value: n }] }),
        listAll: () => this.list(opts),
      },
      name,
    );
  }

  list(opts?: ZpaListOptions): AsyncGenerator<PccGroup, void, undefined> {
    return pagedItems(this.#ctx, 'pccGroup.list', PATH, PccGroupSchema, opts);
  }

  listPages(opts?: ZpaListOptions): AsyncGenerator<NumberedPage<PccGroup>, void, undefined> {
    return pagedList(this.#ctx, 'pccGroup.list', PATH, PccGroupSchema, opts);
  }

  /** `GET .../privateCloudControllerGroup/summary`: `{id, name, enabled}` of every group. */
  summary(opts?: Omit<ZpaListOptions, 'search'>): AsyncGenerator<PccGroupSummary, void, undefined> {
    return pagedItems(this.#ctx, 'pccGroup.summary', `${PATH}/summary`, PccGroupSummarySchema, opts);
  }

  async get(groupId: string, opts?: MicrotenantOption): Promise<PccGroup> {
    return this.#ctx.api.request({
      operation: 'pccGroup.get',
      method: 'GET',
      path: `${PATH}/${pathId(groupId, 'privateCloudControllerGroupId')}`,
      query: microtenantQuery(this.#ctx, opts),
      schema: PccGroupSchema,
      rateClass: 'read',
      retry: 'always',
    });
  }

  /** `PUT .../privateCloudControllerGroup/{id}?microtenantId=` with the complete group; answers 204. */
  async update(groupId: string, body: PccGroupUpdateInput, opts?: MicrotenantOption): Promise<void> {
    const id = pathId(groupId, 'privateCloudControllerGroupId');
    const json = parseBody(PccGroupUpdateBodySchema, body, 'Private Cloud Controller group');
    await this.#ctx.api.request({
      operation: 'pccGroup.update',
      method: 'PUT',
      path: `${PATH}/${id}`,
      query: microtenantQuery(this.#ctx, opts),
      json: { ...json, id },
      rateClass: 'write',
      retry: 'always',
    });
  }

  async delete(groupId: string, opts?: MicrotenantOption): Promise<void> {
    await this.#ctx.api.request({
      operation: 'pccGroup.delete',
      method: 'DELETE',
      path: `${PATH}/${pathId(groupId, 'privateCloudControllerGroupId')}`,
      query: microtenantQuery(this.#ctx, opts),
      rateClass: 'write',
      retry: 'always',
    });
  }
}
