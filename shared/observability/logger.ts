import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { RedactingLogFormatter } from './redacting-formatter.ts';

/**
 * The Powertools Logger every handler uses: JSON lines, redacted. The correlation id is the
 * request id (`logger.appendKeys({ correlation_id })` per request via `withCorrelationId`).
 *
 * @example
 * const logger = createLogger('webhook');
 * withCorrelationId(logger, requestId);
 * logger.info('request accepted', { action });
 */
export function createLogger(serviceName: string, level?: string): Logger {
  return new Logger({
    serviceName,
    ...(level ? { logLevel: level as 'INFO' } : {}),
    logFormatter: new RedactingLogFormatter(),
  });
}

/** Sets (or clears) the correlation id of the following log lines. */
export function withCorrelationId(logger: Logger, requestId: string | undefined): void {
  if (requestId) logger.appendKeys({ correlation_id: requestId });
  else logger.removeKeys(['correlation_id']);
}

/** Keys `beginInvocation` owns: set anew for each invocation, never left over from the previous one. */
const INVOCATION_KEYS = ['correlation_id', 'api_request_id'] as const;

/**
 * Starts an invocation's log lines: the Lambda context (`function_request_id`, `function_name`,
 * `cold_start`: true on a container's first invocation only) and, for HTTP, API Gateway's request
 * id (`api_request_id`, the access log's `requestId`), so a function's lines join its access log line.
 * Keys of the previous invocation are dropped.
 *
 * @example
 * beginInvocation(logger, context, { api_request_id: event.requestContext.requestId });
 */
export function beginInvocation(
  logger: Logger,
  context: Context | undefined,
  keys: { api_request_id?: string | undefined } = {},
): void {
  if (context && typeof context.awsRequestId === 'string') logger.addContext(context);
  logger.removeKeys([...INVOCATION_KEYS]);
  if (typeof keys.api_request_id === 'string') logger.appendKeys({ api_request_id: keys.api_request_id });
}
