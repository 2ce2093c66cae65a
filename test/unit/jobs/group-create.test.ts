import { describe, expect, it } from 'vitest';
import {
  type CreateProgress,
  executeGroupCreate,
  type GroupApi,
  type NamedGroup,
  planGroupCreate,
} from '../../../shared/jobs/group-create.ts';
import type { JobOutcome } from '../../../shared/jobs/job.ts';
import { ResponseShapeError, TransientError, ValidationError } from '../../../shared/zscaler/errors.ts';

/** A group API over an in-memory list; `visible` decides whether created groups can be read back yet. */
function fakeApi(options: { create: () => Promise<{ id?: string }>; groups?: NamedGroup[] }) {
  const groups = options.groups ?? [];
  let posts = 0;
  const api: GroupApi = {
    kind: 'appConnectorGroup',
    label: 'App Connector group',
    path: '/appConnectorGroup',
    findByName: async (name) => groups.find((g) => g.name.toLowerCase() === name.toLowerCase()),
    create: async () => {
      posts++;
      return options.create();
    },
  };
  return { api, groups, posts: () => posts };
}

const deferred: { why: string; progress: CreateProgress }[] = [];
const defer = (why: string, progress: CreateProgress): JobOutcome => {
  deferred.push({ why, progress });
  return { status: 'deferred', notBefore: 1, reason: why, progress: { ...progress } };
};
const body = { name: 'g1', location: 'x' };

describe('group creation when the answer does not say which group was made', () => {
  it('no id and not readable yet: deferred with progress.created, and the next plan never POSTs again', async () => {
    const f = fakeApi({ create: async () => ({}) });
    const out = await executeGroupCreate(f.api, body, defer);
    expect(out).toMatchObject({ status: 'deferred', progress: { created: true } });
    const plan = await planGroupCreate(f.api, body, [], { progress: { created: true }, defer });
    expect(plan.outcome).toMatchObject({ status: 'deferred' });
    expect(plan.calls.some((c) => c.write)).toBe(false);
    // Readable now: SUCCEEDED, and it says it was created by this request.
    f.groups.push({ id: '7', name: 'g1', location: 'x' });
    const again = await planGroupCreate(f.api, body, [], { progress: { created: true }, defer });
    expect(again.outcome).toEqual({
      status: 'succeeded',
      result: { groupId: '7', name: 'g1', created: true },
    });
    expect(f.posts()).toBe(1);
  });

  it('a 2xx answer of an unexpected shape means it landed: found → SUCCEEDED, not found → deferred', async () => {
    const shape = () => Promise.reject(new ResponseShapeError('bad body', []));
    const f = fakeApi({ create: shape });
    expect(await executeGroupCreate(f.api, body, defer)).toMatchObject({
      status: 'deferred',
      progress: { created: true },
    });
    const g = fakeApi({ create: shape, groups: [{ id: '9', name: 'g1', location: 'x' }] });
    expect(await executeGroupCreate(g.api, body, defer)).toMatchObject({
      status: 'succeeded',
      result: { groupId: '9', created: true },
    });
  });

  it('an ambiguous failure finds a group named in another case: a name-clash, never claimed as ours', async () => {
    const f = fakeApi({
      create: () => Promise.reject(new TransientError('500')),
      groups: [{ id: '3', name: 'G1', location: 'x' }],
    });
    expect(await executeGroupCreate(f.api, body, defer)).toMatchObject({
      status: 'failed',
      code: 'name-clash',
    });
  });

  it('a refusal (400) with no such group stays the refusal: nothing landed', async () => {
    const f = fakeApi({ create: () => Promise.reject(new ValidationError('400 invalid.latitude')) });
    await expect(executeGroupCreate(f.api, body, defer)).rejects.toBeInstanceOf(ValidationError);
  });
});
