import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Issue } from '../../shared/requests/issues.ts';

/** An answer: status and JSON body. */
export type HttpAnswer = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string };

/** Machine-readable error codes of the webhook's answers. */
export const ERROR_CODES = [
  'invalid-event',
  'not-found',
  'method-not-allowed',
  'too-large',
  'unsupported-media-type',
  'invalid-json',
  'invalid-request',
  'invalid-id',
  'unauthenticated',
  'forbidden',
  'idempotency-conflict',
  'in-progress',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpAnswer {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * An error answer: `{ error: { code, message, issues? }, requestId? }`. Every answer names its
 * problem; 400s list every issue with its path.
 */
export function failure(
  statusCode: number,
  code: ErrorCode,
  message: string,
  extra: {
    issues?: Issue[];
    requestId?: string | undefined;
    headers?: Record<string, string>;
    [k: string]: unknown;
  } = {},
): HttpAnswer {
  const { issues, requestId, headers, ...rest } = extra;
  return json(
    statusCode,
    {
      error: { code, message, ...(issues ? { issues } : {}), ...rest },
      ...(requestId ? { requestId } : {}),
    },
    headers,
  );
}
