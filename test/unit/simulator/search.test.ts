import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../../simulator/context.ts';
import { ZpaApiError } from '../../../simulator/errors.ts';
import type { FieldReader } from '../../../simulator/zpa/search.ts';
import { compareVersions, matchesAll, parseSearch } from '../../../simulator/zpa/search.ts';

interface Rec {
  name: string;
  enabled: boolean;
  version?: string;
  downSince?: number;
}
const FIELDS: Record<string, FieldReader<Rec>> = {
  name: { kind: 'string', get: (r) => r.name },
  enabled: { kind: 'boolean', get: (r) => r.enabled },
  currentVersion: { kind: 'version', get: (r) => r.version },
  lastBrokerDisconnectTimeDuration: {
    kind: 'duration',
    get: (r, now) => (r.downSince === undefined ? undefined : now - r.downSince),
  },
};
const NOW = 1_000_000_000;
const match = (search: string, r: Rec) => matchesAll(r, parseSearch(search, FIELDS), FIELDS, NOW);

describe('query parsing', () => {
  it('decodes %20 but keeps + as a literal plus', () => {
    const q = parseQuery('search=name%20EQ%20a&x=enabled+EQ+true&flag');
    expect(q.get('search')).toBe('name EQ a');
    expect(q.get('x')).toBe('enabled+EQ+true');
    expect(q.get('flag')).toBe('');
  });
});

describe('ZPA search', () => {
  it('parses terms joined by AND, values with spaces', () => {
    expect(parseSearch('name EQ AWS Assistants AND enabled EQ true', FIELDS)).toEqual([
      { field: 'name', op: 'EQ', value: 'AWS Assistants' },
      { field: 'enabled', op: 'EQ', value: 'true' },
    ]);
  });

  it.each([
    'enabled+EQ+true',
    'name',
    'name EQ',
    'name XX a',
    'nope EQ a',
    'enabled EQ yes',
    'lastBrokerDisconnectTimeDuration GT 5',
  ])('rejects %j with 400 invalid.search.criteria', (s) => {
    try {
      parseSearch(s, FIELDS);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ZpaApiError);
      expect((e as ZpaApiError).status).toBe(400);
      expect((e as ZpaApiError).id).toBe('invalid.search.criteria');
    }
  });

  it('matches EQ exactly, LIKE case-insensitively', () => {
    const r = { name: 'Azure Connector-1', enabled: true };
    expect(match('name EQ Azure Connector-1', r)).toBe(true);
    expect(match('name EQ azure connector-1', r)).toBe(false);
    expect(match('name LIKE connector', r)).toBe(true);
    expect(match('enabled EQ false', r)).toBe(false);
  });

  it('compares durations in seconds since the time', () => {
    const r = { name: 'x', enabled: true, downSince: NOW - 16 * 86400 };
    expect(match('lastBrokerDisconnectTimeDuration GT 15d', r)).toBe(true);
    expect(match('lastBrokerDisconnectTimeDuration LT 15d', r)).toBe(false);
    expect(match('lastBrokerDisconnectTimeDuration GTEQ 16d', r)).toBe(true);
    expect(match('lastBrokerDisconnectTimeDuration LTEQ 15d 23h', r)).toBe(false);
    expect(match('lastBrokerDisconnectTimeDuration GT 1s', { name: 'y', enabled: true })).toBe(false);
  });

  it('compares versions numerically', () => {
    expect(compareVersions('22.73.4', '22.172.1')).toBeLessThan(0);
    expect(compareVersions('24.338.1', '24.338.1')).toBe(0);
    expect(
      match('currentVersion GT 22.100', { name: 'v', enabled: true, version: '22.172.1-703-g4f9451e18' }),
    ).toBe(true);
    expect(match('currentVersion EQ 1', { name: 'v', enabled: true })).toBe(false);
  });
});
