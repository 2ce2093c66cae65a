import type { Logger } from '@aws-lambda-powertools/logger';
import type { IntakeConfig } from '../config/sources.ts';
import type { WorkerConfig } from '../config/worker.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import { DynamoControlStore } from '../guardrails/dynamo-control-store.ts';
import { loadIntakeConfig } from '../intake/config.ts';
import { createLogger } from '../observability/logger.ts';
import type { RateLimiter } from '../ratelimit/limiter.ts';
import type { AwsClientSource } from './aws-client-source.ts';
import type { DeploymentSettings } from './environment.ts';
import type { WiringOverrides } from './overrides.ts';
import { buildRateLimiter } from './rate-limiter.ts';
import { buildStores, type Stores } from './stores.ts';
import { loadWorkerConfig } from './worker-config.ts';

/** What an operator's tools (the CLI) work on: the functions' state through the functions' adapters. */
export interface OperatorDeps extends Stores {
  control: DynamoControlStore;
  limiter: RateLimiter;
  /** The intake part of the configuration (tenants, sources). */
  intake: IntakeConfig;
  /** The worker part (guardrails, rate limits). */
  worker: WorkerConfig;
  clock: Clock;
  logger: Logger;
}

/**
 * The stack's state as the functions see it (same tables, queue and limiter budgets, same
 * adapters), for a caller outside Lambda with its own credentials. The configuration is checked
 * with both functions' schemas: `IntakeConfigError` or `WorkerConfigError` names every bad field.
 *
 * @example
 * const deps = operatorDeps(settingsOf(profile), awsClients(endpoints));
 */
export function operatorDeps(
  settings: DeploymentSettings & { tables: { ratelimit: string } },
  aws: AwsClientSource,
  o: Pick<WiringOverrides, 'clock' | 'wrapStore' | 'wrapAudit' | 'queue'> = {},
): OperatorDeps {
  const intake = loadIntakeConfig(settings.config, settings.configOrigin);
  const worker = loadWorkerConfig(settings.config, settings.configOrigin);
  const clock = o.clock ?? systemClock;
  return {
    ...buildStores(settings, aws, clock, o),
    control: new DynamoControlStore(aws.doc, settings.tables.requests),
    limiter: buildRateLimiter(aws, settings.tables.ratelimit, worker.rateLimits, clock),
    intake,
    worker,
    clock,
    logger: createLogger(settings.serviceName ?? 'zcops-cli', settings.logLevel ?? 'ERROR'),
  };
}
