import type { WorkerSettings } from '../config/worker.ts';
import type { ZscalerClientOptions } from '../zscaler/factory.ts';

/** The options the wiring sets on the worker's Zscaler clients (hooks and clock come per job). */
export type WorkerClientOptions = Omit<ZscalerClientOptions, 'hooks' | 'clock'>;

/**
 * Bounded calls: a Zscaler call never outlives the invocation (infra checks the arithmetic).
 * Connect within min(10 s, the call timeout), headers and body within `zscalerTimeoutSeconds`,
 * idempotent calls tried `zscalerMaxAttempts` times.
 *
 * @example
 * zscalerClientOptions(config.worker).retry.maxAttempts === config.worker.zscalerMaxAttempts;
 */
export function zscalerClientOptions(
  worker: Pick<WorkerSettings, 'zscalerTimeoutSeconds' | 'zscalerMaxAttempts'>,
): Required<Pick<WorkerClientOptions, 'http' | 'retry'>> {
  return {
    http: {
      connectTimeoutMs: Math.min(10, worker.zscalerTimeoutSeconds) * 1000,
      headersTimeoutMs: worker.zscalerTimeoutSeconds * 1000,
      bodyTimeoutMs: worker.zscalerTimeoutSeconds * 1000,
    },
    retry: { maxAttempts: worker.zscalerMaxAttempts },
  };
}
