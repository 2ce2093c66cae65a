import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { type IntakeCalls, WebhookApi } from '../../../functions/webhook/webhook-api.ts';
import { RequestNotFoundError } from '../../../shared/requests/errors.ts';
import { httpEvent } from '../../fixtures/events/index.ts';
import { quietObservability } from '../../fixtures/events/intake-setup.ts';

/** The router over an intake that records what it was asked (a lookup is answered 404). */
function setup() {
  const calls: string[] = [];
  const intake: IntakeCalls = {
    receive: async (channel) => {
      calls.push(`receive ${channel}`);
      return {
        outcome: 'accepted',
        requestId: '0b7d3c1e-5f7a-4d2b-9c1e-2a3b4c5d6e7f',
        state: 'QUEUED',
      } as never;
    },
    lookUp: async (id) => {
      calls.push(`lookUp ${id}`);
      throw new RequestNotFoundError(id);
    },
  };
  const api = new WebhookApi(intake, { maxBodyBytes: 1024, logger: quietObservability().logger });
  const call = (method: string, path: string, patch: (e: APIGatewayProxyEventV2) => void = () => {}) => {
    const event = httpEvent({ method, path, body: method === 'GET' ? '' : '{}' });
    patch(event);
    return api.answer(event, undefined);
  };
  return { calls, call };
}

describe('the webhook router', () => {
  it('matches the intake routes and the request lookup', async () => {
    const s = setup();
    expect((await s.call('POST', '/v1/requests')).route).toBe('submit');
    expect((await s.call('POST', '/v1/hooks/jira/')).route).toBe('jira');
    expect((await s.call('GET', '/v1/requests/abc%20d')).route).toBe('get');
    expect(s.calls).toEqual(['receive submit', 'receive jira', 'lookUp abc d']);
    const wrong = await s.call('GET', '/v1/hooks/servicenow');
    expect(wrong.answer).toMatchObject({ statusCode: 405, headers: { allow: 'POST' } });
    expect(JSON.parse(wrong.answer.body).error.message).toBe('/v1/hooks/servicenow accepts POST only');
    expect(s.calls).toHaveLength(3);
  });

  // Found by the webhook fuzz test: `POST toString` answered 500 (the route table was an object literal).
  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', '/toString'])(
    'answers 404 for %s, never a prototype member',
    async (path) => {
      const s = setup();
      const a = await s.call('POST', path);
      expect(a.answer.statusCode).toBe(404);
      expect(JSON.parse(a.answer.body).error.code).toBe('not-found');
      expect(s.calls).toEqual([]);
    },
  );

  it('routes the raw path: no dot-segment, query, fragment or backslash rewriting, one trailing slash ignored', async () => {
    const s = setup();
    const status = async (method: string, path: string) => (await s.call(method, path)).answer.statusCode;
    expect(await status('GET', '/v1/requests/..')).toBe(404);
    expect(await status('POST', '/v1/hooks/../requests')).toBe(404);
    expect(await status('POST', '/v1/hooks/%2e%2e/requests')).toBe(404);
    expect(await status('POST', '/v1\\requests')).toBe(404);
    expect(await status('POST', '/v1/requests?x=1')).toBe(404);
    expect(await status('GET', '/v1/requests/a?b#c')).toBe(404);
    expect(await status('GET', '/v1/requests/%E0%A4%A')).toBe(404);
    expect(await status('GET', '/v1/requests//')).toBe(404);
    expect(await status('GET', '/v1/requests/%20')).toBe(404);
    expect(await status('POST', 'v1/requests')).toBe(404);
    expect(await status('POST', '/v1//requests')).toBe(404);
    expect(await status('GET', '/')).toBe(404);
    expect(await status('GET', '')).toBe(404);
    // `/v1/requests/` + an empty id: the lookup's path, which takes GET only.
    expect(await status('POST', '/v1/requests//')).toBe(405);
    // Each lookup got its id as sent (percent-decoded where the escape is valid); the rest matched no route.
    expect(s.calls).toEqual(['lookUp ..', 'lookUp a?b#c', 'lookUp %E0%A4%A', 'lookUp ', 'lookUp  ']);
  });

  it('answers 405 with Allow for any other method on a served path, 404 elsewhere, and strips a named stage', async () => {
    const s = setup();
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'FOO', 'get-ish']) {
      const a = await s.call(method, '/v1/requests');
      expect(a.answer.statusCode, method).toBe(405);
      expect(a.answer.headers?.allow, method).toBe('POST');
      expect(JSON.parse(a.answer.body).error.code, method).toBe('method-not-allowed');
      expect((await s.call(method, '/v1/nowhere')).answer.statusCode, method).toBe(404);
    }
    const get = await s.call('PUT', '/v1/requests/x');
    expect(JSON.parse(get.answer.body).error.message).toBe('/v1/requests/{id} accepts GET only');
    expect((await s.call('get', '/v1/openapi.json')).answer.statusCode).toBe(200);
    const staged = await s.call('POST', '/prod/v1/requests', (e) => {
      e.requestContext.stage = 'prod';
    });
    expect(staged.route).toBe('submit');
    expect(s.calls).toEqual(['receive submit']);
  });
});
