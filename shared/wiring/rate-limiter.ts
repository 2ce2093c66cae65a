import type { Clock } from '../core/clock.ts';
import { DynamoDbRateLimitStore } from '../ratelimit/dynamodb-store.ts';
import { RateLimiter } from '../ratelimit/limiter.ts';
import { RateLimits, type RateLimitsConfig } from '../ratelimit/limits.ts';
import type { AwsClientSource } from './aws-client-source.ts';

/**
 * The shared Zscaler rate limiter: the configuration's budgets over the DynamoDB table every
 * worker (and the CLI's `limits` commands) reads and writes.
 *
 * @example
 * const limiter = buildRateLimiter(aws, settings.tables.ratelimit, config.rateLimits, clock);
 */
export function buildRateLimiter(
  aws: AwsClientSource,
  tableName: string,
  rateLimits: RateLimitsConfig | undefined,
  clock: Clock,
): RateLimiter {
  return new RateLimiter({
    store: new DynamoDbRateLimitStore({ client: aws.dynamodb, tableName }),
    limits: RateLimits.from(rateLimits),
    clock,
  });
}
