/** The distributed rate limiter: one budget per tenant, API family and method class, shared through DynamoDB. */
export { DynamoDbRateLimitStore } from './dynamodb-store.ts';
export { InvalidRateLimitKeyError, RateLimitConfigError, RateLimitStoreError } from './errors.ts';
export { createRateLimitHooks, type RateLimitHooksOptions } from './hooks.ts';
export { formatKey, parseKey, type RateLimitKey } from './key.ts';
export {
  type AcquireOptions,
  type AcquireResult,
  type KeyState,
  RateLimiter,
  type RateLimiterOptions,
} from './limiter.ts';
export {
  type ClassLimits,
  DEFAULT_LIMITS,
  type LimitsTable,
  RateLimits,
  type RateLimitsConfig,
  RateLimitsConfigSchema,
  type ResolvedWindow,
  type WindowLimit,
} from './limits.ts';
export { MemoryRateLimitStore } from './memory-store.ts';
export type {
  KeyRecord,
  MoveRequest,
  RateLimitStore,
  ReserveRequest,
  ReserveResult,
  WindowOp,
} from './store.ts';
export { DEFAULT_RATE_LIMIT_TABLE, RATE_LIMIT_TABLE_KEY, rateLimitTableDefinition } from './table.ts';
