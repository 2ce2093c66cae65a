import { NotFoundError } from '../zscaler/errors.ts';
import { connectorResource, microtenantOf } from './connector-facts.ts';
import { findConnector } from './connector-lookup.ts';
import type { Job } from './job.ts';

interface Data {
  id: string;
  name: string;
}

/**
 * `appConnector.delete`: finds the connector (by id, name, or private IP within a group), deletes
 * it, then confirms with a GET that it is gone. Not found at plan time = already gone (success, no
 * DELETE), so a redelivered request never deletes twice.
 *
 * @example
 * JOBS['appConnector.delete'] = appConnectorDeleteJob;
 */
export const appConnectorDeleteJob: Job<'appConnector.delete', Data> = {
  action: 'appConnector.delete',
  async plan(ctx) {
    const zpa = await ctx.zpa();
    const mt = microtenantOf(ctx.request);
    const lookup = await findConnector(zpa, ctx.request.connector, mt);
    if ('refused' in lookup) {
      return {
        calls: lookup.calls,
        resources: [],
        outcome: { status: 'failed', reason: lookup.refused, code: 'ambiguous-target' },
      };
    }
    if (!lookup.found) {
      return {
        calls: lookup.calls,
        resources: [],
        outcome: { status: 'succeeded', result: { alreadyGone: true, connector: ctx.request.connector } },
      };
    }
    const c = lookup.found;
    return {
      calls: [
        {
          api: 'zpa',
          method: 'DELETE',
          path: `/connector/${c.id}`,
          operation: 'appConnector.delete',
          write: true,
        },
        {
          api: 'zpa',
          method: 'GET',
          path: `/connector/${c.id}`,
          operation: 'appConnector.get',
          write: false,
          note: 'confirm it is gone (404)',
        },
      ],
      resources: [connectorResource(c)],
      data: { id: c.id, name: c.name },
    };
  },
  async execute(ctx, plan) {
    const { id, name } = plan.data as Data;
    const zpa = await ctx.zpa();
    const mt = microtenantOf(ctx.request);
    let alreadyGone = false;
    try {
      await zpa.appConnectors.delete(id, mt);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      alreadyGone = true;
    }
    try {
      await zpa.appConnectors.get(id, mt);
    } catch (err) {
      if (err instanceof NotFoundError) {
        return {
          status: 'succeeded',
          result: { deleted: id, name, confirmed: true, ...(alreadyGone ? { alreadyGone } : {}) },
        };
      }
      throw err;
    }
    return {
      status: 'failed',
      reason: `connector ${id} is still present after its deletion`,
      code: 'not-deleted',
    };
  },
};
