import { describe, expect, it } from 'vitest';
import { matchRoute } from '../../../functions/webhook/routes.ts';

describe('matchRoute', () => {
  it('matches the intake routes and the request lookup', () => {
    expect(matchRoute('POST', '/v1/requests')).toEqual({ route: { kind: 'submit' } });
    expect(matchRoute('POST', '/v1/hooks/jira/')).toEqual({ route: { kind: 'jira' } });
    expect(matchRoute('GET', '/v1/requests/abc%20d')).toEqual({ route: { kind: 'get', id: 'abc d' } });
    expect(matchRoute('GET', '/v1/hooks/servicenow')).toMatchObject({ status: 405, allow: 'POST' });
  });

  // Found by the webhook fuzz test: `POST toString` answered 500 (the route table was an object literal).
  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', '/toString'])(
    'answers 404 for %s, never a prototype member',
    (path) => {
      expect(matchRoute('POST', path)).toMatchObject({ status: 404 });
    },
  );
});
