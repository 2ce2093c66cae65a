import { WORKER_METRIC_NAMES } from '../observability/metric-names.ts';
import type { MetricsSink } from '../observability/metrics-sink.ts';
import type { RequestState } from '../requests/state-machine.ts';
import type { CallHooks } from '../zscaler/hooks.ts';

/**
 * What the worker measures, in its own terms: how requests settle, deferrals, run durations, and
 * per Zscaler call the 429s and the limiter wait (through the client's `after` hook). It decides
 * which metric each event is; the sink decides how it is published. Recording never throws into
 * the run loop (a metrics failure must not change a request's outcome).
 *
 * @example
 * const metrics = new WorkerMetrics(createMetricsSink('zcops-worker'));
 * const hooks = composeHooks(limiterHooks, metrics.callHooks());
 * metrics.settled('FAILED');
 * metrics.flush(); // end of the invocation
 */
export class WorkerMetrics {
  readonly #sink: MetricsSink;

  constructor(sink: MetricsSink) {
    this.#sink = sink;
  }

  /** A request reached a final state or HELD (once per transition). */
  settled(state: RequestState): void {
    const name = SETTLED_METRIC[state];
    if (name) this.#safely(() => this.#sink.count(name));
  }

  /** A run handed its job back to the queue with a delay. */
  deferred(): void {
    this.#safely(() => this.#sink.count(WORKER_METRIC_NAMES.requestsDeferred));
  }

  /** One run of a job, from its claim to its settlement. */
  jobDuration(ms: number): void {
    this.#safely(() => this.#sink.milliseconds(WORKER_METRIC_NAMES.jobDurationMs, ms));
  }

  /** Client hooks: every rate-limited call's limiter wait, and every 429. */
  callHooks(): CallHooks {
    return {
      after: (result) => {
        if (result.call.rateClass !== 'none')
          this.#safely(() =>
            this.#sink.milliseconds(WORKER_METRIC_NAMES.limiterWaitMs, result.limiterWaitMs),
          );
        if (result.status === 429)
          this.#safely(() => this.#sink.count(WORKER_METRIC_NAMES.zscalerRateLimited));
      },
    };
  }

  /** Publishes what this invocation recorded. */
  flush(): void {
    this.#safely(() => this.#sink.flush());
  }

  #safely(record: () => void): void {
    try {
      record();
    } catch {
      // Metrics are observability: a bad value or a full buffer must never fail a job.
    }
  }
}

/** The metric of each settled state; RUNNING and friends are not settlements. */
const SETTLED_METRIC: Partial<Record<RequestState, string>> = {
  SUCCEEDED: WORKER_METRIC_NAMES.requestsSucceeded,
  FAILED: WORKER_METRIC_NAMES.requestsFailed,
  DEAD_LETTERED: WORKER_METRIC_NAMES.requestsFailed,
  REJECTED: WORKER_METRIC_NAMES.requestsRejected,
  HELD: WORKER_METRIC_NAMES.requestsHeld,
};
