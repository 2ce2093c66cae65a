import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { createHandler as createEventsHandler } from '../../functions/events/handler.ts';
import { systemClock } from '../../shared/core/clock.ts';
import { failedEventOf } from '../../shared/intake/failed-event.ts';
import { AwsLifecycleCompleter } from '../../shared/intake/lifecycle-completer.ts';
import type { Command } from '../command.ts';
import { NotFoundError, UsageError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';
import { renderTable } from '../table.ts';

/** What became of one redriven message. */
export interface EventsRedriveResult {
  messageId: string;
  detailType?: string;
  condition?: string;
  outcome?: string;
  requestId?: string;
  state?: string;
  reason?: string;
  /** Why it stays on the queue. */
  error?: string;
}

export const eventsRedriveCommand: Command = {
  name: 'events redrive',
  summary: 'replay events the events function failed on into the events handler',
  usage: `Usage: zcops events redrive (MESSAGE-ID... | --all) [--queue-url URL]
  MESSAGE-ID   a message on the events failure queue (EventsFailureQueueUrl)
  --all        every message on it
  --queue-url  another queue of events, e.g. the delivery DLQ (raw EventBridge / Scheduler events)
Each event (the requestPayload of Lambda's destination record) runs through the events handler
again, with the stack's tables and queue: a lifecycle event becomes its teardown request, a
schedule its snapshot (a duplicate answers the original request, so a replay never runs twice).
The message is deleted once the handler answered (accepted, duplicate, rejected or ignored); when
the handler throws again it stays on the queue and the error is reported (exit 1). Exit 3 when a
message id is not on the queue.`,
  options: { all: { type: 'boolean' }, 'queue-url': { type: 'string' } },
  positionals: true,
  async run(ctx, args) {
    const wanted = new Set(args.positionals);
    if (!args.values.all && wanted.size === 0) throw new UsageError('give message ids, or --all');
    if (args.values.all && wanted.size > 0) throw new UsageError('give ids or --all, not both');
    const stack = ctx.stack();
    const url =
      typeof args.values['queue-url'] === 'string'
        ? args.values['queue-url']
        : stack.profile.queues.eventsFailuresUrl;
    if (!url)
      throw new UsageError(
        'the profile names no events failure queue (EventsFailureQueueUrl / EVENTS_FAILURE_QUEUE_URL); or give --queue-url',
      );
    const sqs = stack.aws.sqs;
    // Take the messages for a while, so no other reader handles them meanwhile.
    const taken = new Map<string, Message>();
    for (let round = 0; round < 50; round++) {
      const out = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }),
      );
      const batch = out.Messages ?? [];
      if (batch.length === 0) break;
      for (const m of batch) if (m.MessageId) taken.set(m.MessageId, m);
    }
    const selected = [...taken.values()].filter((m) => args.values.all || wanted.has(m.MessageId!));
    const missing = [...wanted].filter((id) => !taken.has(id));
    const handler = createEventsHandler({
      config: stack.intake,
      store: stack.store,
      audit: stack.audit,
      queue: stack.queue,
      clock: systemClock,
      completer: new AwsLifecycleCompleter(stack.aws.autoscaling),
      logger: stack.logger,
    });
    const results: EventsRedriveResult[] = [];
    const release: Message[] = [...taken.values()].filter((m) => !selected.includes(m));
    for (const m of selected) {
      const failed = failedEventOf(m.Body);
      const base: EventsRedriveResult = {
        messageId: m.MessageId!,
        ...(failed.condition ? { condition: failed.condition } : {}),
        ...(typeof failed.event?.['detail-type'] === 'string'
          ? { detailType: failed.event['detail-type'] }
          : {}),
      };
      if (!failed.event) {
        results.push({ ...base, error: failed.error ?? 'no event' });
        release.push(m);
        continue;
      }
      try {
        const r = await handler(failed.event);
        await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle! }));
        results.push({
          ...base,
          outcome: r.outcome,
          ...(r.requestId ? { requestId: r.requestId } : {}),
          ...(r.state ? { state: r.state } : {}),
          ...(r.reason ? { reason: r.reason } : {}),
        });
      } catch (err) {
        results.push({ ...base, error: `${(err as Error).name}: ${(err as Error).message}` });
        release.push(m);
      }
    }
    for (let i = 0; i < release.length; i += 10) {
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: url,
          Entries: release
            .slice(i, i + 10)
            .map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })),
        }),
      );
    }
    ctx.print({ redriven: results, ...(missing.length ? { notFound: missing } : {}) }, () => {
      const table =
        results.length === 0
          ? '(nothing to redrive)\n'
          : renderTable(
              results.map((r) => ({ ...r })),
              ['messageId', 'detailType', 'outcome', 'requestId', 'state', 'reason', 'error'],
            );
      return missing.length ? `${table}not on the queue: ${missing.join(', ')}\n` : table;
    });
    if (missing.length > 0 && results.length === 0)
      throw new NotFoundError(`not on the queue: ${missing.join(', ')}`, { notFound: missing });
    if (results.some((r) => r.error !== undefined)) return EXIT.failure;
    return missing.length > 0 ? EXIT.notFound : EXIT.ok;
  },
};
