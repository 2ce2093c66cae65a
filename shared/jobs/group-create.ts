import { ResponseShapeError, TransientError, ValidationError } from '../zscaler/errors.ts';
import { clashReason, differingFields } from './group-match.ts';
import type { JobContext, JobOutcome, Plan, PlannedCall } from './job.ts';

/** A group as both ZPA group kinds answer it (enough for matching). */
export interface NamedGroup extends Record<string, unknown> {
  id: string;
  name: string;
}

/** How one group kind is looked up and created. */
export interface GroupApi {
  kind: 'appConnectorGroup' | 'pccGroup';
  /** Human name for reasons. */
  label: string;
  path: string;
  /** The group of this name, compared case-insensitively as ZPA does (search, else every page). */
  findByName(name: string): Promise<NamedGroup | undefined>;
  /** POSTs the group; `id` is absent when the answer had none and the lookup did not find it yet. */
  create(body: Record<string, unknown>): Promise<{ id?: string | undefined }>;
}

/** What a creation hands over when it defers: the POST was answered 2xx, so the group exists. */
export interface CreateProgress {
  created?: boolean;
}

/** How a group job defers (the job context's `defer`, with the worker's poll interval). */
export type DeferCreate = (why: string, progress: CreateProgress) => JobOutcome;

/** Looks again after the worker's poll interval, keeping what the create established. */
export function deferCreate(ctx: Pick<JobContext, 'defer' | 'clock' | 'settings'>): DeferCreate {
  return (why, progress) => ctx.defer(ctx.clock.now() + ctx.settings.pollIntervalMs, why, { ...progress });
}

/**
 * An existing group of the same name (any letter case): success when it is ours or matches, a
 * clear failure when it does not. A name differing only in case is a clash: ZPA would refuse the
 * requested one as a duplicate, and the existing group is not the one asked for.
 */
export function existingOutcome(
  api: GroupApi,
  body: Record<string, unknown>,
  existing: NamedGroup,
  createdByUs = false,
): JobOutcome {
  const name = String(body.name);
  if (existing.name !== name && !createdByUs) {
    return {
      status: 'failed',
      reason: `${api.label} "${name}" cannot be created: "${existing.name}" (id ${existing.id}) already exists and ZPA compares names without letter case`,
      code: 'name-clash',
    };
  }
  const { name: _name, ...rest } = body;
  const fields = differingFields(rest, existing);
  if (fields.length > 0) {
    return {
      status: 'failed',
      reason: clashReason(api.label, existing.name, existing.id, fields),
      code: 'name-clash',
    };
  }
  return {
    status: 'succeeded',
    result: { groupId: existing.id, name: existing.name, created: createdByUs },
  };
}

/**
 * Plans a creation: looked up by name first, so a retry or a duplicate never creates a second group.
 * A previous run whose POST was answered (`progress.created`) never POSTs again: it waits until the
 * group can be read back.
 */
export async function planGroupCreate(
  api: GroupApi,
  body: Record<string, unknown>,
  reads: PlannedCall[],
  previous: { progress: CreateProgress | undefined; defer: DeferCreate },
): Promise<Plan<{ body: Record<string, unknown> }>> {
  const name = String(body.name);
  const lookup: PlannedCall = {
    api: 'zpa',
    method: 'GET',
    path: `${api.path}?search=name LIKE ${name}`,
    operation: `${api.kind}.search`,
    write: false,
    note: 'names compared without letter case; every page when the search cannot carry the name',
  };
  const createdByUs = previous.progress?.created === true;
  const existing = await api.findByName(name);
  if (existing) {
    return {
      calls: [...reads, lookup],
      resources: [],
      outcome: existingOutcome(api, body, existing, createdByUs),
    };
  }
  if (createdByUs) {
    return {
      calls: [...reads, lookup],
      resources: [],
      outcome: previous.defer(`${api.label} "${name}" was created; not readable by name yet`, {
        created: true,
      }),
    };
  }
  return {
    calls: [
      { api: 'zpa', method: 'POST', path: api.path, operation: `${api.kind}.create`, write: true, body },
    ],
    resources: [{ kind: api.kind, name, effect: 'create' }],
    data: { body },
  };
}

/**
 * POSTs the group. An answer without an id is resolved by name; if the group cannot be read back
 * yet the job defers (it exists: the request must not end FAILED, and is never POSTed again). After
 * an ambiguous failure (5xx, timeout: the group may or may not exist), a 2xx answer of an unexpected
 * shape (it exists), or a refusal (maybe a duplicate differing in case) it looks the group up by
 * name before anything else; never a blind second POST.
 */
export async function executeGroupCreate(
  api: GroupApi,
  body: Record<string, unknown>,
  defer: DeferCreate,
): Promise<JobOutcome> {
  const name = String(body.name);
  try {
    const created = await api.create(body);
    if (created.id !== undefined) {
      return { status: 'succeeded', result: { groupId: created.id, name, created: true } };
    }
    return defer(`${api.label} "${name}" was created (its answer carried no id); not readable by name yet`, {
      created: true,
    });
  } catch (err) {
    const landed = err instanceof ResponseShapeError;
    if (!(err instanceof TransientError) && !landed && !(err instanceof ValidationError)) throw err;
    const existing = await api.findByName(name);
    if (!existing) {
      if (landed) {
        return defer(`${api.label} "${name}" was created (answer unreadable); not readable by name yet`, {
          created: true,
        });
      }
      throw err;
    }
    if (err instanceof ValidationError) return existingOutcome(api, body, existing);
    const outcome = existingOutcome(api, body, existing, existing.name === name);
    return outcome.status === 'succeeded'
      ? { status: 'succeeded', result: { ...outcome.result, created: true, afterAmbiguousFailure: true } }
      : outcome;
  }
}
