import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { systemClock } from '../../shared/core/clock.ts';
import { submitDepsOf as intakeSubmitDeps } from '../../shared/intake/acceptance.ts';
import {
  IdempotencyConflictError,
  IntakeUnavailableError,
  PolicyDeniedError,
  RequestValidationError,
  SubmissionInProgressError,
} from '../../shared/requests/errors.ts';
import { type SubmitDeps, submit } from '../../shared/requests/submit.ts';
import type { Command, CommandArgs } from '../command.ts';
import type { CommandContext } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';
import { exitCodeOf, loadRequest, renderRequest, requestJson, waitForSettled } from '../request-view.ts';
import type { StackAccess } from '../stack-access.ts';

/** Flags that build a request without a file: flag name → canonical field. */
const FIELD_FLAGS = {
  action: { type: 'string' },
  tenant: { type: 'string' },
  reason: { type: 'string' },
  ticket: { type: 'string' },
  'idempotency-key': { type: 'string' },
  'connector-id': { type: 'string' },
  'connector-name': { type: 'string' },
  'private-ip': { type: 'string' },
  'group-id': { type: 'string' },
  ids: { type: 'string' },
  'disconnected-for': { type: 'string' },
  'vm-group-id': { type: 'string' },
  'vm-id': { type: 'string' },
  'instance-id': { type: 'string' },
  'microtenant-id': { type: 'string' },
} as const;

export const submitCommand: Command = {
  name: 'submit',
  summary: 'submit a request (from a file, stdin or flags) through the intake as the cli source',
  usage: `Usage: zcops submit [FILE | -] [flags]
  FILE                 a canonical request as JSON ('-' reads stdin); flags below override its fields
  --action A           appConnector.delete | appConnector.bulkDelete | appConnector.cleanup | ecVm.delete |
                       inventory.snapshot | appConnectorGroup.create | pccGroup.create | appConnector.teardown
  --tenant T  --reason R  --ticket REF  --idempotency-key K
  --connector-id ID | --connector-name NAME | --private-ip IP --group-id ID   (appConnector.delete)
  --ids ID,ID,...  [--group-id ID]                                           (appConnector.bulkDelete)
  --disconnected-for 15d  [--group-id ID]                                    (appConnector.cleanup)
  --vm-group-id N --vm-id N | --instance-id ID                               (ecVm.delete)
  --microtenant-id ID
  --dry-run            plan and audit the exact calls, make no write
  --force              allow deleting a connected App Connector (the source must allow it)
  --source NAME        the configured source to submit as (default: the only source of kind cli)
  --wait               wait until the request settles; exit 4 if it ends FAILED/REJECTED/DEAD_LETTERED
  --timeout SECONDS    with --wait (default 120); exit 6 when it is still running

The request goes through the same submit() as the webhook: validated, authorised against the
source's policy, deduped, recorded, audited and queued. Only ITSM sources may create groups.

Examples:
  zcops submit --action appConnector.delete --tenant acme --connector-id 72057615512764537 --reason "decommission"
  zcops submit request.json --wait
  cat request.json | zcops submit - --dry-run`,
  options: {
    ...FIELD_FLAGS,
    'dry-run': { type: 'boolean' },
    force: { type: 'boolean' },
    source: { type: 'string' },
    wait: { type: 'boolean' },
    timeout: { type: 'string' },
  },
  positionals: true,
  async run(ctx, args) {
    if (args.positionals.length > 1) throw new UsageError('submit takes at most one FILE (or - for stdin)');
    const draft = await buildDraft(ctx, args);
    const stack = ctx.stack();
    const policy = stack.cliSource(str(args.values.source));
    const timeoutMs = seconds(args.values.timeout, 120) * 1000;
    let result: Awaited<ReturnType<typeof submit>>;
    try {
      result = await submit(draft, { policy }, submitDepsOf(stack), {
        received: { route: 'cli', operator: await stack.operator() },
      });
    } catch (err) {
      throw submitError(err);
    }
    if (!args.values.wait) {
      ctx.print(
        { requestId: result.requestId, state: result.state, outcome: result.outcome },
        () =>
          `${result.outcome === 'duplicate' ? 'duplicate of' : 'submitted'} request ${result.requestId}: ${result.state}\n` +
          `follow it with: zcops status ${result.requestId}\n`,
      );
      return EXIT.ok;
    }
    ctx.note(`request ${result.requestId} ${result.state}; waiting…`);
    const waited = await waitForSettled(stack.store, result.requestId, { timeoutMs, signal: ctx.io.signal });
    const loaded = await loadRequest(stack.store, stack.audit, result.requestId);
    if (!loaded) throw new CliError(`request ${result.requestId} disappeared`);
    ctx.print(
      { ...requestJson(loaded.record, loaded.trail), outcome: result.outcome, settled: waited.settled },
      () => renderRequest(loaded.record, loaded.trail),
    );
    if (!waited.settled) return EXIT.timeout;
    return exitCodeOf(loaded.record.state);
  },
};

/** The request to submit: the file (or stdin), then the field flags on top. */
async function buildDraft(ctx: CommandContext, args: CommandArgs): Promise<Record<string, unknown>> {
  const v = args.values;
  const file = args.positionals[0];
  let draft: Record<string, unknown> = {};
  if (file !== undefined) {
    const origin = file === '-' ? 'stdin' : file;
    let text: string;
    try {
      text =
        file === '-'
          ? await ctx.io.readStdin()
          : readFileSync(isAbsolute(file) ? file : join(ctx.io.cwd, file), 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UsageError(`${origin}: ${code === 'ENOENT' ? 'file not found' : (err as Error).message}`);
    }
    if (text.trim() === '') throw new UsageError(`${origin}: empty; expected a JSON request`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new UsageError(`${origin}: not valid JSON (${(err as Error).message})`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new UsageError(
        `${origin}: the request must be a JSON object such as {"action": "...", "tenant": "...", ...}`,
      );
    }
    draft = parsed as Record<string, unknown>;
  }
  const set = (key: string, value: unknown) => {
    if (value !== undefined) draft[key] = value;
  };
  set('action', str(v.action));
  set('tenant', str(v.tenant));
  set('reason', str(v.reason));
  set('idempotencyKey', str(v['idempotency-key']));
  set('microtenantId', str(v['microtenant-id']));
  if (v['dry-run']) draft.dryRun = true;
  if (v.force) draft.force = true;
  const ticket = str(v.ticket);
  const source =
    draft.source && typeof draft.source === 'object' ? (draft.source as Record<string, unknown>) : {};
  if (ticket !== undefined) draft.source = { ...source, ref: ticket };
  const connectorId = str(v['connector-id']);
  const connectorName = str(v['connector-name']);
  const privateIp = str(v['private-ip']);
  const groupId = str(v['group-id']);
  if (connectorId ?? connectorName ?? privateIp) {
    draft.connector = {
      ...(connectorId ? { id: connectorId } : {}),
      ...(connectorName ? { name: connectorName } : {}),
      ...(privateIp ? { privateIp } : {}),
      ...(groupId ? { groupId } : {}),
    };
  } else set('groupId', groupId);
  const ids = str(v.ids);
  if (ids !== undefined)
    draft.ids = ids
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  set('disconnectedFor', str(v['disconnected-for']));
  const vmGroupId = str(v['vm-group-id']);
  const vmId = str(v['vm-id']);
  const instanceId = str(v['instance-id']);
  if (vmGroupId ?? vmId) draft.vm = { groupId: num(vmGroupId, 'vm-group-id'), vmId: num(vmId, 'vm-id') };
  else if (instanceId !== undefined) {
    if (draft.action === 'appConnector.teardown') draft.instanceId = instanceId;
    else draft.vm = { instanceId };
  }
  if (draft.requestedBy === undefined) draft.requestedBy = (await ctx.stack().operator()).slice(0, 200);
  if (Object.keys(draft).length <= 1) {
    throw new UsageError(
      'nothing to submit: give a FILE, - for stdin, or --action with its fields (zcops submit --help)',
    );
  }
  return draft;
}

/**
 * What `submit` needs from the stack the CLI talks to (the system clock, the configured tenants, and
 * the intake's idempotency lease and key retention, so every CLI path dedupes as the webhook does).
 *
 * @example
 * const result = await submit(draft, { policy }, submitDepsOf(ctx.stack()), { received: { route: 'cli' } });
 */
export function submitDepsOf(stack: StackAccess): SubmitDeps {
  const { store, audit, queue, logger } = stack;
  return intakeSubmitDeps({ config: stack.intake, store, audit, queue, logger, clock: systemClock });
}

/** Maps the intake's typed errors onto CLI errors with exit codes and the issues. */
export function submitError(err: unknown): Error {
  if (err instanceof RequestValidationError) {
    const lines = err.issues.map((i) => `  ${i.path}: ${i.message}`);
    return new UsageError(`the request is invalid:\n${lines.join('\n')}`, {
      issues: err.issues,
      ...(err.requestId ? { requestId: err.requestId } : {}),
    });
  }
  if (err instanceof PolicyDeniedError) {
    return new CliError(`refused by the source's policy: ${err.message}`, EXIT.requestFailed, {
      rule: err.rule,
      ...(err.requestId ? { requestId: err.requestId } : {}),
    });
  }
  if (err instanceof IdempotencyConflictError) {
    return new CliError(err.message, EXIT.requestFailed, { originalRequestId: err.originalRequestId });
  }
  if (err instanceof SubmissionInProgressError) {
    return new CliError(`${err.message}; retry in ${err.retryAfterSeconds} s`, EXIT.failure, {
      originalRequestId: err.originalRequestId,
    });
  }
  if (err instanceof IntakeUnavailableError) return new CliError(err.message, EXIT.unavailable);
  return err instanceof Error ? err : new Error(String(err));
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${flag} must be a number`);
  return Number(v);
}

export function seconds(v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0) {
    throw new UsageError('--timeout must be a positive number of seconds');
  }
  return Number(v);
}
