import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { parseJobMessage } from '../../shared/requests/job-message.ts';
import { submit } from '../../shared/requests/submit.ts';
import { drainDeadLetter } from '../../shared/worker/dead-letter.ts';
import type { Command } from '../command.ts';
import type { CommandContext } from '../context.ts';
import { CliError, NotFoundError, UsageError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';
import { renderTable } from '../table.ts';
import { submitDepsOf, submitError } from './submit.ts';

/** One DLQ message as the CLI shows it. */
export interface DlqEntry {
  messageId: string;
  requestId?: string;
  tenant?: string;
  action?: string;
  state?: string;
  receiveCount: number;
  sentAt?: string;
  /** Why the body could not be read, when it could not. */
  error?: string;
}

function dlqUrl(ctx: CommandContext): string {
  const url = ctx.stack().profile.queues.dlqUrl;
  if (!url) throw new UsageError('the profile names no DLQ (JobsDlqUrl / JOBS_DLQ_URL)');
  return url;
}

/**
 * Reads the DLQ without consuming it: receives with a zero visibility timeout, round after round,
 * until a round brings nothing new (messages stay on the queue for the next reader).
 */
async function peek(sqs: SQSClient, url: string, max: number): Promise<Message[]> {
  const seen = new Map<string, Message>();
  for (let round = 0; round < 50 && seen.size < max; round++) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const fresh = (out.Messages ?? []).filter((m) => m.MessageId && !seen.has(m.MessageId));
    if (fresh.length === 0) break;
    for (const m of fresh) seen.set(m.MessageId!, m);
  }
  return [...seen.values()].slice(0, max);
}

async function describe(ctx: CommandContext, m: Message): Promise<DlqEntry> {
  const base = {
    messageId: m.MessageId ?? '',
    receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? '0'),
    ...(m.Attributes?.SentTimestamp
      ? { sentAt: new Date(Number(m.Attributes.SentTimestamp)).toISOString() }
      : {}),
  };
  try {
    const job = parseJobMessage(m.Body ?? '');
    const record = await ctx.stack().store.get(job.requestId);
    return {
      ...base,
      requestId: job.requestId,
      tenant: job.tenant,
      action: job.action,
      ...(record ? { state: record.state } : {}),
    };
  } catch (err) {
    return { ...base, error: (err as Error).message };
  }
}

export const dlqListCommand: Command = {
  name: 'dlq list',
  summary: 'list the job messages on the dead-letter queue',
  usage: `Usage: zcops dlq list [--max N]
Lists DLQ messages (without consuming them): message id, request, tenant, action, the request's
state, receives and when it was first sent. --max caps the count (default 100).`,
  options: { max: { type: 'string' } },
  positionals: false,
  async run(ctx, args) {
    const max = typeof args.values.max === 'string' ? Number(args.values.max) : 100;
    if (!Number.isInteger(max) || max < 1) throw new UsageError('--max must be a positive integer');
    const messages = await peek(ctx.stack().aws.sqs, dlqUrl(ctx), max);
    const entries = await Promise.all(messages.map((m) => describe(ctx, m)));
    ctx.print({ count: entries.length, messages: entries }, () =>
      entries.length === 0
        ? '(the DLQ is empty)\n'
        : renderTable(
            entries.map((e) => ({
              message: e.messageId,
              request: e.requestId ?? `(${e.error})`,
              tenant: e.tenant,
              action: e.action,
              state: e.state,
              receives: e.receiveCount,
              sent: e.sentAt,
            })),
            ['message', 'request', 'tenant', 'action', 'state', 'receives', 'sent'],
          ),
    );
    return EXIT.ok;
  },
};

export const dlqRedriveCommand: Command = {
  name: 'dlq redrive',
  summary: 'run dead-lettered requests again (a new request each) and remove their DLQ messages',
  usage: `Usage: zcops dlq redrive (ID... | --all) [--dry-run]
  ID        a DLQ message id or a request id (from zcops dlq list)
  --all     every message on the DLQ
  --dry-run the new requests only plan and audit, no write
For each message: its request is marked DEAD_LETTERED if it was not yet (final: it never runs
again), a NEW request is submitted with the same canonical request under the original source's
policy (idempotency key redrive:<old id>, so redriving twice never runs twice; same ticket, so
'zcops audit --ticket' shows both), then the message is deleted. Messages whose body is not a job
stay on the DLQ and are reported. Exit 3 when an ID is not on the DLQ.`,
  options: { all: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
  positionals: true,
  async run(ctx, args) {
    const wanted = new Set(args.positionals.map((p) => p.toLowerCase()));
    if (!args.values.all && wanted.size === 0) throw new UsageError('give message or request ids, or --all');
    if (args.values.all && wanted.size > 0) throw new UsageError('give ids or --all, not both');
    const stack = ctx.stack();
    const sqs = stack.aws.sqs;
    const url = dlqUrl(ctx);
    // Take the messages for a while, so no other reader handles them meanwhile.
    const taken = new Map<string, Message>();
    for (let round = 0; round < 50; round++) {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 60,
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      const batch = out.Messages ?? [];
      if (batch.length === 0) break;
      for (const m of batch) if (m.MessageId) taken.set(m.MessageId, m);
    }
    const selected: Message[] = [];
    const release: Message[] = [];
    const found = new Set<string>();
    for (const m of taken.values()) {
      let requestId: string | undefined;
      try {
        requestId = parseJobMessage(m.Body ?? '').requestId;
      } catch {
        requestId = undefined;
      }
      const hit =
        args.values.all ||
        wanted.has(m.MessageId!.toLowerCase()) ||
        (requestId !== undefined && wanted.has(requestId));
      if (hit) {
        selected.push(m);
        found.add(m.MessageId!.toLowerCase());
        if (requestId) found.add(requestId);
      } else release.push(m);
    }
    if (release.length > 0) {
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
    }
    const missing = [...wanted].filter((w) => !found.has(w));
    const results: Record<string, unknown>[] = [];
    for (const m of selected) results.push(await redriveOne(ctx, m, url, args.values['dry-run'] === true));
    const failed = results.filter((r) => r.error !== undefined);
    ctx.print({ redriven: results, ...(missing.length ? { notFound: missing } : {}) }, () => {
      const table =
        results.length === 0
          ? '(nothing to redrive)\n'
          : renderTable(results, ['messageId', 'requestId', 'newRequestId', 'state', 'error']);
      return missing.length ? `${table}not on the DLQ: ${missing.join(', ')}\n` : table;
    });
    if (missing.length > 0 && results.length === 0)
      throw new NotFoundError(`not on the DLQ: ${missing.join(', ')}`, { notFound: missing });
    if (failed.length > 0) return EXIT.failure;
    return missing.length > 0 ? EXIT.notFound : EXIT.ok;
  },
};

async function redriveOne(
  ctx: CommandContext,
  m: Message,
  url: string,
  dryRun: boolean,
): Promise<Record<string, unknown>> {
  const stack = ctx.stack();
  const base = { messageId: m.MessageId };
  const drained = await drainDeadLetter(
    { store: stack.store, audit: stack.audit, logger: { debug() {}, info() {}, warn() {}, error() {} } },
    m.Body ?? '',
    'the job message reached the dead-letter queue (found by zcops dlq redrive)',
  );
  if (drained.error || !drained.requestId) return { ...base, error: drained.error ?? 'no request id' };
  const old = await stack.store.get(drained.requestId);
  if (!old)
    return { ...base, requestId: drained.requestId, error: 'the request is not in the requests table' };
  const policy = stack.intake.sources.find((s) => s.name === old.sourceName);
  if (!policy)
    return { ...base, requestId: old.requestId, error: `source ${old.sourceName} is no longer configured` };
  const { source: _source, ...rest } = old.request as Record<string, unknown> & { source: { ref?: string } };
  try {
    const result = await submit(
      {
        ...rest,
        source: old.request.source.ref ? { ref: old.request.source.ref } : {},
        idempotencyKey: `redrive:${old.requestId}`,
        ...(dryRun ? { dryRun: true } : {}),
      },
      { policy },
      submitDepsOf(stack),
      { received: { route: 'cli:dlq-redrive', redriveOf: old.requestId, operator: await stack.operator() } },
    );
    await stack.aws.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle! }));
    return { ...base, requestId: old.requestId, newRequestId: result.requestId, state: result.state };
  } catch (err) {
    const mapped = submitError(err);
    return {
      ...base,
      requestId: old.requestId,
      error: mapped instanceof CliError || mapped instanceof Error ? mapped.message : String(err),
    };
  }
}
