import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { ZcopsConfig } from '../../infra/config.ts';
import type { RunningSimulator } from '../../simulator/index.ts';
import type { Violation } from './checks.ts';
import type { ChaosTimings } from './config.ts';

/** What a chaos run needs of the stack it drives (the local stack, or the deployed shape). */
export interface ChaosStack {
  /** For the log and the report: `local` (handlers wired in process) or `deployed` (the synthesized stack). */
  shape: 'local' | 'deployed';
  config: ZcopsConfig;
  timings: ChaosTimings;
  /** The Zscaler simulator the tenant lives on (faults, outage, state, call log). */
  simulator: RunningSimulator;
  region: string;
  /** DynamoDB, SQS and S3 endpoints the harness reads the tables, queues and bucket through. */
  endpoints: { dynamodb: string };
  tables: { requests: string; audit: string };
  queues: { jobsUrl: string; dlqUrl: string };
  bucket: string;
  /** The harness's own clients (poison messages, queue depths, the DLQ, snapshot objects). */
  sqs: SQSClient;
  s3: S3Client;
  /** The HTTP API (webhook routes). */
  url: string;
  /** A source's bearer token. */
  token(source: string): string;
  /** An Auto Scaling terminate lifecycle event for the instance (its hook pending), as EventBridge delivers it. */
  terminate(instanceId: string): Promise<{ outcome?: string; requestId?: string }>;
  /** The worker, killed mid-batch now and then. */
  worker: ChaosWorker;
  /** Instances whose lifecycle action was completed. */
  completedLifecycles(): Promise<Set<string>>;
  /** Checks of this stack beyond the run's own (the deployed shape: IAM by use over every AWS call). */
  extraChecks?(): Violation[];
  stop(): Promise<void>;
}

/** The worker of a chaos run and the kills it suffers. */
export interface ChaosWorker {
  /** Starts the worker (if the stack does not run it already) and the kills. */
  start(): Promise<void>;
  /** Changes the kill rate (0 stops killing). */
  setMeanKillInterval(ms: number): void;
  /** Stops killing and lets running batches finish. */
  stop(): Promise<KillerStats>;
  readonly stats: KillerStats;
}

/** What the kills did. */
export interface KillerStats {
  /** Worker processes (execution environments) started, the first one included. */
  spawned: number;
  /** SIGKILLs sent while at least one batch was in flight. */
  killedMidBatch: number;
  /** Invocations that ran past the worker's timeout (their process ended). */
  timeouts: number;
  /** Batches that started (in every process). */
  batches: number;
}

/** What starting a stack for a chaos run is told. */
export interface ChaosStackSetup {
  seed: number;
  /** Time compression asked for (a stack that cannot compress time reports its own in `timings`). */
  scale: number;
  timings?: Parameters<typeof import('./config.ts').chaosTimings>[1];
  /** Mean time between SIGKILLs of the worker, ms; 0: never. */
  meanKillIntervalMs: number;
  log: (line: string) => void;
}

export type ChaosStackFactory = (setup: ChaosStackSetup) => Promise<ChaosStack>;
