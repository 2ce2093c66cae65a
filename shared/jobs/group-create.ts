import { TransientError } from '../zscaler/errors.ts';
import { SearchError } from '../zscaler/zpa/search.ts';
import { clashReason, differingFields } from './group-match.ts';
import type { JobOutcome, Plan, PlannedCall } from './job.ts';

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
  /** Groups whose name equals `name` per a `name EQ` search (may return near matches; filtered here). */
  searchByName(name: string): AsyncIterable<NamedGroup>;
  /** Every group (fallback when the name cannot be expressed in a search). */
  listAll(): AsyncIterable<NamedGroup>;
  create(body: Record<string, unknown>): Promise<{ id?: string | undefined }>;
}

/** The group with exactly this name, if any. */
export async function findGroupByName(api: GroupApi, name: string): Promise<NamedGroup | undefined> {
  let source: AsyncIterable<NamedGroup>;
  try {
    source = api.searchByName(name);
    return await first(source, name);
  } catch (err) {
    // A name the search syntax cannot carry (e.g. containing " and "): read every page instead.
    if (!(err instanceof SearchError)) throw err;
    return first(api.listAll(), name);
  }
}

async function first(items: AsyncIterable<NamedGroup>, name: string): Promise<NamedGroup | undefined> {
  for await (const g of items) if (g.name === name) return g;
  return undefined;
}

/** An existing group of the same name: success when it matches, a clear failure when it does not. */
export function existingOutcome(
  api: GroupApi,
  body: Record<string, unknown>,
  existing: NamedGroup,
): JobOutcome {
  const fields = differingFields(body, existing);
  if (fields.length > 0) {
    return {
      status: 'failed',
      reason: clashReason(api.label, existing.name, existing.id, fields),
      code: 'name-clash',
    };
  }
  return { status: 'succeeded', result: { groupId: existing.id, name: existing.name, created: false } };
}

/**
 * Plans a creation: looked up by name first, so a retry or a duplicate never creates a second group.
 */
export async function planGroupCreate(
  api: GroupApi,
  body: Record<string, unknown>,
  reads: PlannedCall[],
): Promise<Plan<{ body: Record<string, unknown> }>> {
  const name = String(body.name);
  const lookup: PlannedCall = {
    api: 'zpa',
    method: 'GET',
    path: `${api.path}?search=name EQ ${name}`,
    operation: `${api.kind}.search`,
    write: false,
  };
  const existing = await findGroupByName(api, name);
  if (existing)
    return { calls: [...reads, lookup], resources: [], outcome: existingOutcome(api, body, existing) };
  return {
    calls: [
      { api: 'zpa', method: 'POST', path: api.path, operation: `${api.kind}.create`, write: true, body },
    ],
    resources: [{ kind: api.kind, name, effect: 'create' }],
    data: { body },
  };
}

/**
 * POSTs the group. After an ambiguous failure (5xx, timeout: the group may or may not exist) it
 * looks the group up by name before anything else; never a blind second POST. Not found: the error
 * stands and the job is deferred (its next run looks up again first).
 */
export async function executeGroupCreate(api: GroupApi, body: Record<string, unknown>): Promise<JobOutcome> {
  const name = String(body.name);
  try {
    const created = await api.create(body);
    const id = created.id ?? (await findGroupByName(api, name))?.id;
    return { status: 'succeeded', result: { groupId: id, name, created: true } };
  } catch (err) {
    if (!(err instanceof TransientError)) throw err;
    const existing = await findGroupByName(api, name);
    if (!existing) throw err;
    const outcome = existingOutcome(api, body, existing);
    return outcome.status === 'succeeded'
      ? { status: 'succeeded', result: { ...outcome.result, created: true, afterAmbiguousFailure: true } }
      : outcome;
  }
}
