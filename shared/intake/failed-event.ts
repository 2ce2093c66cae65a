/**
 * The event inside a message of the events function's on-failure destination. Lambda wraps it in
 * a destination record (`{ version, timestamp, requestContext: { requestId, functionArn, condition,
 * approximateInvokeCount }, requestPayload, responseContext, responsePayload }`); the delivery DLQ
 * holds EventBridge / Scheduler events as they are. Both shapes are read, so one redrive serves both.
 *
 * @example
 * const failed = failedEventOf(message.Body);
 * if (failed.event) await eventsHandler(failed.event);
 */
export interface FailedEvent {
  /** The event to hand to the events handler again; absent when the body holds none. */
  event?: Record<string, unknown>;
  /** Why Lambda gave up (`RetriesExhausted`, `EventAgeExceeded`), for destination records. */
  condition?: string;
  /** The error the last attempt answered (destination records), e.g. `{ errorType, errorMessage }`. */
  lastError?: unknown;
  /** Why the body could not be read. */
  error?: string;
}

export function failedEventOf(body: string | undefined): FailedEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    return { error: 'the message body is not JSON' };
  }
  if (!isObject(parsed)) return { error: 'the message body is not a JSON object' };
  if ('requestPayload' in parsed) {
    const context = isObject(parsed.requestContext) ? parsed.requestContext : {};
    const payload = parsed.requestPayload;
    if (!isObject(payload)) return { error: 'the destination record carries no event (requestPayload)' };
    return {
      event: payload,
      ...(typeof context.condition === 'string' ? { condition: context.condition } : {}),
      ...(parsed.responsePayload !== undefined ? { lastError: parsed.responsePayload } : {}),
    };
  }
  if (typeof parsed['detail-type'] === 'string') return { event: parsed };
  return { error: 'neither a Lambda destination record nor an EventBridge event' };
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
