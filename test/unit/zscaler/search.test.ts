import { describe, expect, it } from 'vitest';
import { buildQuery } from '../../../shared/zscaler/http/query.ts';
import { durationToMs, msToZpaDuration, zpaDuration } from '../../../shared/zscaler/zpa/duration.ts';
import { buildSearch, encodeSearch, SearchError, searchString } from '../../../shared/zscaler/zpa/search.ts';

describe('buildSearch', () => {
  it('joins typed conditions with AND', () => {
    expect(
      buildSearch([
        { field: 'controlChannelStatus', op: 'EQ', value: 'ZPN_STATUS_DISCONNECTED' },
        { field: 'lastBrokerDisconnectTimeDuration', op: 'GT', value: zpaDuration('15d') },
      ]),
    ).toBe('controlChannelStatus EQ ZPN_STATUS_DISCONNECTED AND lastBrokerDisconnectTimeDuration GT 15d');
    expect(buildSearch([{ field: 'enabled', op: 'EQ', value: true }])).toBe('enabled EQ true');
    expect(buildSearch([{ field: 'name', op: 'LIKE', value: 'Example App Connector' }])).toBe(
      'name LIKE Example App Connector',
    );
  });

  it('encodes spaces as %20, never +', () => {
    const s = buildSearch([
      { field: 'controlChannelStatus', op: 'EQ', value: 'ZPN_STATUS_DISCONNECTED' },
      { field: 'lastBrokerDisconnectTimeDuration', op: 'GT', value: '15d' },
    ]);
    expect(encodeSearch(s)).toBe(
      'controlChannelStatus%20EQ%20ZPN_STATUS_DISCONNECTED%20AND%20lastBrokerDisconnectTimeDuration%20GT%2015d',
    );
    expect(buildQuery({ page: 1, pagesize: 500, search: 'name LIKE a+b' })).toBe(
      '?page=1&pagesize=500&search=name%20LIKE%20a%2Bb',
    );
    expect(buildQuery({ search: 'x EQ y' })).not.toContain('+');
  });

  it.each([
    [{ field: 'name', op: 'EQ', value: 'x AND enabled EQ false' }, /AND\/OR/],
    [{ field: 'name', op: 'EQ', value: 'x or y' }, /AND\/OR/],
    [{ field: 'name', op: 'EQ', value: 'x\nAND' }, /control characters|AND\/OR/],
    [{ field: 'name', op: 'EQ', value: 'a\u0000b' }, /control characters/],
    [{ field: 'name', op: 'EQ', value: '' }, /empty/],
    [{ field: 'name', op: 'EQ', value: ' padded' }, /spaces/],
    [{ field: 'name EQ x AND id', op: 'EQ', value: '1' }, /not a field name/],
    [{ field: 'name', op: 'NE', value: '1' }, /operator/],
    [{ field: 'lastBrokerDisconnectTimeDuration', op: 'GT', value: '15d 2h' }, /single word/],
  ])('rejects %j', (condition, message) => {
    expect(() => buildSearch([condition as never])).toThrow(SearchError);
    expect(() => buildSearch([condition as never])).toThrow(message);
  });

  it('keeps words that merely contain and/or', () => {
    expect(buildSearch([{ field: 'name', op: 'LIKE', value: 'Oregon Android' }])).toBe(
      'name LIKE Oregon Android',
    );
  });

  it('rejects an empty condition list; strings pass through searchString', () => {
    expect(() => buildSearch([])).toThrow(SearchError);
    expect(searchString('name LIKE test')).toBe('name LIKE test');
  });
});

describe('durations', () => {
  it('validates single-unit search durations', () => {
    expect(zpaDuration('15d')).toBe('15d');
    expect(zpaDuration('12h')).toBe('12h');
    expect(() => zpaDuration('15 days')).toThrow(RangeError);
    expect(() => zpaDuration('-1d')).toThrow(RangeError);
    expect(() => zpaDuration('1.5h')).toThrow(RangeError);
  });

  it('reads reported durations and formats ms', () => {
    expect(durationToMs('12h')).toBe(43_200_000);
    expect(durationToMs('132d 19h 50m 43s')).toBe(((132 * 24 + 19) * 60 + 50) * 60_000 + 43_000);
    expect(durationToMs('01d 11h 57m 54s')).toBe(((24 + 11) * 60 + 57) * 60_000 + 54_000);
    expect(() => durationToMs('soon')).toThrow(RangeError);
    expect(msToZpaDuration(15 * 86_400_000)).toBe('15d');
    expect(msToZpaDuration(90 * 60_000)).toBe('90m');
    expect(() => msToZpaDuration(1.5)).toThrow(RangeError);
  });
});
