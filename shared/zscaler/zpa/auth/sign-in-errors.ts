import { AuthError, RateLimitedError, TransientError, type ZscalerError } from '../../errors.ts';

/**
 * Sign-in endpoints answer bad credentials with 400 or 401; both mean "authentication failed", not a
 * malformed request. Rate limiting and transient failures keep their classes (they are retried).
 */
export function asSignInError(error: ZscalerError): ZscalerError {
  if (error instanceof RateLimitedError || error instanceof TransientError || error instanceof AuthError) {
    return error;
  }
  if (error.status !== undefined && error.status >= 400 && error.status < 500) {
    return new AuthError(`sign-in rejected: ${error.message}`, {
      status: error.status,
      ...(error.id === undefined ? {} : { id: error.id }),
      ...(error.reason === undefined ? {} : { reason: error.reason }),
      ...(error.method === undefined ? {} : { method: error.method }),
      ...(error.path === undefined ? {} : { path: error.path }),
    });
  }
  return error;
}
