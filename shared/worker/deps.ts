import type { AuditLog } from '../audit/audit-log.ts';
import type { WorkerConfig } from '../config/worker.ts';
import type { Clock } from '../core/clock.ts';
import type { ControlStore } from '../guardrails/control-store.ts';
import type { JobLogger } from '../jobs/job.ts';
import type { OutcomeListener } from '../jobs/outcome-listener.ts';
import type { JobRegistry } from '../jobs/registry.ts';
import type { JobServices } from '../jobs/services.ts';
import type { RateLimiter } from '../ratelimit/limiter.ts';
import type { JobQueue } from '../requests/job-queue.ts';
import type { RequestStore } from '../requests/request-store.ts';
import type { SecretSource } from '../secrets/secret-source.ts';
import type { ZscalerClientOptions } from '../zscaler/factory.ts';
import type { PauseReader } from './batch-scope.ts';
import type { WorkerMetrics } from './worker-metrics.ts';

/**
 * Everything the run loop needs. Lambda builds it from the environment
 * (`shared/wiring/worker-deps.ts`), the local stack and the benchmarks too.
 */
export interface WorkerDeps {
  config: WorkerConfig;
  store: RequestStore;
  audit: AuditLog;
  queue: JobQueue;
  control: ControlStore;
  limiter: RateLimiter;
  secrets: SecretSource;
  clock: Clock;
  logger: JobLogger;
  /** Default `JOBS`. */
  jobs?: JobRegistry;
  services?: JobServices;
  /** Told when a request settles (ticket callbacks). */
  listeners?: readonly OutcomeListener[];
  /** Client options (retry policy, HTTP timeouts) besides hooks and clock. */
  client?: Omit<ZscalerClientOptions, 'hooks' | 'clock'>;
  /** Identifies this worker in leases (default: a random id per process). */
  workerId?: string;
  /** The pause switches; default: read from `control` on every run. One batch reads them once (`batchScope`). */
  pauses?: PauseReader;
  /** Settlements, deferrals, run durations, 429s and limiter waits (Lambda: EMF, flushed per invocation). */
  metrics?: WorkerMetrics;
}
