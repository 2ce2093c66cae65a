import { describe, expect, it } from 'vitest';
import { toApiGatewayV2Event } from '../../../local/apigw-event.ts';

const base = { sourceIp: '127.0.0.1', receivedAt: Date.UTC(2026, 10, 21, 11, 20, 0) };

describe('toApiGatewayV2Event', () => {
  it('builds a payload 2.0 event like API Gateway HTTP APIs send', () => {
    const body = Buffer.from('{"a":1}');
    const e = toApiGatewayV2Event({
      ...base,
      method: 'post',
      url: '/v1/requests?x=1&x=2&y=3',
      headers: {
        'content-type': 'application/json',
        host: 'localhost:8787',
        'x-multi': ['a', 'b'],
        cookie: 'k=v; z=w',
      },
      body,
    });
    expect(e.version).toBe('2.0');
    expect(e.routeKey).toBe('$default');
    expect(e.rawPath).toBe('/v1/requests');
    expect(e.rawQueryString).toBe('x=1&x=2&y=3');
    expect(e.queryStringParameters).toEqual({ x: '1,2', y: '3' });
    expect(e.headers['x-multi']).toBe('a,b');
    expect(e.headers.cookie).toBeUndefined();
    expect(e.cookies).toEqual(['k=v', 'z=w']);
    expect(e.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(e.requestContext.http).toMatchObject({
      method: 'POST',
      path: '/v1/requests',
      sourceIp: '127.0.0.1',
    });
    expect(e.requestContext.stage).toBe('$default');
    expect(e.requestContext.time).toBe('21/Nov/2026:11:20:00 +0000');
    expect(e.requestContext.timeEpoch).toBe(base.receivedAt);
    expect(e.body).toBe('{"a":1}');
    expect(e.isBase64Encoded).toBe(false);
  });

  it('base64-encodes bodies that are not text, and omits an empty body and query', () => {
    const bin = Buffer.from([0, 1, 2, 255]);
    const e = toApiGatewayV2Event({
      ...base,
      method: 'PUT',
      url: '/x',
      headers: { 'content-type': 'application/octet-stream' },
      body: bin,
    });
    expect(e.isBase64Encoded).toBe(true);
    expect(Buffer.from(e.body!, 'base64')).toEqual(bin);
    const g = toApiGatewayV2Event({
      ...base,
      method: 'GET',
      url: '/v1/requests/abc',
      headers: {},
      body: Buffer.alloc(0),
    });
    expect(g.body).toBeUndefined();
    expect(g.queryStringParameters).toBeUndefined();
    expect(g.rawQueryString).toBe('');
  });
});
