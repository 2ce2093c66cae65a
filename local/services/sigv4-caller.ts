/**
 * Who signed an AWS request and for which service, read from its SigV4 `Authorization` header
 * (`AWS4-HMAC-SHA256 Credential=<access key id>/<date>/<region>/<service>/aws4_request, ...`).
 * The stand-ins do not verify signatures; the access key id only tells which caller it was.
 *
 * @example
 * sigv4Caller(req.headers.authorization) // { accessKeyId: 'AKIDWORKER', region: 'us-east-1', service: 'sqs' }
 */
export interface SigV4Caller {
  accessKeyId: string;
  region: string;
  service: string;
}

export function sigv4Caller(authorization: string | string[] | undefined): SigV4Caller | undefined {
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  const m = /Credential=([^/\s,]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(header ?? '');
  if (!m) return undefined;
  return { accessKeyId: m[1] as string, region: m[2] as string, service: m[3] as string };
}
