import { describe, expect, it } from 'vitest';
import {
  AppConnectorBulkDeleteBodySchema,
  AppConnectorUpdateBodySchema,
} from '../../../shared/zscaler/schemas/app-connector.ts';
import {
  AppConnectorGroupCreateBodySchema,
  AppConnectorGroupUpdateBodySchema,
} from '../../../shared/zscaler/schemas/app-connector-group.ts';
import { VmInstanceIdSchema, ZpaIdSchema, ZtwIdSchema } from '../../../shared/zscaler/schemas/ids.ts';
import { PccGroupCreateBodySchema } from '../../../shared/zscaler/schemas/pcc-group.ts';

const acg = {
  name: 'App Connector group',
  latitude: '37.3382082',
  longitude: '-121.8863286',
  location: 'San Jose, CA, USA',
};
const pcc = {
  name: 'Test_AK',
  countryCode: 'IN',
  latitude: 17.406498,
  longitude: 78.47724389999999,
  location: 'Hyderabad',
};

/** Issues as `path: message`, to assert that each message names its field. */
function issues(
  schema: {
    safeParse(v: unknown): {
      success: boolean;
      error?: { issues: { path: PropertyKey[]; message: string }[] };
    };
  },
  input: unknown,
) {
  const r = schema.safeParse(input);
  expect(r.success).toBe(false);
  return (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('AppConnectorGroupCreateBodySchema', () => {
  it('applies the field-table defaults and sends numbers as the API expects', () => {
    expect(
      AppConnectorGroupCreateBodySchema.parse({ ...acg, latitude: 37.3382082, longitude: -121.8863286 }),
    ).toEqual({
      ...acg,
      enabled: true,
      dnsQueryType: 'IPV4_IPV6',
      upgradeDay: 'SUNDAY',
      upgradeTimeInSecs: '66600',
      overrideVersionProfile: false,
      tcpQuickAckApp: false,
      tcpQuickAckAssistant: false,
      tcpQuickAckReadAssistant: false,
    });
  });

  it('keeps the caller’s coordinate digits and normalises day, time, flags', () => {
    const body = AppConnectorGroupCreateBodySchema.parse({
      ...acg,
      longitude: '-122.60484730000002',
      upgradeDay: 'monday',
      upgradeTimeInSecs: 900,
      enabled: 'false',
      tcpQuickAckApp: true,
      tcpQuickAckAssistant: 'true',
      tcpQuickAckReadAssistant: true,
      overrideVersionProfile: true,
      versionProfileId: '72057594037928267',
      dnsQueryType: 'IPV4',
    });
    expect(body).toMatchObject({
      longitude: '-122.60484730000002',
      upgradeDay: 'MONDAY',
      upgradeTimeInSecs: '900',
      enabled: false,
      tcpQuickAckAssistant: true,
      versionProfileId: '72057594037928267',
    });
  });

  it('rejects an id given as an unsafe integer (it would lose digits)', () => {
    const r = AppConnectorGroupCreateBodySchema.safeParse({ ...acg, versionProfileId: 2 ** 60 });
    expect(r.error?.issues[0]?.message).toMatch(/versionProfileId must be a non-negative safe integer/);
    expect(AppConnectorGroupCreateBodySchema.parse({ ...acg, versionProfileId: 7 }).versionProfileId).toBe(
      '7',
    );
  });

  it('accepts the boundary values', () => {
    for (const [latitude, longitude] of [
      [-90, -180],
      [90, 180],
      ['0', '0'],
    ]) {
      expect(AppConnectorGroupCreateBodySchema.safeParse({ ...acg, latitude, longitude }).success).toBe(true);
    }
    for (const t of [0, '0', 85500, '85500']) {
      expect(AppConnectorGroupCreateBodySchema.safeParse({ ...acg, upgradeTimeInSecs: t }).success).toBe(
        true,
      );
    }
  });

  it.each([
    ['latitude', { latitude: 90.0001 }, /^latitude: latitude must be a number between -90 and 90/],
    ['latitude', { latitude: '-91' }, /^latitude: latitude/],
    ['latitude', { latitude: 'north' }, /^latitude: latitude/],
    ['longitude', { longitude: 180.5 }, /^longitude: longitude must be a number between -180 and 180/],
    ['longitude', { longitude: true }, /^longitude: longitude/],
    ['upgradeTimeInSecs', { upgradeTimeInSecs: 86400 }, /^upgradeTimeInSecs: upgradeTimeInSecs must be/],
    ['upgradeTimeInSecs', { upgradeTimeInSecs: '66601' }, /^upgradeTimeInSecs: .*steps of 900/],
    ['upgradeTimeInSecs', { upgradeTimeInSecs: -900 }, /^upgradeTimeInSecs:/],
    ['upgradeTimeInSecs', { upgradeTimeInSecs: '-66600' }, /^upgradeTimeInSecs:/],
    ['upgradeDay', { upgradeDay: 'FUNDAY' }, /^upgradeDay: upgradeDay must be one of SUNDAY/],
    ['dnsQueryType', { dnsQueryType: 'IPV5' }, /^dnsQueryType: dnsQueryType must be one of/],
    ['enabled', { enabled: 'yes' }, /^enabled: enabled must be true or false/],
    ['name', { name: '  ' }, /^name: name must not be empty/],
    [
      'versionProfileId',
      { versionProfileId: '12a' },
      /^versionProfileId: versionProfileId must be a string of digits/,
    ],
    ['unknown', { upgradeday: 'MONDAY' }, /Unrecognized key.*upgradeday/],
  ])('rejects a bad %s with a message naming it', (_field, patch, message) => {
    expect(issues(AppConnectorGroupCreateBodySchema, { ...acg, ...patch }).join('\n')).toMatch(message);
  });

  it.each(['name', 'latitude', 'longitude', 'location'])('requires %s', (field) => {
    const input: Record<string, unknown> = { ...acg };
    delete input[field];
    expect(issues(AppConnectorGroupCreateBodySchema, input).join('\n')).toMatch(
      new RegExp(`^${field}: ${field}`, 'm'),
    );
  });

  it('requires the three tcpQuickAck flags to be equal', () => {
    expect(issues(AppConnectorGroupCreateBodySchema, { ...acg, tcpQuickAckApp: true })).toEqual([
      'tcpQuickAckApp: tcpQuickAckApp, tcpQuickAckAssistant and tcpQuickAckReadAssistant must all have the same value',
    ]);
    expect(
      issues(AppConnectorGroupCreateBodySchema, { ...acg, tcpQuickAckReadAssistant: true }),
    ).toHaveLength(1);
  });

  it('reports cross-field issues together with field issues', () => {
    const all = issues(AppConnectorGroupCreateBodySchema, {
      ...acg,
      latitude: 100,
      tcpQuickAckApp: true,
      overrideVersionProfile: true,
    });
    expect(all.map((i) => i.split(':')[0])).toEqual(['latitude', 'tcpQuickAckApp', 'versionProfileId']);
    // A cross-field rule is skipped when a field it reads is itself invalid (no misleading extra issue).
    expect(issues(AppConnectorGroupCreateBodySchema, { ...acg, tcpQuickAckApp: 'yes' })).toEqual([
      'tcpQuickAckApp: tcpQuickAckApp must be true or false',
    ]);
    expect(
      issues(PccGroupCreateBodySchema, { ...pcc, countryCode: 'X', overrideVersionProfile: true }).length,
    ).toBe(2);
  });

  it('requires versionProfileId when overrideVersionProfile is true', () => {
    expect(issues(AppConnectorGroupCreateBodySchema, { ...acg, overrideVersionProfile: true })).toEqual([
      'versionProfileId: versionProfileId is required when overrideVersionProfile is true',
    ]);
    expect(
      AppConnectorGroupCreateBodySchema.safeParse({
        ...acg,
        overrideVersionProfile: false,
        versionProfileId: '0',
      }).success,
    ).toBe(true);
  });

  it('update body takes an optional id and the same rules', () => {
    expect(AppConnectorGroupUpdateBodySchema.parse({ ...acg, id: '72057615512764441' }).id).toBe(
      '72057615512764441',
    );
    expect(issues(AppConnectorGroupUpdateBodySchema, { ...acg, id: '../1' }).join()).toMatch(
      /^id: id must be/,
    );
  });
});

describe('PccGroupCreateBodySchema', () => {
  it('defaults upgradeDay to MONDAY and sends coordinates as numbers', () => {
    expect(PccGroupCreateBodySchema.parse({ ...pcc, latitude: '17.406498', countryCode: 'in' })).toEqual({
      ...pcc,
      countryCode: 'IN',
      enabled: true,
      upgradeDay: 'MONDAY',
      upgradeTimeInSecs: '66600',
      overrideVersionProfile: false,
    });
  });

  it('treats the docs’ empty siteId as absent and accepts the site list', () => {
    const body = PccGroupCreateBodySchema.parse({
      ...pcc,
      siteId: '',
      siteName: '',
      site: [{ id: '', name: '' }],
    });
    expect(body.siteId).toBeUndefined();
    expect(body.site).toEqual([{ id: '', name: '' }]);
  });

  it.each([
    ['countryCode missing', { countryCode: undefined }, /^countryCode: countryCode is required/],
    ['countryCode bad', { countryCode: 'IND' }, /^countryCode: countryCode must be a two-letter/],
    ['latitude', { latitude: -90.5 }, /^latitude: latitude must be/],
    ['longitude', { longitude: '181' }, /^longitude: longitude must be/],
    ['upgradeTimeInSecs', { upgradeTimeInSecs: 100 }, /^upgradeTimeInSecs:/],
    ['upgradeDay', { upgradeDay: 'someday' }, /^upgradeDay:/],
    ['siteId', { siteId: 'abc' }, /^siteId: siteId must be a string of digits/],
    ['versionProfile', { overrideVersionProfile: true }, /^versionProfileId: versionProfileId is required/],
  ])('rejects %s', (_name, patch, message) => {
    expect(issues(PccGroupCreateBodySchema, { ...pcc, ...patch }).join('\n')).toMatch(message);
  });
});

describe('App Connector bodies', () => {
  it('update: name/description/enabled only', () => {
    expect(AppConnectorUpdateBodySchema.parse({ name: 'Test_Connector', enabled: true })).toEqual({
      name: 'Test_Connector',
      enabled: true,
    });
    expect(issues(AppConnectorUpdateBodySchema, { fingerprint: 'x' }).join()).toMatch(/Unrecognized key/);
  });

  it('bulk delete: 1..100 digit-string ids; integers converted', () => {
    expect(AppConnectorBulkDeleteBodySchema.parse({ ids: ['217246660303024723', 12] })).toEqual({
      ids: ['217246660303024723', '12'],
    });
    expect(issues(AppConnectorBulkDeleteBodySchema, { ids: [] }).join()).toMatch(
      /ids: ids must name at least one/,
    );
    expect(
      issues(AppConnectorBulkDeleteBodySchema, {
        ids: Array.from({ length: 101 }, (_, i) => String(i)),
      }).join(),
    ).toMatch(/at most 100/);
    expect(issues(AppConnectorBulkDeleteBodySchema, { ids: ['<AppConnectorId>'] }).join()).toMatch(
      /^ids\.0: ids\[\] must be/,
    );
  });
});

describe('id schemas', () => {
  it('ZpaIdSchema: digit strings; safe integers converted; path tricks rejected', () => {
    expect(ZpaIdSchema.parse('217246660303024871')).toBe('217246660303024871');
    expect(ZpaIdSchema.parse(42)).toBe('42');
    for (const bad of ['', '1/2', '../1', '1?x=2', ' 1', '-1', '1.5', 1.5, -1, 2 ** 60, null, {}]) {
      expect(ZpaIdSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('ZtwIdSchema: integers; digit strings converted', () => {
    expect(ZtwIdSchema.parse(88001)).toBe(88001);
    expect(ZtwIdSchema.parse('7123')).toBe(7123);
    for (const bad of ['x', '1/2', -3, 1.2, '']) expect(ZtwIdSchema.safeParse(bad).success).toBe(false);
  });

  it('VmInstanceIdSchema: cloud instance ids only', () => {
    expect(VmInstanceIdSchema.parse('i-0123456789abcdef0')).toBe('i-0123456789abcdef0');
    expect(VmInstanceIdSchema.safeParse('a/b').success).toBe(false);
  });
});
