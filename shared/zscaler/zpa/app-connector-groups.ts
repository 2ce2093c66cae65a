import type * as z from 'zod';
import {
  type AppConnectorGroup,
  AppConnectorGroupCreateBodySchema,
  type AppConnectorGroupCreated,
  AppConnectorGroupCreatedSchema,
  type AppConnectorGroupCreateInput,
  type AppConnectorGroupListed,
  AppConnectorGroupListedSchema,
  AppConnectorGroupSchema,
  AppConnectorGroupUpdateBodySchema,
  type AppConnectorGroupUpdateInput,
} from '../schemas/app-connector-group.ts';
import { parseBody } from './body.ts';
import { type MicrotenantOption, microtenantQuery, pathId, type ZpaContext } from './context.ts';
import { findByName } from './find-by-name.ts';
import { pagedItems, pagedList, type ZpaListOptions } from './list-support.ts';
import type { NumberedPage } from './paging.ts';
import type { SearchInput } from './search.ts';

const PATH = '/appConnectorGroup';

/**
 * ZPA App Connector groups (docs 002): create, list, search, get, update, delete.
 *
 * @example
 * const group = await zpa.appConnectorGroups.create({
 *   name: 'AWS eu-west-1', latitude: 53.35, longitude: -6.26, location: 'Dublin, Ireland',
 * });
 */
export class AppConnectorGroupsApi {
  readonly #ctx: ZpaContext;

  constructor(ctx: ZpaContext) {
    this.#ctx = ctx;
  }

  /**
   * `POST .../appConnectorGroup` → 201 with the group. The body is validated first (field-table
   * rules, defaults, `enabled: true` sent explicitly). The docs' example answer carries no `id`:
   * then the new group is looked up by name and its id added; `id` stays absent only when that
   * lookup does not find it yet (the group exists: the caller must not create it again). Never
   * retried by the client: after an ambiguous failure look the group up by name before trying again.
   */
  async create(
    body: AppConnectorGroupCreateInput,
    opts?: MicrotenantOption,
  ): Promise<AppConnectorGroupCreated> {
    const json = parseBody(AppConnectorGroupCreateBodySchema, body, 'App Connector group');
    const mt = { microtenantId: opts?.microtenantId ?? json.microtenantId };
    const created = await this.#post(json, mt);
    if (created.id !== undefined) return created;
    const found = await this.findByName(json.name, mt);
    return found ? { ...created, id: found.id } : created;
  }

  /**
   * The group named `name` (case-insensitive, as ZPA compares names), or undefined: a `name LIKE`
   * search, or every page when the name cannot travel in a search.
   */
  async findByName(name: string, opts?: MicrotenantOption): Promise<AppConnectorGroup | undefined> {
    return findByName(
      {
        search: (n) => this.search([{ field: 'name', op: 'LIKE', value: n }], opts),
        listAll: () => this.list(opts),
      },
      name,
    );
  }

  async #post(
    json: z.output<typeof AppConnectorGroupCreateBodySchema>,
    mt: MicrotenantOption,
  ): Promise<AppConnectorGroupCreated> {
    return this.#ctx.api.request({
      operation: 'appConnectorGroup.create',
      method: 'POST',
      path: PATH,
      query: microtenantQuery(this.#ctx, mt),
      json,
      schema: AppConnectorGroupCreatedSchema,
      rateClass: 'write',
      retry: 'never',
    });
  }

  /** Every group (optionally filtered by `opts.search`), across all pages. */
  list(opts?: ZpaListOptions): AsyncGenerator<AppConnectorGroup, void, undefined> {
    return pagedItems(this.#ctx, 'appConnectorGroup.list', PATH, AppConnectorGroupSchema, opts);
  }

  /** The pages of `list`. */
  listPages(opts?: ZpaListOptions): AsyncGenerator<NumberedPage<AppConnectorGroup>, void, undefined> {
    return pagedList(this.#ctx, 'appConnectorGroup.list', PATH, AppConnectorGroupSchema, opts);
  }

  /** The pages of `list` with each group's embedded connectors left unread (`AppConnectorGroupListedSchema`). */
  listPagesShallow(
    opts?: ZpaListOptions,
  ): AsyncGenerator<NumberedPage<AppConnectorGroupListed>, void, undefined> {
    return pagedList(this.#ctx, 'appConnectorGroup.list', PATH, AppConnectorGroupListedSchema, opts);
  }

  /** Groups matching `search` (e.g. `[{ field: 'name', op: 'EQ', value: 'AWS' }]`). */
  search(
    search: SearchInput,
    opts?: Omit<ZpaListOptions, 'search'>,
  ): AsyncGenerator<AppConnectorGroup, void, undefined> {
    return pagedItems(this.#ctx, 'appConnectorGroup.search', PATH, AppConnectorGroupSchema, {
      ...opts,
      search,
    });
  }

  /** `GET .../appConnectorGroup/{id}`. */
  async get(groupId: string, opts?: MicrotenantOption): Promise<AppConnectorGroup> {
    return this.#ctx.api.request({
      operation: 'appConnectorGroup.get',
      method: 'GET',
      path: `${PATH}/${pathId(groupId, 'appConnectorGroupId')}`,
      query: microtenantQuery(this.#ctx, opts),
      schema: AppConnectorGroupSchema,
      rateClass: 'read',
      retry: 'always',
    });
  }

  /** `PUT .../appConnectorGroup/{id}` with the complete group; answers 204. */
  async update(groupId: string, body: AppConnectorGroupUpdateInput, opts?: MicrotenantOption): Promise<void> {
    const id = pathId(groupId, 'appConnectorGroupId');
    const json = parseBody(AppConnectorGroupUpdateBodySchema, body, 'App Connector group');
    await this.#ctx.api.request({
      operation: 'appConnectorGroup.update',
      method: 'PUT',
      path: `${PATH}/${id}`,
      query: microtenantQuery(this.#ctx, { microtenantId: opts?.microtenantId ?? json.microtenantId }),
      json: { ...json, id },
      rateClass: 'write',
      retry: 'always',
    });
  }

  /** `DELETE .../appConnectorGroup/{id}`; answers 204. */
  async delete(groupId: string, opts?: MicrotenantOption): Promise<void> {
    await this.#ctx.api.request({
      operation: 'appConnectorGroup.delete',
      method: 'DELETE',
      path: `${PATH}/${pathId(groupId, 'appConnectorGroupId')}`,
      query: microtenantQuery(this.#ctx, opts),
      rateClass: 'write',
      retry: 'always',
    });
  }
}
