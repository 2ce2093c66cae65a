import { describe, expect, it } from 'vitest';
import { dispositionOf } from '../../../shared/core/disposition.ts';
import { ControlContentionError } from '../../../shared/guardrails/control-store.ts';
import { JobInterruptedError } from '../../../shared/jobs/errors.ts';
import { ConflictError, RetryLaterError, TransientError } from '../../../shared/zscaler/errors.ts';

describe('dispositionOf', () => {
  it('answers the disposition an error class declares', () => {
    expect(dispositionOf(new RetryLaterError('later', 5_000, 'rate-limit'))).toEqual({
      kind: 'defer',
      until: 5_000,
      why: 'rate-limit',
      message: 'later',
    });
    expect(dispositionOf(new ConflictError('locked', {}, 'edit-lock'))).toEqual({
      kind: 'retry',
      why: 'edit-lock',
      message: 'locked',
      backoff: 'busy',
    });
  });

  it('a lost race on a control item is busy: retried after the busy back-off, not left to SQS', () => {
    expect(dispositionOf(new ControlContentionError('CAP#acme', 40))).toEqual({
      kind: 'retry',
      why: 'busy:control-contention',
      message: 'control item CAP#acme: lost 40 concurrent updates in a row',
      backoff: 'busy',
    });
  });

  it('answers undefined for anything that declares none, or declares something that is not one', () => {
    for (const thrown of [
      new Error('x'),
      new TypeError('x'),
      'x',
      undefined,
      null,
      42,
      { disposition: 'retry' },
      { disposition: { kind: 'explode' } },
      { disposition: null },
    ])
      expect(dispositionOf(thrown), String(thrown)).toBeUndefined();
  });

  it("an interruption carries its cause's disposition with its progress, merged over the cause's", () => {
    const inner = new JobInterruptedError(new TransientError('reset'), { a: 1, b: 1 });
    expect(dispositionOf(new JobInterruptedError(inner, { b: 2 }))).toMatchObject({
      kind: 'retry',
      why: 'transient',
      progress: { a: 1, b: 2 },
    });
    expect(dispositionOf(new JobInterruptedError(new Error('bug'), { a: 1 }))).toBeUndefined();
  });
});
