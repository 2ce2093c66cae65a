import { describe, expect, it } from 'vitest';
import { AppConnectorSchema } from '../../../shared/zscaler/schemas/app-connector.ts';
import {
  AppConnectorGroupCreatedSchema,
  AppConnectorGroupSchema,
} from '../../../shared/zscaler/schemas/app-connector-group.ts';
import { CloudConnectorGroupSchema } from '../../../shared/zscaler/schemas/cloud-connector-group.ts';
import { zpaPage } from '../../../shared/zscaler/schemas/paging.ts';
import { PccGroupSchema } from '../../../shared/zscaler/schemas/pcc-group.ts';
import { VersionProfileSchema } from '../../../shared/zscaler/schemas/version-profile.ts';

// Optional fields arrive absent, empty or null, and unknown fields appear over time (facts page).
describe('ZPA response schemas accept null and unknown optional fields', () => {
  it('a connector with null optional fields and a new field', () => {
    const c = AppConnectorSchema.parse({
      id: '1',
      name: 'c',
      description: null,
      privateIp: null,
      publicIp: null,
      controlChannelStatus: null,
      enrollmentCert: null,
      assistantVersion: null,
      appConnectorGroupId: null,
      lastBrokerConnectTime: null,
      someFieldAddedLater: { x: 1 },
    });
    expect(c).toMatchObject({ id: '1', name: 'c', someFieldAddedLater: { x: 1 } });
    expect(c.description).toBeUndefined();
    expect(c.privateIp).toBeUndefined();
  });

  it('groups (App Connector, PCC, Cloud Connector) and version profiles with nulls', () => {
    expect(
      AppConnectorGroupSchema.parse({
        id: '2',
        name: 'g',
        description: null,
        connectors: null,
        versionProfileId: null,
      }).connectors,
    ).toBeUndefined();
    expect(
      PccGroupSchema.parse({
        id: '3',
        name: 'p',
        siteId: null,
        siteName: null,
        siteControllers: null,
        readOnly: null,
      }),
    ).toMatchObject({ id: '3', name: 'p' });
    expect(
      CloudConnectorGroupSchema.parse({ id: '4', name: 'cc', cloudConnectors: null, ziaOrgId: null }).id,
    ).toBe('4');
    expect(
      VersionProfileSchema.parse({ id: '0', name: 'Default', versions: null, description: null }).name,
    ).toBe('Default');
  });

  it('fields a decision needs stay required: id and name', () => {
    expect(AppConnectorSchema.safeParse({ id: '1', name: null }).success).toBe(false);
    expect(AppConnectorGroupSchema.safeParse({ id: null, name: 'g' }).success).toBe(false);
  });

  it('a page with null counts and a null list is an empty page', () => {
    expect(zpaPage(AppConnectorSchema).parse({ totalPages: '0', totalCount: null, list: null })).toEqual({
      totalPages: 0,
      totalCount: undefined,
      list: [],
    });
  });

  it("the docs' App Connector group create answer (no id) parses", () => {
    const answer = {
      enabled: true,
      location: 'San Jose, CA, USA',
      dnsQueryType: 'IPV4_IPV6',
      overrideVersionProfile: false,
      name: 'test cg2',
      description: 'test cg description',
      upgradeDay: 'SUNDAY',
      upgradeTimeInSecs: '81000',
      latitude: '37.3382082',
      longitude: '-121.8863286',
      versionProfileId: '0',
    };
    const parsed = AppConnectorGroupCreatedSchema.parse(answer);
    expect(parsed.id).toBeUndefined();
    expect(parsed.name).toBe('test cg2');
  });
});
