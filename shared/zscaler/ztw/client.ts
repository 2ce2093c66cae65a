import { ResponseShapeError, ValidationError } from '../errors.ts';
import type { ApiClient } from '../http/api-client.ts';
import { VmInstanceIdSchema, ztwId } from '../schemas/ids.ts';
import {
  type ActivationStatus,
  ActivationStatusSchema,
  type EcGroup,
  EcGroupListSchema,
  EcGroupSchema,
  type EcVm,
  EcVmSchema,
} from '../schemas/ztw.ts';
import type { ZtwSessionAuth } from './auth/session-auth.ts';

/** Largest `pageSize` of `GET /ecgroup`. */
export const ZTW_MAX_PAGE_SIZE = 1000;

export interface ZtwPageOptions {
  /** 1..1000, default 1000. */
  pageSize?: number;
  /** First page (1-based), default 1. */
  startPage?: number;
}

function ztwPathId(value: unknown, field: string): number {
  const result = ztwId(field).safeParse(value);
  if (!result.success)
    throw new ValidationError(result.error.issues[0]?.message ?? `${field} must be an integer`);
  return result.data;
}

function instanceIdPath(vmInstanceId: string): string {
  const parsed = VmInstanceIdSchema.safeParse(vmInstanceId);
  if (!parsed.success) throw new ValidationError(parsed.error.issues[0]?.message ?? 'bad vmInstanceId');
  return `/ecVm/uuid/${encodeURIComponent(parsed.data)}`;
}

function pageSizeOf(pageSize: number | undefined): number {
  const size = pageSize ?? ZTW_MAX_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > ZTW_MAX_PAGE_SIZE) {
    throw new RangeError(`pageSize must be an integer from 1 to ${ZTW_MAX_PAGE_SIZE}`);
  }
  return size;
}

/**
 * The Cloud & Branch Connector (ZTW) API of one tenant: groups, VMs, activation.
 *
 * @example
 * const ztw = createZtwClient({ tenant, credentials: secret.ztw });
 * await ztw.deleteVmByInstanceId('i-0abc');
 * await ztw.activate(); // may answer while the activation is queued or running
 * (await ztw.activationStatus()).adminActivateStatus; // … until ADM_ACTV_DONE or ADM_ACTV_FAIL
 * await ztw.getVmByInstanceId('i-0abc').catch((e) => e instanceof NotFoundError); // verified gone
 * await ztw.close();
 */
export class ZtwClient {
  readonly tenant: string;
  readonly #api: ApiClient;
  readonly #session: ZtwSessionAuth | undefined;

  constructor(api: ApiClient, session?: ZtwSessionAuth) {
    this.tenant = api.tenant;
    this.#api = api;
    this.#session = session;
  }

  /** Pages of `GET /ecgroup?page=&pageSize=` (bare arrays); stops on a short page. */
  async *listEcGroupPages(opts: ZtwPageOptions = {}): AsyncGenerator<EcGroup[], void, undefined> {
    const pageSize = pageSizeOf(opts.pageSize);
    let previousFirst: number | undefined;
    for (let page = opts.startPage ?? 1; ; page++) {
      const groups = await this.#api.request({
        operation: 'ecGroup.list',
        method: 'GET',
        path: '/ecgroup',
        query: { page, pageSize },
        schema: EcGroupListSchema,
        rateClass: 'read',
        retry: 'always',
      });
      // A server that ignores `page` would answer the same full page forever.
      if (groups.length > 0 && groups[0]?.id === previousFirst) {
        throw new ResponseShapeError(`GET /ecgroup page ${page} repeated the previous page`, [], {
          method: 'GET',
          path: '/ecgroup',
        });
      }
      previousFirst = groups[0]?.id;
      yield groups;
      if (groups.length < pageSize) return;
    }
  }

  /** Every Cloud & Branch Connector group, across all pages. */
  async *listEcGroups(opts?: ZtwPageOptions): AsyncGenerator<EcGroup, void, undefined> {
    for await (const page of this.listEcGroupPages(opts)) yield* page;
  }

  /** `GET /ecgroup/{id}`. */
  async getEcGroup(
    groupId: number | string,
    opts: { page?: number; pageSize?: number } = {},
  ): Promise<EcGroup> {
    return this.#api.request({
      operation: 'ecGroup.get',
      method: 'GET',
      path: `/ecgroup/${ztwPathId(groupId, 'ecGroupId')}`,
      query: {
        page: opts.page,
        pageSize: opts.pageSize === undefined ? undefined : pageSizeOf(opts.pageSize),
      },
      schema: EcGroupSchema,
      rateClass: 'read',
      retry: 'always',
    });
  }

  /** `GET /ecgroup/{id}/vm/{vmid}`; NotFoundError once deleted. */
  async getVm(groupId: number | string, vmId: number | string): Promise<EcVm> {
    return this.#api.request({
      operation: 'ecVm.get',
      method: 'GET',
      path: `/ecgroup/${ztwPathId(groupId, 'ecGroupId')}/vm/${ztwPathId(vmId, 'vmId')}`,
      schema: EcVmSchema,
      rateClass: 'read',
      retry: 'always',
    });
  }

  /** `DELETE /ecgroup/{id}/vm/{vmid}`. Activate afterwards (once per burst). */
  async deleteVm(groupId: number | string, vmId: number | string): Promise<void> {
    await this.#api.request({
      operation: 'ecVm.delete',
      method: 'DELETE',
      path: `/ecgroup/${ztwPathId(groupId, 'ecGroupId')}/vm/${ztwPathId(vmId, 'vmId')}`,
      rateClass: 'delete',
      retry: 'always',
    });
  }

  /**
   * `GET /ecVm/uuid/{vmInstanceId}`: the VM of a cloud provider's instance id; NotFoundError when no
   * VM has it (the authoritative answer: `/ecgroup` listings carry no instance ids).
   */
  async getVmByInstanceId(vmInstanceId: string): Promise<EcVm> {
    return this.#api.request({
      operation: 'ecVm.getByInstanceId',
      method: 'GET',
      path: instanceIdPath(vmInstanceId),
      schema: EcVmSchema,
      rateClass: 'read',
      retry: 'always',
    });
  }

  /** `DELETE /ecVm/uuid/{vmInstanceId}`: by the cloud provider's instance id. Activate afterwards. */
  async deleteVmByInstanceId(vmInstanceId: string): Promise<void> {
    await this.#api.request({
      operation: 'ecVm.deleteByInstanceId',
      method: 'DELETE',
      path: instanceIdPath(vmInstanceId),
      rateClass: 'delete',
      retry: 'always',
    });
  }

  /**
   * `GET /ecAdminActivateStatus`: `adminActivateStatus` is one of `ADMIN_ACTIVATE_STATUSES` (an
   * unknown value is kept as it came).
   */
  async activationStatus(): Promise<ActivationStatus> {
    return this.#api.request({
      operation: 'ecAdminActivateStatus.get',
      method: 'GET',
      path: '/ecAdminActivateStatus',
      schema: ActivationStatusSchema,
      rateClass: 'read',
      retry: 'always',
    });
  }

  /** `PUT /ecAdminActivateStatus/activate`: activates pending changes. Answers the status when the API sends one. */
  async activate(): Promise<ActivationStatus | undefined> {
    return this.#api.request({
      operation: 'ecAdminActivateStatus.activate',
      method: 'PUT',
      path: '/ecAdminActivateStatus/activate',
      schema: ActivationStatusSchema,
      emptyBodyOk: true,
      rateClass: 'activate',
      retry: 'always',
    });
  }

  /** Ends the legacy session (`DELETE /auth`); a no-op for OneAPI. */
  async close(): Promise<void> {
    await this.#session?.close();
  }
}
