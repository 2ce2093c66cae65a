import { describe, expect, it } from 'vitest';
import type { Disposition } from '../../../shared/core/disposition.ts';
import { JobInterruptedError, MissingServiceError } from '../../../shared/jobs/errors.ts';
import { SecretNotFoundError, SecretUnavailableError } from '../../../shared/secrets/errors.ts';
import { TenantSetupError, UnexpectedJobError } from '../../../shared/worker/errors.ts';
import {
  AuthError,
  type BusyKind,
  ConfigurationError,
  ConflictError,
  ExpiredCredentialError,
  NotFoundError,
  RateLimitedError,
  ResponseShapeError,
  RetryLaterError,
  TransientError,
  ValidationError,
  ZscalerError,
} from '../../../shared/zscaler/errors.ts';
import { SearchError } from '../../../shared/zscaler/zpa/search.ts';
import { memoryWorker, START, scriptedJob, throwingJob } from './memory-worker.ts';

// Each disposition an error declares, as the run loop acts on it over the in-memory stores: the
// request's state, reason, error, result, the audit trail and the message sent back to the queue.

const BUSY_MS = 30_000; // worker.editLockDelaySeconds default
const TRANSIENT_MS = 60_000; // worker.transientDelaySeconds default

/** Runs one request whose job throws `error(run)`, once; answers what the run did and the request. */
async function runOnce(error: (run: number) => unknown) {
  const w = memoryWorker(throwingJob(error));
  const { record, body } = await w.submit();
  const out = await w.deliver(body);
  return { w, out, record: await w.get(record.requestId), trail: w.trail(record.requestId), body };
}

describe('retry: deferred after a back-off, message sent back, acknowledged', () => {
  it.each<[BusyKind, string]>([
    ['concurrent-access', 'busy:concurrent-access'],
    ['simultaneous-request', 'busy:simultaneous-request'],
    ['restricted-entity', 'busy:restricted-entity'],
    ['edit-lock', 'edit-lock'],
    ['org-barrier', 'busy:org-barrier'],
    ['precondition', 'busy:precondition'],
  ])('a busy answer (%s) waits worker.editLockDelaySeconds with reason "%s: ..."', async (kind, why) => {
    const { w, out, record, trail } = await runOnce(
      () => new ConflictError('the tenant is busy', { status: 409 }, kind),
    );
    expect(out).toEqual({ kind: 'deferred', notBefore: START + BUSY_MS, delaySeconds: 30 });
    expect(record).toMatchObject({
      state: 'DEFERRED',
      stateReason: `${why}: the tenant is busy`,
      notBefore: new Date(START + BUSY_MS).toISOString(),
      deferrals: 1,
      attempts: 1,
    });
    expect(record.error).toBeUndefined();
    expect(trail).toEqual(['state', 'planned', 'guardrail', 'deferred']);
    const sent = w.lastSent();
    expect(sent).toMatchObject({ delaySeconds: 30, message: { requestId: record.requestId, deferrals: 1 } });
  });

  it('a 429 waits its Retry-After, at least one second', async () => {
    const short = await runOnce(() => new RateLimitedError('slow down', 200, { status: 429 }));
    expect(short.out).toMatchObject({ kind: 'deferred', notBefore: START + 1000, delaySeconds: 1 });
    expect(short.record.stateReason).toBe('rate-limited: slow down');
    const long = await runOnce(() => new RateLimitedError('slow down', 125_000, { status: 429 }));
    expect(long.out).toMatchObject({ kind: 'deferred', notBefore: START + 125_000, delaySeconds: 125 });
  });

  it('a transient failure waits worker.transientDelaySeconds, or its Retry-After when longer', async () => {
    const plain = await runOnce(() => new TransientError('503', { status: 503 }));
    expect(plain.out).toMatchObject({ kind: 'deferred', notBefore: START + TRANSIENT_MS });
    expect(plain.record.stateReason).toBe('transient: 503');
    const shortHint = await runOnce(
      () => new TransientError('503', { status: 503 }, { retryAfterMs: 5_000 }),
    );
    expect(shortHint.out).toMatchObject({ notBefore: START + TRANSIENT_MS });
    const longHint = await runOnce(
      () => new TransientError('503', { status: 503 }, { retryAfterMs: 200_000 }),
    );
    expect(longHint.out).toMatchObject({ notBefore: START + 200_000 });
  });

  it('the configured back-offs are the worker settings', async () => {
    const w = memoryWorker(
      throwingJob((run) =>
        run === 1 ? new ConflictError('busy', {}, 'edit-lock') : new TransientError('reset'),
      ),
      { worker: { editLockDelaySeconds: 7, transientDelaySeconds: 11 } },
    );
    const { body } = await w.submit();
    expect(await w.deliver(body)).toMatchObject({ kind: 'deferred', notBefore: START + 7_000 });
    w.clock.advance(7_000);
    expect(await w.deliver(w.lastSent().body)).toMatchObject({
      kind: 'deferred',
      notBefore: START + 7_000 + 11_000,
    });
  });
});

describe('retry, twice in a row: a refusal met again on the next run is real', () => {
  it('non.restricted.entity.authorization.failed on two runs in a row ends FAILED, nothing changed', async () => {
    const w = memoryWorker(
      throwingJob(
        () =>
          new ConflictError(
            'not authorised',
            { status: 400, id: 'non.restricted.entity.authorization.failed' },
            'restricted-entity',
          ),
      ),
    );
    const { record, body } = await w.submit();
    expect(await w.deliver(body)).toMatchObject({ kind: 'deferred' });
    w.clock.advance(BUSY_MS);
    expect(await w.deliver(w.lastSent().body)).toEqual({ kind: 'settled', state: 'FAILED' });
    const after = await w.get(record.requestId);
    expect(after).toMatchObject({
      state: 'FAILED',
      stateReason: 'non.restricted.entity.authorization.failed',
      error: {
        code: 'non.restricted.entity.authorization.failed',
        message: 'refused on two runs in a row (nothing was changed): not authorised',
      },
      attempts: 2,
      deferrals: 1,
    });
    expect(w.trail(record.requestId)).toEqual([
      ...['state', 'planned', 'guardrail', 'deferred'],
      ...['state', 'planned', 'guardrail', 'failed'],
    ]);
  });

  it('without an id the code is restricted-entity; another busy kind never counts as a repeat', async () => {
    const w = memoryWorker(
      throwingJob((run) =>
        run === 2
          ? new ConflictError('busy', {}, 'concurrent-access')
          : new ConflictError('not authorised', {}, 'restricted-entity'),
      ),
    );
    const { record, body } = await w.submit();
    await w.deliver(body);
    w.clock.advance(BUSY_MS);
    expect(await w.deliver(w.lastSent().body)).toMatchObject({ kind: 'deferred' });
    w.clock.advance(BUSY_MS);
    // Run 3 follows a concurrent-access deferral: deferred again, not failed.
    expect(await w.deliver(w.lastSent().body)).toMatchObject({ kind: 'deferred' });
    w.clock.advance(BUSY_MS);
    expect(await w.deliver(w.lastSent().body)).toEqual({ kind: 'settled', state: 'FAILED' });
    expect((await w.get(record.requestId)).error?.code).toBe('restricted-entity');
  });

  it('an edit lock met on many runs in a row is always deferred (busy, not a refusal)', async () => {
    const w = memoryWorker(throwingJob(() => new ConflictError('locked', {}, 'edit-lock')));
    const { body } = await w.submit();
    let next = body;
    for (let i = 0; i < 4; i++) {
      expect(await w.deliver(next)).toMatchObject({ kind: 'deferred' });
      w.clock.advance(BUSY_MS);
      next = w.lastSent().body;
    }
  });

  it('a credential rejected right after renewal is deferred once, then fails as authentication', async () => {
    const w = memoryWorker(throwingJob(() => new ExpiredCredentialError('token expired', { status: 401 })));
    const { record, body } = await w.submit();
    expect(await w.deliver(body)).toMatchObject({ kind: 'deferred', notBefore: START + TRANSIENT_MS });
    expect((await w.get(record.requestId)).stateReason).toBe('expired-credential: token expired');
    w.clock.advance(TRANSIENT_MS);
    expect(await w.deliver(w.lastSent().body)).toEqual({ kind: 'settled', state: 'FAILED' });
    expect(await w.get(record.requestId)).toMatchObject({
      error: { code: 'auth', message: 'authentication failed: token expired' },
    });
  });
});

describe('defer until T', () => {
  it('a "not before T" (the limiter, a long Retry-After) defers to exactly T with its why', async () => {
    const at = START + 600_000;
    const { w, out, record, trail } = await runOnce(
      () => new RetryLaterError('budget spent', at, 'rate-limit'),
    );
    expect(out).toEqual({ kind: 'deferred', notBefore: at, delaySeconds: 600 });
    expect(record).toMatchObject({
      state: 'DEFERRED',
      stateReason: 'rate-limit: budget spent',
      notBefore: new Date(at).toISOString(),
    });
    expect(trail.at(-1)).toBe('deferred');
    expect(w.audit.events.at(-1)?.detail).toMatchObject({
      notBefore: new Date(at).toISOString(),
      delaySeconds: 600,
    });
  });

  it('a deferral that would end past the maximum age ends FAILED with code max-age instead', async () => {
    const w = memoryWorker(
      throwingJob(() => new RetryLaterError('later', START + 3 * 3_600_000, 'rate-limit')),
      {
        worker: { maxAgeHours: 2 },
      },
    );
    const { record, body } = await w.submit();
    expect(await w.deliver(body)).toEqual({ kind: 'settled', state: 'FAILED' });
    const after = await w.get(record.requestId);
    expect(after).toMatchObject({ stateReason: 'max-age', error: { code: 'max-age' } });
    expect(after.error?.message).toMatch(/^gave up after 0 minutes \(maximum age 2 h\): rate-limit: later$/);
    expect(w.queue.messages).toHaveLength(0);
  });
});

describe('fail with code', () => {
  it.each<[string, () => Error, string, string]>([
    [
      'AuthError',
      () => new AuthError('bad secret', { status: 401 }),
      'auth',
      'authentication failed: bad secret',
    ],
    [
      'ValidationError with an id',
      () => new ValidationError('bad', { id: 'bad.request' }),
      'bad.request',
      'bad',
    ],
    ['ValidationError without an id', () => new ValidationError('bad'), 'ValidationError', 'bad'],
    ['ResponseShapeError', () => new ResponseShapeError('odd body', []), 'ResponseShapeError', 'odd body'],
    [
      'NotFoundError',
      () => new NotFoundError('gone', { id: 'resource.not.found' }),
      'resource.not.found',
      'gone',
    ],
    ['ConfigurationError', () => new ConfigurationError('no ZPA'), 'ConfigurationError', 'no ZPA'],
    ['ZscalerError', () => new ZscalerError('odd'), 'ZscalerError', 'odd'],
    [
      'TenantSetupError',
      () => new TenantSetupError('no ZPA settings'),
      'TenantSetupError',
      'no ZPA settings',
    ],
    [
      'SecretNotFoundError',
      () => new SecretNotFoundError('no secret', 's'),
      'SecretNotFoundError',
      'no secret',
    ],
    [
      'SecretUnavailableError',
      () => new SecretUnavailableError('down', 's'),
      'SecretUnavailableError',
      'down',
    ],
    ['SearchError', () => new SearchError('bad field'), 'SearchError', 'bad field'],
    ['MissingServiceError', () => new MissingServiceError('no bucket'), 'MissingServiceError', 'no bucket'],
  ])('%s ends FAILED with its code', async (_name, error, code, message) => {
    const { w, out, record, trail } = await runOnce(error);
    expect(out).toEqual({ kind: 'settled', state: 'FAILED' });
    expect(record).toMatchObject({ state: 'FAILED', stateReason: code, error: { code, message } });
    expect(record.result).toBeUndefined();
    expect(trail).toEqual(['state', 'planned', 'guardrail', 'failed']);
    expect(w.audit.events.at(-1)?.detail).toEqual({ reason: message, code });
    expect(w.queue.messages).toHaveLength(0);
  });

  it('an error thrown by plan is disposed of the same way (no execute)', async () => {
    const w = memoryWorker(
      scriptedJob({
        plan: () => {
          throw new ValidationError('bad id', { id: 'bad.id' });
        },
      }),
    );
    const { record, body } = await w.submit();
    expect(await w.deliver(body)).toEqual({ kind: 'settled', state: 'FAILED' });
    expect(w.trail(record.requestId)).toEqual(['state', 'failed']);
  });
});

describe('reject', () => {
  class RefusedError extends Error {
    get disposition(): Disposition {
      return { kind: 'reject', code: 'refused-by-test', reason: `refused: ${this.message}` };
    }
  }

  it('an error declaring reject ends the request REJECTED with its code', async () => {
    const { out, record, trail, w } = await runOnce(() => new RefusedError('no'));
    expect(out).toEqual({ kind: 'settled', state: 'REJECTED' });
    expect(record).toMatchObject({
      state: 'REJECTED',
      stateReason: 'refused-by-test',
      error: { code: 'refused-by-test', message: 'refused: no' },
    });
    expect(trail).toEqual(['state', 'planned', 'guardrail', 'rejected']);
    expect(w.queue.messages).toHaveLength(0);
  });
});

describe('JobInterruptedError: its cause decides, its progress is kept', () => {
  it('deferred by its cause, the progress is kept on the request and given back to the next run', async () => {
    const seen: unknown[] = [];
    const w = memoryWorker(
      scriptedJob({
        execute: (ctx, run) => {
          seen.push(ctx.progress);
          if (run === 1) throw new JobInterruptedError(new TransientError('reset'), { sentIds: ['1', '2'] });
          return { status: 'succeeded', result: { sentIds: ['1', '2', '3'] } };
        },
      }),
    );
    const { record, body } = await w.submit();
    expect(await w.deliver(body)).toMatchObject({ kind: 'deferred', notBefore: START + TRANSIENT_MS });
    expect(await w.get(record.requestId)).toMatchObject({
      state: 'DEFERRED',
      stateReason: 'transient: reset',
      result: { sentIds: ['1', '2'] },
    });
    w.clock.advance(TRANSIENT_MS);
    expect(await w.deliver(w.lastSent().body)).toEqual({ kind: 'settled', state: 'SUCCEEDED' });
    expect(seen).toEqual([undefined, { sentIds: ['1', '2'] }]);
  });

  it('failed by its cause, the result names what the interrupted run may have landed', async () => {
    const { record } = await runOnce(
      () => new JobInterruptedError(new ValidationError('bad', { id: 'bad.request' }), { sentIds: ['7'] }),
    );
    expect(record).toMatchObject({
      state: 'FAILED',
      error: { code: 'bad.request', message: 'bad' },
      result: { sentIds: ['7'] },
    });
  });

  it('a refusal met twice in a row fails with the progress in the result', async () => {
    const w = memoryWorker(
      throwingJob(
        (run) =>
          new JobInterruptedError(new ExpiredCredentialError('rejected', { status: 401 }), {
            sentIds: [String(run)],
          }),
      ),
    );
    const { record, body } = await w.submit();
    await w.deliver(body);
    w.clock.advance(TRANSIENT_MS);
    expect(await w.deliver(w.lastSent().body)).toEqual({ kind: 'settled', state: 'FAILED' });
    expect(await w.get(record.requestId)).toMatchObject({
      error: { code: 'auth' },
      result: { sentIds: ['2'] },
    });
  });

  it('a cause that declares nothing makes the interruption unexpected', async () => {
    const { out, record } = await runOnce(
      () => new JobInterruptedError(new TypeError('bug'), { sentIds: [] }),
    );
    expect(out).toBeInstanceOf(UnexpectedJobError);
    expect(record.state).toBe('RUNNING');
  });
});

describe('an error that declares nothing is unexpected: retried by SQS, then DEAD_LETTERED', () => {
  it.each<[string, () => unknown]>([
    ['a TypeError', () => new TypeError('bug in a job')],
    ['an Error', () => new Error('bug in a job')],
    ['a thrown string', () => 'bug in a job'],
    [
      'an error whose disposition is not one',
      () => Object.assign(new Error('bug in a job'), { disposition: 'x' }),
    ],
  ])(
    '%s: not acknowledged, request left RUNNING, then DEAD_LETTERED with code unexpected',
    async (_n, error) => {
      const thrown: unknown[] = [];
      const w = memoryWorker(
        throwingJob(() => {
          thrown.push(error());
          return thrown.at(-1);
        }),
        { worker: { maxReceiveCount: 3 } },
      );
      const { record, body } = await w.submit();
      const first = await w.deliver(body, 1);
      expect(first).toBeInstanceOf(UnexpectedJobError);
      expect((first as Error).message).toContain('bug in a job');
      expect((first as Error).cause).toBe(thrown[0]);
      expect(await w.get(record.requestId)).toMatchObject({ state: 'RUNNING', attempts: 1 });
      expect(w.queue.messages).toHaveLength(0);
      // SQS delivers it again once the visibility timeout ends; the run's lease has expired by then.
      w.clock.advance(w.config.worker.leaseSeconds * 1000 + 1);
      expect(await w.deliver(body, 2)).toBeInstanceOf(UnexpectedJobError);
      expect(await w.get(record.requestId)).toMatchObject({
        state: 'RUNNING',
        attempts: 2,
        stateReason: 'resumed',
      });
      w.clock.advance(w.config.worker.leaseSeconds * 1000 + 1);
      expect(await w.deliver(body, 3)).toBeInstanceOf(UnexpectedJobError);
      const after = await w.get(record.requestId);
      expect(after).toMatchObject({
        state: 'DEAD_LETTERED',
        stateReason: 'dead-lettered',
        error: { code: 'unexpected' },
      });
      expect(after.error?.message).toMatch(
        /^the job could not be processed after 3 receives: .*bug in a job$/,
      );
      expect(w.trail(record.requestId).at(-1)).toBe('dead-lettered');
      expect(w.audit.events.at(-1)?.detail).toMatchObject({ from: 'RUNNING' });
    },
  );

  it('the unexpected error carries the original as its cause and names its class', async () => {
    const bug = new RangeError('index out of range');
    const { out } = await runOnce(() => bug);
    expect(out).toBeInstanceOf(UnexpectedJobError);
    expect((out as UnexpectedJobError).cause).toBe(bug);
    expect((out as Error).message).toBe('RangeError: index out of range');
  });
});
