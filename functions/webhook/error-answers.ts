import type { Router } from '@aws-lambda-powertools/event-handler/http';
import type { Logger } from '@aws-lambda-powertools/logger';
import {
  AuthenticationError,
  InvalidRequestIdError,
  MalformedBodyError,
  RouteNotAllowedError,
} from '../../shared/intake/errors.ts';
import {
  IdempotencyConflictError,
  IntakeUnavailableError,
  PolicyDeniedError,
  RequestNotFoundError,
  RequestValidationError,
  SubmissionInProgressError,
} from '../../shared/requests/errors.ts';
import { SecretError } from '../../shared/secrets/errors.ts';
import { callOf } from './api-call.ts';
import { failure } from './http.ts';

/**
 * The webhook's error-to-answer mapping, registered as the router's error handlers: each typed
 * error of the intake service has its status, code and message. A refused submission's request id
 * (its audit events carry it) is named in the answer and logged as the correlation id. Whatever is
 * not listed is a bug: logged, answered 500. Registered in this order on purpose: the router tries
 * the exact class, then `instanceof` in registration order, so `Error` must come last.
 *
 * @example
 * answerErrors(router, logger);
 */
export function answerErrors(router: Router, logger: Logger): void {
  router.errorHandler(AuthenticationError, async (err) => failure(401, 'unauthenticated', err.message));
  router.errorHandler(SecretError, async (err) => {
    logger.error('source credentials unavailable', { secret: err.secretName, error: err });
    return failure(503, 'unavailable', 'the source credentials could not be loaded; retry later', {
      headers: { 'retry-after': '30' },
    });
  });
  router.errorHandler(RouteNotAllowedError, async (err) => failure(403, 'forbidden', err.message));
  router.errorHandler(MalformedBodyError, async (err) =>
    failure(400, 'invalid-json', err.message, { issues: err.issues }),
  );
  router.errorHandler(InvalidRequestIdError, async (err) =>
    failure(400, 'invalid-id', err.message, { issues: err.issues }),
  );
  router.errorHandler(RequestNotFoundError, async (err) => failure(404, 'not-found', err.message));
  router.errorHandler(RequestValidationError, async (err, reqCtx) => {
    callOf(reqCtx.event).requestId = err.requestId;
    return failure(400, 'invalid-request', 'the request is invalid', {
      issues: err.issues,
      requestId: err.requestId,
    });
  });
  router.errorHandler(PolicyDeniedError, async (err, reqCtx) => {
    callOf(reqCtx.event).requestId = err.requestId;
    return failure(403, 'forbidden', err.message, { rule: err.rule, requestId: err.requestId });
  });
  router.errorHandler(IdempotencyConflictError, async (err) =>
    failure(409, 'idempotency-conflict', err.message, { originalRequestId: err.originalRequestId }),
  );
  router.errorHandler(SubmissionInProgressError, async (err) =>
    failure(409, 'in-progress', err.message, {
      originalRequestId: err.originalRequestId,
      headers: { 'retry-after': String(err.retryAfterSeconds) },
    }),
  );
  router.errorHandler(IntakeUnavailableError, async (err, reqCtx) => {
    callOf(reqCtx.event).requestId = err.requestId;
    logger.error('intake unavailable', { error: err, cause: err.cause });
    return failure(503, 'unavailable', err.message, {
      requestId: err.requestId,
      headers: { 'retry-after': '5' },
    });
  });
  // Only a bug lands here: every expected failure has its own answer.
  router.errorHandler(Error, async (err) => {
    logger.error('unexpected failure', { error: err });
    return failure(500, 'internal', 'internal error');
  });
}
