import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** What the local HTTP server knows of one incoming request. */
export interface IncomingHttpRequest {
  method: string;
  /** Path and query as received, e.g. `/v1/requests/abc?x=1`. */
  url: string;
  /** Node's `IncomingMessage.headers` (lower-case names; repeated headers as arrays). */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  sourceIp: string;
  /** Epoch ms the request arrived. */
  receivedAt: number;
}

const TEXT_TYPES = /^(application\/([a-z0-9.+-]*\+)?(json|xml|x-www-form-urlencoded)|text\/)/i;

/**
 * Builds the API Gateway HTTP API (payload format 2.0) event Lambda would receive for this
 * request: `rawPath`, `rawQueryString`, comma-joined headers, `cookies`, `queryStringParameters`,
 * `requestContext.http`, stage `$default`, and a base64 body unless the content type is text.
 *
 * @example
 * const event = toApiGatewayV2Event({ method: 'POST', url: '/v1/requests', headers, body, sourceIp: '127.0.0.1', receivedAt: Date.now() });
 * const answer = await webhookHandler(event);
 */
export function toApiGatewayV2Event(
  req: IncomingHttpRequest,
  options: { apiId?: string; domainName?: string } = {},
): APIGatewayProxyEventV2 {
  const qIndex = req.url.indexOf('?');
  const rawPath = qIndex === -1 ? req.url : req.url.slice(0, qIndex);
  const rawQueryString = qIndex === -1 ? '' : req.url.slice(qIndex + 1);
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (lower === 'cookie') {
      cookies = (Array.isArray(value) ? value : [value]).flatMap((c) => c.split(/;\s*/)).filter(Boolean);
      continue;
    }
    // API Gateway joins repeated headers with commas.
    headers[lower] = Array.isArray(value) ? value.join(',') : value;
  }
  const apiId = options.apiId ?? 'local';
  const domainName = options.domainName ?? headers.host ?? 'localhost';
  headers['x-forwarded-for'] = headers['x-forwarded-for']
    ? `${headers['x-forwarded-for']}, ${req.sourceIp}`
    : req.sourceIp;
  const query = queryParameters(rawQueryString);
  const contentType = headers['content-type'] ?? '';
  const isText = req.body.length === 0 || TEXT_TYPES.test(contentType);
  const method = req.method.toUpperCase();
  const time = new Date(req.receivedAt);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    ...(cookies ? { cookies } : {}),
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId,
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: req.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomBytes(10).toString('base64').replace(/=+$/, '='),
      routeKey: '$default',
      stage: '$default',
      time: clfTime(time),
      timeEpoch: req.receivedAt,
    },
    ...(req.body.length > 0
      ? { body: isText ? req.body.toString('utf8') : req.body.toString('base64') }
      : {}),
    isBase64Encoded: !isText,
  };
}

/** API Gateway's query map: repeated keys joined with commas; absent when there is no query. */
function queryParameters(raw: string): Record<string, string> | undefined {
  if (raw === '') return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = out[k] === undefined ? v : `${out[k]},${v}`;
  return out;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `21/Nov/2026:11:20:00 +0000`, as `requestContext.time` has it. */
function clfTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(
    d.getUTCMinutes(),
  )}:${p(d.getUTCSeconds())} +0000`;
}
