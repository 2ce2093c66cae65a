import { describe, expect, it } from 'vitest';
import { apiCallOf, callOf } from '../../../functions/webhook/api-call.ts';
import { createHandler } from '../../../functions/webhook/handler.ts';
import { sign } from '../../../shared/core/webhook-signature.ts';
import { httpEvent } from '../../fixtures/events/index.ts';
import { memoryDeps, quietObservability, SECRETS } from '../../fixtures/events/intake-setup.ts';

describe('apiCallOf: the call as the webhook reads it', () => {
  it('keeps the bytes of a base64 body exactly (a signature covers them), not their UTF-8 reading', () => {
    const bytes = Buffer.from([0x7b, 0x22, 0x72, 0x22, 0x3a, 0x22, 0x63, 0x61, 0x66, 0xe9, 0x22, 0x7d]); // {"r":"café"} in Latin-1
    const event = httpEvent({ path: '/v1/requests' });
    event.body = bytes.toString('base64');
    event.isBase64Encoded = true;
    const call = apiCallOf(event)!;
    expect(call.body?.equals(bytes)).toBe(true);
    expect(Buffer.from(call.body!.toString('utf8')).equals(bytes)).toBe(false);
  });

  it('so a signed base64 body that is not UTF-8 still authenticates', async () => {
    const deps = memoryDeps();
    const handler = createHandler({ ...deps, ...quietObservability() });
    const text =
      '{"action":"appConnector.cleanup","tenant":"acme","reason":"caf\u00e9","disconnectedFor":"15d"}';
    const bytes = Buffer.from(text, 'latin1');
    const ts = String(Math.floor(deps.clock.now() / 1000));
    const event = httpEvent({
      path: '/v1/requests',
      headers: { 'x-zcops-timestamp': ts, 'x-zcops-signature': sign(SECRETS.apiHmac, ts, bytes) },
    });
    event.body = bytes.toString('base64');
    event.isBase64Encoded = true;
    expect((await handler(event)).statusCode).toBe(202);
  });

  it('reads headers lower-cased, whatever HTTP would allow, and hands the router method and marked path only', () => {
    const event = httpEvent({
      method: 'post',
      path: '/prod/v1/requests/',
      headers: { 'X-Zcops-Source': 'api', 'a b': '\u0000x', Authorization: 'Bearer ☃' },
    });
    event.requestContext.stage = 'prod';
    const call = apiCallOf(event)!;
    expect(call.headers['x-zcops-source']).toBe('api');
    expect(call.headers['a b']).toBe('\u0000x');
    expect(call.headers.authorization).toBe('Bearer ☃');
    expect(call.routing).toMatchObject({ rawPath: '/~/~v1/~requests', headers: {}, isBase64Encoded: false });
    expect(call.routing.body).toBeUndefined();
    expect(call.routing.requestContext.http.method).toBe('POST');
    expect(callOf(call.routing)).toBe(call);
    expect(() => callOf({})).toThrow(TypeError);
  });

  it('is undefined for anything that is not an API Gateway v2 HTTP event, and leaves an oversized body unread', () => {
    expect(apiCallOf(undefined)).toBeUndefined();
    expect(apiCallOf({} as never)).toBeUndefined();
    expect(apiCallOf({ requestContext: { http: {} } } as never)).toBeUndefined();
    const big = httpEvent({ path: '/v1/requests', body: 'x'.repeat(8 * 1024 * 1024 + 1) });
    expect(apiCallOf(big)?.body).toBeUndefined();
  });
});
