import { describe, expect, it } from 'vitest';
import { ZpaApiError } from '../../../simulator/errors.ts';
import { Router } from '../../../simulator/router.ts';
import { loadVersionProfiles } from '../../../simulator/seed/docs.ts';
import { SimulatorState } from '../../../simulator/state/store.ts';
import { parseZpaPaging, zpaPage } from '../../../simulator/zpa/paging.ts';
import { microtenantParam, validateGroup, zpaId } from '../../../simulator/zpa/validation.ts';

const state = new SimulatorState({ customerId: '1', ztwOrgId: '2', now: () => 0 });
loadVersionProfiles(state, { builtinOnly: true });
const base = { name: ' g ', latitude: 45, longitude: '-122.6', location: 'x' };

const idOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ZpaApiError) return e.id;
    throw e;
  }
  return undefined;
};

describe('group validation', () => {
  it('fills documented defaults per kind', () => {
    expect(validateGroup(state, base, 'appConnectorGroup')).toMatchObject({
      name: 'g',
      latitude: '45',
      upgradeDay: 'SUNDAY',
      upgradeTimeInSecs: '66600',
      enabled: true,
      dnsQueryType: 'IPV4_IPV6',
    });
    expect(validateGroup(state, { ...base, countryCode: 'us' }, 'pccGroup')).toMatchObject({
      upgradeDay: 'MONDAY',
      countryCode: 'US',
    });
  });

  it.each([
    [{ latitude: -90 }, undefined],
    [{ latitude: 90.0001 }, 'invalid.latitude'],
    [{ longitude: 180 }, undefined],
    [{ longitude: '1e2' }, 'invalid.longitude'],
    [{ upgradeTimeInSecs: 0 }, undefined],
    [{ upgradeTimeInSecs: 85500 }, undefined],
    [{ upgradeTimeInSecs: -900 }, 'invalid.upgrade.time'],
    [{ upgradeTimeInSecs: 450 }, 'invalid.upgrade.time'],
    [{ upgradeDay: 'saturday' }, undefined],
    [{ enabled: 'maybe' }, 'invalid.boolean.value'],
    [{ tcpQuickAckReadAssistant: true }, 'invalid.tcp.quick.ack'],
    [{ overrideVersionProfile: 'true', versionProfileId: '1' }, undefined],
    [{ overrideVersionProfile: true, versionProfileId: '' }, 'version.profile.required'],
  ])('%j → %s', (patch, id) => {
    expect(idOf(() => validateGroup(state, { ...base, ...patch }, 'appConnectorGroup'))).toBe(id);
  });

  it('rejects non-object bodies', () => {
    expect(idOf(() => validateGroup(state, [1], 'appConnectorGroup'))).toBe('invalid.request.body');
    expect(idOf(() => validateGroup(state, undefined, 'pccGroup'))).toBe('invalid.request.body');
  });

  it('checks ids and microtenants', () => {
    expect(zpaId('123')).toBe('123');
    expect(idOf(() => zpaId('../etc'))).toBe('invalid.id');
    expect(microtenantParam(state, new Map([['microtenantId', '0']]))).toBe('0');
    expect(microtenantParam(state, new Map())).toBeUndefined();
    expect(idOf(() => microtenantParam(state, new Map([['microtenantId', '5']])))).toBe(
      'invalid.microtenant.id',
    );
  });
});

describe('ZPA paging', () => {
  it('defaults to 20, clamps to 500, validates', () => {
    expect(parseZpaPaging(new Map())).toEqual({ page: 1, pageSize: 20 });
    expect(parseZpaPaging(new Map([['pagesize', '9999']]))).toEqual({ page: 1, pageSize: 500 });
    expect(idOf(() => parseZpaPaging(new Map([['pagesize', '0']])))).toBe('invalid.page.size');
    expect(idOf(() => parseZpaPaging(new Map([['page', 'x']])))).toBe('invalid.page.number');
  });

  it('renders string totals and omits empty lists', () => {
    const items = [1, 2, 3, 4, 5];
    expect(zpaPage(items, { page: 2, pageSize: 2 }, (x) => x)).toEqual({ totalPages: '3', list: [3, 4] });
    expect(zpaPage(items, { page: 4, pageSize: 2 }, (x) => x, { withTotalCount: true })).toEqual({
      totalPages: '3',
      totalCount: '5',
    });
    expect(zpaPage([], { page: 1, pageSize: 20 }, (x) => x)).toEqual({ totalPages: '0' });
  });
});

describe('Router', () => {
  const h = () => ({ status: 200 });
  const r = new Router([
    { method: 'POST', path: '/connector/bulkDelete', handler: h },
    { method: 'GET', path: '/connector/:id', handler: h },
  ]);
  it('matches literals before parameters and reports 405 vs 404', () => {
    expect(r.match('POST', '/connector/bulkDelete')).toMatchObject({ kind: 'found', params: {} });
    expect(r.match('GET', '/connector/42')).toMatchObject({ kind: 'found', params: { id: '42' } });
    expect(r.match('GET', '/connector/42/')).toMatchObject({ kind: 'found' });
    expect(r.match('DELETE', '/connector/42').kind).toBe('method-not-allowed');
    expect(r.match('GET', '/connector/42/x').kind).toBe('not-found');
  });
});
