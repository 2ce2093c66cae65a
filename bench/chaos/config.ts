import { parseConfig, type ZcopsConfig } from '../../infra/config.ts';
import {
  LOCAL_ASG_GROUP_ID,
  LOCAL_ASG_NAME,
  LOCAL_SECRET_NAMES,
  LOCAL_TENANT,
  onSimulator,
} from '../../local/local-config.ts';
import { SIMULATOR_CREDENTIALS } from '../../simulator/index.ts';

/**
 * The deployment's timings, compressed by `scale` so a chaos run of minutes covers what would take
 * hours: the worker's timeout (120 s deployed), its run lease (900 s), the client's HTTP timeouts and
 * back-off, the worker's deferral steps, the simulator's windows, sessions and tokens, and the
 * limiter's windows. Ratios between them stay as deployed, except the queue's visibility timeout
 * (deployed: 6 × the timeout), which is shortened to `visibilityFactor` × the timeout so redeliveries
 * after a crash come back within the run.
 */
export interface ChaosTimings {
  /** Time compression (simulator `timeScale`, limiter `timeScale`, every timing divided by it). */
  scale: number;
  /** The worker's invocation timeout, seconds (integer). */
  timeoutSeconds: number;
  /** A run's lease on its request, seconds. */
  leaseSeconds: number;
  /** The jobs queue's visibility timeout, seconds. */
  visibilitySeconds: number;
  /** Receives before SQS moves a message to the DLQ. */
  maxReceiveCount: number;
  /** Deferral steps, whole seconds (SQS delays are whole seconds, at least 1). */
  editLockDelaySeconds: number;
  transientDelaySeconds: number;
  pollIntervalSeconds: number;
  activationQuietSeconds: number;
  teardownGraceSeconds: number;
  /** Window of coalesced App Connector deletions, ms. */
  deletionWindowMs: number;
  /** Longest limiter wait slept inside the worker, ms. */
  maxSleepMs: number;
  /** The Zscaler client's HTTP and retry timings, ms. */
  client: {
    connectTimeoutMs: number;
    headersTimeoutMs: number;
    bodyTimeoutMs: number;
    baseDelayMs: number;
    maxDelayMs: number;
    maxTotalWaitMs: number;
  };
}

/** Deployed values (infra/defaults.ts, shared/config/worker.ts, shared/zscaler/http/*). */
const DEPLOYED = {
  timeoutSeconds: 120,
  leaseSeconds: 900,
  editLockDelaySeconds: 30,
  transientDelaySeconds: 60,
  pollIntervalSeconds: 60,
  activationQuietSeconds: 90,
  teardownGraceSeconds: 900,
  deletionWindowMs: 2_000,
  maxSleepMs: 5_000,
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 30_000,
  bodyTimeoutMs: 30_000,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxTotalWaitMs: 10_000,
} as const;

/**
 * The deployment's timings divided by `scale` (see `ChaosTimings`).
 *
 * @example
 * chaosTimings(20); // timeout 6 s, lease 45 s, visibility 12 s, headers timeout 1.5 s
 */
export function chaosTimings(
  scale: number,
  overrides: Partial<Omit<ChaosTimings, 'scale' | 'client'>> & { visibilityFactor?: number } = {},
): ChaosTimings {
  const s = (seconds: number) => Math.max(1, Math.round(seconds / scale));
  const ms = (v: number) => Math.max(1, Math.round(v / scale));
  const timeoutSeconds = overrides.timeoutSeconds ?? s(DEPLOYED.timeoutSeconds);
  const { visibilityFactor = 2, ...rest } = overrides;
  return {
    scale,
    timeoutSeconds,
    leaseSeconds: Math.max(timeoutSeconds, s(DEPLOYED.leaseSeconds)),
    visibilitySeconds: Math.ceil(timeoutSeconds * visibilityFactor),
    maxReceiveCount: 5,
    editLockDelaySeconds: s(DEPLOYED.editLockDelaySeconds),
    transientDelaySeconds: s(DEPLOYED.transientDelaySeconds),
    pollIntervalSeconds: s(DEPLOYED.pollIntervalSeconds),
    activationQuietSeconds: s(DEPLOYED.activationQuietSeconds),
    teardownGraceSeconds: s(DEPLOYED.teardownGraceSeconds),
    deletionWindowMs: ms(DEPLOYED.deletionWindowMs),
    maxSleepMs: ms(DEPLOYED.maxSleepMs),
    client: {
      connectTimeoutMs: ms(DEPLOYED.connectTimeoutMs),
      headersTimeoutMs: ms(DEPLOYED.headersTimeoutMs),
      bodyTimeoutMs: ms(DEPLOYED.bodyTimeoutMs),
      baseDelayMs: ms(DEPLOYED.baseDelayMs),
      maxDelayMs: ms(DEPLOYED.maxDelayMs),
      maxTotalWaitMs: ms(DEPLOYED.maxTotalWaitMs),
    },
    ...rest,
  };
}

/** Source names of the chaos configuration. */
export const CHAOS_SOURCES = {
  itsm: 'servicenow',
  api: 'api',
  cli: 'cli',
  autoscaling: 'aws-asg',
} as const;

/**
 * The configuration of a chaos run: the local stack's tenant on the simulator, an ITSM source that
 * creates groups and deletes connectors, an API source that deletes (no force), the CLI source that
 * may force, the autoscaling binding, and the worker's timings from `timings`. The deletion cap is
 * lifted (a chaos run deletes hundreds of connectors in minutes; HELD is not what it tests).
 *
 * @example
 * const config = chaosConfig(simulatorUrl, chaosTimings(20));
 */
export function chaosConfig(simulatorUrl: string, t: ChaosTimings): ZcopsConfig {
  const parsed = parseConfig(chaosConfigInput(simulatorUrl), 'chaos configuration');
  // A deployment refuses a time scale other than 1 and timeouts under 10 s; the chaos run compresses
  // every timing on purpose, so they are set after validation (the worker validates its own keys).
  return {
    ...parsed,
    worker: {
      ...parsed.worker,
      timeoutSeconds: t.timeoutSeconds,
      leaseSeconds: t.leaseSeconds,
      maxReceiveCount: t.maxReceiveCount,
      maxSleepMs: t.maxSleepMs,
      editLockDelaySeconds: t.editLockDelaySeconds,
      transientDelaySeconds: t.transientDelaySeconds,
      pollIntervalSeconds: t.pollIntervalSeconds,
      activationQuietSeconds: t.activationQuietSeconds,
      teardownGraceSeconds: t.teardownGraceSeconds,
      deletionWindowMs: t.deletionWindowMs,
    },
    // Compressing time shrinks the limiter's safety margin with it (3 % of ZTW's 1 s activate window is
    // 30 ms deployed, 1.5 ms at ×20), below this machine's event-loop and loopback jitter, while jitter
    // does not shrink. A wider relative margin keeps the margin in real milliseconds comparable.
    rateLimits: {
      ...parsed.rateLimits,
      timeScale: t.scale,
      margin: Math.max(parsed.rateLimits.margin ?? 0, 0.5),
    },
  };
}

/** The chaos configuration as written (before validation), with the local stack's tenant on `simulatorUrl`. */
function chaosConfigInput(simulatorUrl: string): Record<string, unknown> {
  return {
    stack: { name: 'ZcopsChaos' },
    tenants: [
      {
        name: LOCAL_TENANT,
        zpa: {
          cloud: 'PRODUCTION',
          customerId: SIMULATOR_CREDENTIALS.zpa.customerId,
          baseUrl: simulatorUrl,
        },
        ztw: { cloud: 'zscalertwo.net', baseUrl: simulatorUrl },
        secretName: LOCAL_SECRET_NAMES.tenant,
      },
    ],
    snapshotSchedules: [],
    sources: [
      {
        name: CHAOS_SOURCES.itsm,
        kind: 'itsm',
        secretName: LOCAL_SECRET_NAMES.servicenow,
        allowedActions: ['appConnectorGroup.create', 'pccGroup.create', 'appConnector.delete'],
        allowedTenants: [LOCAL_TENANT],
        itsm: { system: 'servicenow' },
      },
      {
        name: CHAOS_SOURCES.api,
        kind: 'api',
        secretName: LOCAL_SECRET_NAMES.api,
        allowedActions: [
          'appConnector.delete',
          'appConnector.bulkDelete',
          'appConnector.cleanup',
          'ecVm.delete',
          'inventory.snapshot',
        ],
        allowedTenants: ['*'],
      },
      {
        name: CHAOS_SOURCES.cli,
        kind: 'cli',
        secretName: LOCAL_SECRET_NAMES.cli,
        allowedActions: ['appConnector.delete', 'appConnector.bulkDelete'],
        allowedTenants: ['*'],
        mayForce: true,
      },
      {
        name: CHAOS_SOURCES.autoscaling,
        kind: 'autoscaling',
        allowedActions: ['appConnector.teardown'],
        allowedTenants: [LOCAL_TENANT],
        allowedGroups: [LOCAL_ASG_GROUP_ID],
        asgNames: [LOCAL_ASG_NAME],
      },
    ],
    worker: { maxConcurrency: 2, batchSize: 5 },
    guardrails: { deletionsPerHour: 1_000_000 },
    logLevel: 'ERROR',
  };
}

/**
 * The deployed shape's chaos timings: nothing is compressed (a deployment accepts no time scale), so
 * the run is bounded by short but deployable settings instead. A Zscaler call's worst case (1 s
 * timeouts × 3 attempts + the client's fixed 10 s back-off cap + a 3 s limiter sleep = 16 s) must
 * stay under the worker's timeout (17 s); the lease is the timeout; the queue hides a message for
 * 6 × the timeout (102 s, as the template derives it); deferral steps of a few seconds. The limiter
 * sleep must span several intervals of the real ZPA read budget (518 ms): at 0.5 s every second read
 * of a job deferred it, and jobs that need a run of reads (bulk deletions) never finished. 3 receives
 * before the DLQ, as the local reduced run (each poison message costs maxReceiveCount × visibility
 * to reach it, about 4 minutes).
 */
export function deployedChaosTimings(): ChaosTimings {
  const timeoutSeconds = 17;
  return {
    scale: 1,
    timeoutSeconds,
    leaseSeconds: timeoutSeconds,
    visibilitySeconds: 6 * timeoutSeconds,
    maxReceiveCount: 3,
    editLockDelaySeconds: 2,
    transientDelaySeconds: 3,
    pollIntervalSeconds: 2,
    activationQuietSeconds: 2,
    teardownGraceSeconds: 45,
    maxSleepMs: 3_000,
    // As deployed (not compressed): the default window.
    deletionWindowMs: 2_000,
    // What the bundled worker builds from `zscalerTimeoutSeconds: 1` and the client's defaults.
    client: {
      connectTimeoutMs: 1_000,
      headersTimeoutMs: 1_000,
      bodyTimeoutMs: 1_000,
      baseDelayMs: 500,
      maxDelayMs: 8_000,
      maxTotalWaitMs: 10_000,
    },
  };
}

/**
 * The chaos configuration as a deployment takes it (it passes `parseConfig`, as `cdk deploy` would):
 * the same tenant, sources, guardrails and worker concurrency as `chaosConfig`, the timings of
 * `deployedChaosTimings` inside the configuration, no time scale and the default margins.
 *
 * @example
 * startDeployedStack({ projectRoot, workDir, config: (url) => deployedChaosConfig(url, deployedChaosTimings()) });
 */
export function deployedChaosConfig(simulatorUrl: string, t: ChaosTimings): ZcopsConfig {
  const input = chaosConfigInput(simulatorUrl);
  // The tenant on the simulator as `npm start` points it (ZTW under /api/v1).
  const parsed = parseConfig(
    {
      ...input,
      worker: {
        ...(input.worker as Record<string, unknown>),
        timeoutSeconds: t.timeoutSeconds,
        leaseSeconds: t.leaseSeconds,
        maxReceiveCount: t.maxReceiveCount,
        maxSleepMs: t.maxSleepMs,
        editLockDelaySeconds: t.editLockDelaySeconds,
        transientDelaySeconds: t.transientDelaySeconds,
        pollIntervalSeconds: t.pollIntervalSeconds,
        activationQuietSeconds: t.activationQuietSeconds,
        teardownGraceSeconds: t.teardownGraceSeconds,
        zscalerTimeoutSeconds: t.client.headersTimeoutMs / 1000,
      },
    },
    'deployed chaos configuration',
  );
  return onSimulator(parsed, simulatorUrl);
}
