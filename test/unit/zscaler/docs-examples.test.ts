import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  AppConnectorBulkDeleteBodySchema,
  AppConnectorSchema,
  AppConnectorUpdateBodySchema,
} from '../../../shared/zscaler/schemas/app-connector.ts';
import {
  AppConnectorGroupCreateBodySchema,
  AppConnectorGroupCreatedSchema,
  AppConnectorGroupSchema,
} from '../../../shared/zscaler/schemas/app-connector-group.ts';
import { CloudConnectorGroupSchema } from '../../../shared/zscaler/schemas/cloud-connector-group.ts';
import { zpaPage } from '../../../shared/zscaler/schemas/paging.ts';
import {
  PccGroupCreateBodySchema,
  PccGroupSchema,
  PccGroupSummarySchema,
  PccGroupUpdateBodySchema,
} from '../../../shared/zscaler/schemas/pcc-group.ts';
import { ActivationStatusSchema, EcGroupListSchema } from '../../../shared/zscaler/schemas/ztw.ts';
import { TokenResponseSchema } from '../../../shared/zscaler/zpa/auth/token-response.ts';

const dir = fileURLToPath(new URL('../../fixtures/zscaler-docs/', import.meta.url));
const load = (name: string): unknown => JSON.parse(readFileSync(`${dir}${name}`, 'utf8'));

const cases: [string, { parse(v: unknown): unknown }][] = [
  ['zpa-ccg-list.json', zpaPage(CloudConnectorGroupSchema)],
  ['zpa-ccg-list-paged.json', zpaPage(CloudConnectorGroupSchema)],
  ['zpa-ccg-get.json', CloudConnectorGroupSchema],
  ['zpa-connector-get.json', AppConnectorSchema],
  ['zpa-connector-list.json', zpaPage(AppConnectorSchema)],
  ['zpa-connector-list-paged.json', zpaPage(AppConnectorSchema)],
  ['zpa-connector-search-disconnected.json', zpaPage(AppConnectorSchema)],
  ['zpa-connector-search-enabled.json', zpaPage(AppConnectorSchema)],
  ['zpa-connector-update-body.json', AppConnectorUpdateBodySchema],
  ['zpa-connector-bulk-delete-body.json', AppConnectorBulkDeleteBodySchema],
  ['zpa-acg-create-body.json', AppConnectorGroupCreateBodySchema],
  ['zpa-acg-create-response.json', AppConnectorGroupCreatedSchema],
  ['zpa-acg-list.json', zpaPage(AppConnectorGroupSchema)],
  ['zpa-acg-list-paged.json', zpaPage(AppConnectorGroupSchema)],
  ['zpa-acg-search.json', zpaPage(AppConnectorGroupSchema)],
  ['zpa-acg-get.json', AppConnectorGroupSchema],
  ['zpa-pcc-create-body.json', PccGroupCreateBodySchema],
  ['zpa-pcc-create-response.json', PccGroupSchema],
  ['zpa-pcc-list.json', zpaPage(PccGroupSchema)],
  ['zpa-pcc-get.json', PccGroupSchema],
  ['zpa-pcc-summary.json', zpaPage(PccGroupSummarySchema)],
  ['zpa-pcc-update-body.json', PccGroupUpdateBodySchema],
  ['zpa-signin-response.json', TokenResponseSchema],
  ['oneapi-token-response.json', TokenResponseSchema],
  ['ztw-ecgroup-list.json', EcGroupListSchema],
  ['ztw-activation-status.json', ActivationStatusSchema],
];

describe('every docs example parses', () => {
  it.each(cases)('%s', (name, schema) => {
    expect(() => schema.parse(load(name))).not.toThrow();
  });
});

describe('normalisation of the real shapes', () => {
  it('string counts become numbers, list kept, unknown fields kept', () => {
    const page = zpaPage(AppConnectorGroupSchema).parse(load('zpa-acg-search.json'));
    expect(page.totalPages).toBe(28);
    expect(page.totalCount).toBe(28);
    expect(page.list[0]?.id).toBe('72057594038011104');
    expect((page.list[0] as Record<string, unknown>).ipAcl).toHaveLength(5);
    expect((page.list[0] as Record<string, unknown>).lssAppConnectorGroup).toBe(true);
  });

  it('an empty page without list or totalCount', () => {
    expect(zpaPage(AppConnectorSchema).parse({ totalPages: '0' })).toEqual({ totalPages: 0, list: [] });
    expect(zpaPage(AppConnectorSchema).parse({})).toEqual({ list: [] });
  });

  it('booleans and numbers sent as strings', () => {
    const c = AppConnectorSchema.parse({
      id: 5,
      name: 'x',
      enabled: 'TRUE',
      latitude: 45.1,
      upgradeAttempt: 0,
    });
    expect(c).toMatchObject({ id: '5', enabled: true, latitude: '45.1', upgradeAttempt: '0' });
  });

  it('token expires_in as string (legacy) or number (OneAPI)', () => {
    expect(TokenResponseSchema.parse(load('zpa-signin-response.json')).expires_in).toBe(3600);
    expect(TokenResponseSchema.parse(load('oneapi-token-response.json')).expires_in).toBe(3600);
  });

  it('ZTW integer ids, also from digit strings', () => {
    const [group] = EcGroupListSchema.parse(load('ztw-ecgroup-list.json'));
    expect(group?.id).toBe(7123);
    expect(group?.ecVMs?.[0]?.id).toBe(88001);
    expect(EcGroupListSchema.parse([{ id: '12' }])[0]?.id).toBe(12);
  });

  it('PCC create response keeps isPublic and the sample body is accepted', () => {
    const g = PccGroupSchema.parse(load('zpa-pcc-create-response.json'));
    expect(g.isPublic).toBe('FALSE');
    expect(g.latitude).toBe('17.406498');
  });
});
