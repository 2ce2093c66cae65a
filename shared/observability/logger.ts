import { Logger } from '@aws-lambda-powertools/logger';
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
