import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS } from '../../local/aws-clients.ts';
import { DynamoAuditLog } from '../../shared/audit/dynamo-audit-log.ts';
import { DynamoRequestStore } from '../../shared/requests/dynamo-request-store.ts';
import type { RequestRecord } from '../../shared/requests/request-record.ts';
import { isFinal, REQUEST_STATES } from '../../shared/requests/state-machine.ts';
import { createDocumentClient } from '../../shared/storage/dynamo.ts';
import { createPrng } from '../../simulator/prng.ts';
import {
  type AnswerSeen,
  type CollectedRequest,
  type CreateRequestSeen,
  checkDeadLetters,
  checkFailuresAudited,
  checkFinalStates,
  checkGuardedDeletions,
  checkIntakeAnswers,
  checkLifecycleCompleted,
  checkNoDuplicateGroups,
  checkRateLimits,
  type Violation,
} from './checks.ts';
import type { ChaosTimings, chaosTimings } from './config.ts';
import { type ChaosFaultRates, chaosFaults, NO_FAULTS } from './faults.ts';
import { startLocalChaosStack } from './local-chaos-stack.ts';
import {
  buildMix,
  type ChaosSubmission,
  mixCounts,
  type PoisonMessage,
  poisonMessages,
  type SubmissionKind,
  seedChaosTenant,
} from './request-mix.ts';
import type { ChaosStack, ChaosStackFactory, ChaosWorker, KillerStats } from './stack.ts';
import { checkTruthfulness, type RequestSeen, type TruthReport } from './truthfulness.ts';
import { snapshotObjects, startOfRun, upstreamOf } from './upstream-view.ts';

export interface ChaosRunOptions {
  /** Submissions in the mix (poison messages come on top). */
  requests: number;
  /** Only these submission kinds besides plain deletions (default: all). */
  kinds?: readonly SubmissionKind[];
  seed?: number;
  /** Time compression of the deployment's timings (see `chaosTimings`). Default 20. */
  scale?: number;
  /** Override single timings (e.g. a shorter lease in the reduced run). */
  timings?: Parameters<typeof chaosTimings>[1];
  /** Fault rates; absent: none. */
  faults?: ChaosFaultRates;
  /** Mean time between SIGKILLs of the worker, ms; 0: never. */
  meanKillIntervalMs?: number;
  /** Stop killing this long after the start (default: kill until every request is final). */
  killForMs?: number;
  /** Stop injecting faults this long after they start (default: until every request is final). */
  faultsForMs?: number;
  /** The simulator stops answering `atMs` after the submissions start, for `durationMs`. */
  outage?: { atMs: number; durationMs: number };
  /** Send the unprocessable messages (default true). */
  poison?: boolean;
  /** Give up waiting for final states after this long, ms. Default 10 minutes. */
  timeLimitMs?: number;
  /** Submissions in flight at once. Default 8. */
  concurrency?: number;
  /** Progress lines. */
  log?: (line: string) => void;
  /** The stack the run drives (default: the local stack, `startLocalChaosStack`). */
  stack?: ChaosStackFactory;
}

/** Per submission kind: how many, the final states they came to, and how many of those were untruthful. */
export type KindOutcome = Record<string, number> & { submitted: number; untruthful?: number };

/** What a chaos run came to. */
export interface ChaosReport {
  /** Submissions sent (duplicates included). */
  requests: number;
  /** Distinct requests the intake accepted. */
  accepted: number;
  final: Record<string, number>;
  byKind: Record<string, KindOutcome>;
  violations: Violation[];
  /** Settled requests whose claimed outcome contradicts the simulator (see truthfulness.ts). */
  truthfulness: TruthReport;
  killer: KillerStats;
  /** Zscaler calls the simulator served, and the faults it injected by kind. */
  calls: { total: number; faults: Record<string, number> };
  /** Why requests did not succeed: `STATE code` → count. */
  reasons: Record<string, number>;
  /** Deferrals and attempts over all requests. */
  deferrals: number;
  attempts: number;
  dlq: number;
  durationMs: number;
  timings: ChaosTimings;
}

/**
 * One chaos run against a stack (`options.stack`: the local stack by default, or the deployed shape):
 * starts it (simulator with faults; the local stack time-compressed), with a worker that is SIGKILLed
 * mid-batch now and then, seeds the tenant, sends the
 * mix and the poison messages, waits until every accepted request is final and the DLQ holds the
 * poison, then reads the simulator's state and call log, the tables and the DLQ and runs the checks.
 *
 * @example
 * const report = await runChaos({ requests: 1000, faults: ISSUE_FAULT_RATES, meanKillIntervalMs: 5000, log: console.log });
 * report.violations; // [] when every check holds
 */
export async function runChaos(options: ChaosRunOptions): Promise<ChaosReport> {
  const started = Date.now();
  const seed = options.seed ?? 42;
  const log = options.log ?? (() => {});
  let stack: ChaosStack | undefined;
  let killer: ChaosWorker | undefined;
  try {
    stack = await (options.stack ?? startLocalChaosStack)({
      seed,
      scale: options.scale ?? 20,
      ...(options.timings ? { timings: options.timings } : {}),
      meanKillIntervalMs: options.meanKillIntervalMs ?? 0,
      log,
    });
    const s = stack;
    const sim = s.simulator;
    const timings = s.timings;

    const counts = mixCounts(options.requests, options.kinds);
    const world = seedChaosTenant(sim.state, counts, seed);
    const atStart = startOfRun(sim.state);
    const mix = buildMix(world.pools, world, {
      requests: options.requests,
      seed,
      ...(options.kinds ? { kinds: options.kinds } : {}),
    });
    const poison = options.poison === false ? [] : poisonMessages();
    log(
      `[chaos] ${s.shape} stack up (scale ×${timings.scale}: worker timeout ${timings.timeoutSeconds} s, lease ${timings.leaseSeconds} s, visibility ${timings.visibilitySeconds} s); ${mix.length} submissions, ${poison.length} poison messages`,
    );

    killer = s.worker;
    await killer.start();
    if (options.killForMs !== undefined) {
      const k = killer;
      setTimeout(() => k.setMeanKillInterval(0), options.killForMs).unref();
    }
    if (options.faults) sim.setFaults(chaosFaults(options.faults, seed));
    if (options.faults && options.faultsForMs !== undefined) {
      setTimeout(() => {
        sim.setFaults(NO_FAULTS);
        log(`[chaos] ${secs(started)} s: faults off, the run drains`);
      }, options.faultsForMs).unref();
    }

    for (const p of poison) {
      await s.sqs.send(new SendMessageCommand({ QueueUrl: s.queues.jobsUrl, MessageBody: p.body }));
    }

    const doc = createDocumentClient({
      region: s.region,
      endpoint: s.endpoints.dynamodb,
      credentials: LOCAL_CREDENTIALS,
    });
    const store = new DynamoRequestStore(doc, s.tables.requests);
    const audit = new DynamoAuditLog(doc, s.tables.audit);

    // ---- outage (from `atMs` after the submissions start) ----
    const outageDone = (async () => {
      if (!options.outage) return;
      const { atMs, durationMs } = options.outage;
      await sleep(atMs);
      log(`[chaos] ${secs(started)} s: the simulator stops answering for ${durationMs / 1000} s`);
      sim.setOutage(true);
      await sleep(durationMs);
      sim.setOutage(false);
      log(`[chaos] ${secs(started)} s: the simulator answers again`);
    })();

    // ---- submit ----
    const answers: (AnswerSeen & { kind: SubmissionKind })[] = [];
    const disconnectedAt = new Map<string, number>();
    const teardownOf = new Map<string, string>();
    const firstAnswer = new Map<Record<string, unknown>, string>();
    const rnd = createPrng(seed + 5);
    const pending = new Set<Promise<void>>();
    const submitOne = async (sub: ChaosSubmission, index: number) => {
      const label = `#${index} ${sub.kind}`;
      if (sub.via === 'terminate') {
        const result = await s.terminate(sub.instanceId);
        const ok = result.outcome === 'accepted' || result.outcome === 'duplicate';
        answers.push({
          label,
          kind: sub.kind,
          status: ok ? 202 : 400,
          ...(result.requestId ? { requestId: result.requestId } : {}),
        });
        if (result.requestId) teardownOf.set(result.requestId, sub.instanceId);
        // The instance goes down a moment later, as Auto Scaling terminates it after the hook fires.
        const delay = rnd.int(200, 2_000);
        setTimeout(() => {
          if (sim.state.connectors.has(sub.connectorId)) {
            sim.state.setConnectorStatus(sub.connectorId, 'DISCONNECTED');
            disconnectedAt.set(sub.connectorId, Date.now());
          }
        }, delay).unref();
        return;
      }
      const res = await fetch(`${s.url}${sub.route}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${s.token(sub.source)}`,
          'x-zcops-source': sub.source,
          'content-type': 'application/json',
        },
        body: JSON.stringify(sub.body),
      });
      const body = (await res.json().catch(() => ({}))) as { requestId?: string; issues?: unknown };
      if (res.status >= 300)
        log(`[chaos] ${label} answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
      const original = sub.kind === 'duplicate' ? firstAnswer.get(sub.body) : undefined;
      if (sub.kind !== 'duplicate' && body.requestId) firstAnswer.set(sub.body, body.requestId);
      answers.push({
        label,
        kind: sub.kind,
        status: res.status,
        ...(body.requestId ? { requestId: body.requestId } : {}),
        ...(original ? { originalRequestId: original } : {}),
      });
    };
    const concurrency = options.concurrency ?? 8;
    let lastProgress = Date.now();
    for (const [i, sub] of mix.entries()) {
      // A duplicate is sent only once its original was answered (it names the same request).
      if (sub.kind === 'duplicate') while (pending.size > 0 && !isAnswered(sub)) await Promise.race(pending);
      while (pending.size >= concurrency) await Promise.race(pending);
      const p = submitOne(sub, i)
        .catch((err) => {
          answers.push({ label: `#${i} ${sub.kind}`, kind: sub.kind, status: 0 });
          log(`[chaos] submission #${i} failed: ${(err as Error).message}`);
        })
        .finally(() => pending.delete(p));
      pending.add(p);
      if (Date.now() - lastProgress > 5_000) {
        lastProgress = Date.now();
        log(`[chaos] ${secs(started)} s: submitted ${i + 1}/${mix.length}`);
      }
    }
    await Promise.all(pending);
    function isAnswered(sub: ChaosSubmission): boolean {
      return sub.via === 'http' && firstAnswer.has(sub.body);
    }
    const accepted = [
      ...new Set(
        answers
          .filter((a) => a.status === 202 || a.status === 200)
          .map((a) => a.requestId)
          .filter((id): id is string => !!id),
      ),
    ];
    log(
      `[chaos] ${secs(started)} s: all ${mix.length} submitted, ${accepted.length} distinct requests accepted`,
    );

    await outageDone;

    // ---- wait for final states and the DLQ ----
    const limit = started + (options.timeLimitMs ?? 600_000);
    const records = new Map<string, RequestRecord>();
    let open = accepted.slice();
    let dlqCount = 0;
    for (;;) {
      const still: string[] = [];
      for (const id of open) {
        const r = await store.get(id);
        if (r) records.set(id, r);
        if (!r || !isFinal(r.state)) still.push(id);
      }
      open = still;
      dlqCount = await queueDepth(s, s.queues.dlqUrl);
      // The last few requests are left alone: a kill every few seconds would otherwise starve them
      // (each kill costs a request its run lease) and the run would never end.
      if (open.length <= Math.max(3, accepted.length * 0.03)) killer.setMeanKillInterval(0);
      const done = open.length === 0 && dlqCount >= poison.length;
      if (done || Date.now() > limit) break;
      if (Date.now() - lastProgress > 5_000) {
        lastProgress = Date.now();
        log(
          `[chaos] ${secs(started)} s: ${accepted.length - open.length}/${accepted.length} final (${stateCounts(records)}), DLQ ${dlqCount}/${poison.length}, worker kills ${killer.stats.killedMidBatch}, calls ${sim.callLog.length}`,
        );
      }
      await sleep(1_000);
    }
    // Everything after this is reading: no more faults or kills.
    killer.setMeanKillInterval(0);
    const killerStats = await killer.stop();
    killer = undefined;
    sim.setFaults(NO_FAULTS);

    // ---- collect ----
    const collected: CollectedRequest[] = [];
    for (const id of accepted) {
      const r = await store.get(id);
      const events = await audit.byRequest(id, { limit: 5000 });
      collected.push({
        requestId: id,
        state: r?.state ?? 'MISSING',
        ...(r?.action ? { action: r.action } : {}),
        ...(r?.error ? { error: r.error } : {}),
        events: events.map((e) => ({ type: e.type, ...(e.detail ? { detail: e.detail } : {}) })),
      });
      if (r) records.set(id, r);
      if (r?.state === 'FAILED' || r?.state === 'DEAD_LETTERED') {
        // The trail of each failure, for diagnosis: what the runs saw, in order.
        const trail = events
          .map((e) => `${e.type}${e.detail ? ` ${JSON.stringify(e.detail).slice(0, 400)}` : ''}`)
          .join('\n    ');
        log(`[chaos] ${r.state} ${id} ${r.action}: ${r.error?.message ?? ''}\n    ${trail}`);
      }
    }
    const dlqBodies = await drainQueue(s, s.queues.dlqUrl);
    const callLog = sim.callLog.slice();

    // ---- checks ----
    const groups = [
      ...[...sim.state.appConnectorGroups.values()].map((g) => ({
        kind: 'appConnectorGroup' as const,
        name: g.name,
      })),
      ...[...sim.state.pccGroups.values()].map((g) => ({ kind: 'pccGroup' as const, name: g.name })),
    ];
    const applied = (e: (typeof callLog)[number]) =>
      e.status === 201 || e.fault === 'appliedThenError' || e.fault === 'appliedThenTimeout';
    const appliedPosts = {
      appConnectorGroup: callLog.filter(
        (e) => e.method === 'POST' && /\/appConnectorGroup$/.test(e.path) && applied(e),
      ).length,
      pccGroup: callLog.filter(
        (e) => e.method === 'POST' && /\/privateCloudControllerGroup$/.test(e.path) && applied(e),
      ).length,
    };
    const createRequests: CreateRequestSeen[] = [];
    for (const r of records.values()) {
      if (r.action !== 'appConnectorGroup.create' && r.action !== 'pccGroup.create') continue;
      createRequests.push({
        requestId: r.requestId,
        kind: r.action === 'pccGroup.create' ? 'pccGroup' : 'appConnectorGroup',
        name: String((r.request as { group?: { name?: string } }).group?.name ?? ''),
        state: r.state,
        ...(r.error ? { error: r.error } : {}),
      });
    }
    const deletedAt = new Map<string, number>();
    for (const e of callLog) {
      const m = /\/connector\/(\d+)$/.exec(e.path);
      if (e.method === 'DELETE' && m?.[1] && (e.status === 204 || e.fault?.startsWith('applied'))) {
        if (!deletedAt.has(m[1])) deletedAt.set(m[1], e.at);
      }
    }
    const completed = await s.completedLifecycles();
    const violations: Violation[] = [
      ...checkIntakeAnswers(answers),
      ...checkFinalStates(collected),
      ...checkNoDuplicateGroups({
        groups,
        appliedPosts,
        namesAtStart: world.groupNamesAtStart,
        requests: createRequests,
      }),
      ...checkGuardedDeletions({
        protectedIds: world.protectedIds,
        connectedIds: world.connectedIds,
        forcedIds: world.forcedIds,
        remaining: new Set(sim.state.connectors.keys()),
        disconnectedAt,
        deletedAt,
      }),
      ...checkRateLimits(callLog, sim.effectiveLimits()),
      ...checkFailuresAudited(collected),
      ...checkDeadLetters({
        dlqBodies,
        poisonBodies: poison.map((p: PoisonMessage) => p.body),
        deadLettered: collected
          .filter((c) => c.state === 'DEAD_LETTERED')
          .map((c) => ({ requestId: c.requestId, ...(c.error ? { reason: c.error.message } : {}) })),
      }),
      ...checkLifecycleCompleted(
        [...teardownOf].map(([requestId, instanceId]) => ({
          requestId,
          instanceId,
          state: records.get(requestId)?.state ?? 'MISSING',
        })),
        completed,
      ),
      ...(s.extraChecks?.() ?? []),
    ];

    const settled: RequestSeen[] = [...records.values()].map((r) => ({
      requestId: r.requestId,
      action: r.action,
      state: r.state,
      request: r.request as unknown as Record<string, unknown>,
      ...(r.result ? { result: r.result } : {}),
      ...(r.error ? { error: r.error } : {}),
    }));
    const truthfulness = checkTruthfulness(settled, upstreamOf(sim.state, callLog), {
      ...atStart,
      teardownConnectors: new Map(world.teardown.map((t) => [t.instanceId, t.connectorId])),
      objects: await snapshotObjects(s.s3, s.bucket, settled),
    });
    for (const u of truthfulness.untruthful) {
      log(`[chaos] untruthful ${u.requestId} ${u.action} ${u.claim} | simulator: ${u.upstream}`);
    }

    // ---- report ----
    const final: Record<string, number> = {};
    for (const c of collected) final[c.state] = (final[c.state] ?? 0) + 1;
    const byKind: Record<string, KindOutcome> = {};
    const untruthfulIds = new Set(truthfulness.untruthful.map((u) => u.requestId));
    for (const a of answers) {
      const k = byKind[a.kind] ?? ({ submitted: 0 } as KindOutcome);
      byKind[a.kind] = k;
      k.submitted++;
      if (!a.requestId) {
        k[`HTTP ${a.status}`] = (k[`HTTP ${a.status}`] ?? 0) + 1;
        continue;
      }
      const state = records.get(a.requestId)?.state ?? 'MISSING';
      k[state] = (k[state] ?? 0) + 1;
      // A resubmission names its original request, whose own row counts it.
      if (a.kind !== 'duplicate' && untruthfulIds.has(a.requestId)) k.untruthful = (k.untruthful ?? 0) + 1;
    }
    const faults: Record<string, number> = {};
    for (const e of callLog) if (e.fault) faults[e.fault] = (faults[e.fault] ?? 0) + 1;
    let deferrals = 0;
    let attempts = 0;
    const reasons: Record<string, number> = {};
    for (const r of records.values()) {
      if (r.state !== 'SUCCEEDED') {
        const key = `${r.state} ${r.error?.code ?? r.stateReason ?? ''}`.trim();
        if (reasons[key] === undefined) log(`[chaos] first ${key}: ${r.action} ${r.error?.message ?? ''}`);
        reasons[key] = (reasons[key] ?? 0) + 1;
      }
      deferrals += r.deferrals;
      attempts += r.attempts;
    }
    return {
      requests: mix.length,
      accepted: accepted.length,
      final,
      byKind,
      violations,
      truthfulness,
      killer: killerStats,
      calls: { total: callLog.length, faults },
      reasons,
      deferrals,
      attempts,
      dlq: dlqBodies.length,
      durationMs: Date.now() - started,
      timings,
    };
  } finally {
    await killer?.stop().catch(() => {});
    await stack?.stop().catch(() => {});
  }
}

/** The state names in table order. */
export const STATE_ORDER = [...REQUEST_STATES, 'MISSING'] as const;

function stateCounts(records: Map<string, RequestRecord>): string {
  const counts: Record<string, number> = {};
  for (const r of records.values()) counts[r.state] = (counts[r.state] ?? 0) + 1;
  return Object.entries(counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

async function queueDepth(s: ChaosStack, url: string): Promise<number> {
  const out = await s.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

/** Reads (and deletes) every message of a queue. */
async function drainQueue(s: ChaosStack, url: string): Promise<string[]> {
  const bodies: string[] = [];
  for (let empty = 0; empty < 2; ) {
    const out = await s.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 60,
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) {
      empty++;
      continue;
    }
    for (const m of messages) bodies.push(m.Body ?? '');
    await s.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
  return bodies;
}

const secs = (since: number) => Math.round((Date.now() - since) / 1000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
