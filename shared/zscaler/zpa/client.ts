import type { ApiClient } from '../http/api-client.ts';
import { AppConnectorGroupsApi } from './app-connector-groups.ts';
import { AppConnectorsApi } from './app-connectors.ts';
import { CloudConnectorGroupsApi } from './cloud-connector-groups.ts';
import type { ZpaContext } from './context.ts';
import { PccGroupsApi } from './pcc-groups.ts';
import { VersionProfilesApi } from './version-profiles.ts';

/**
 * The ZPA management API of one tenant, by resource.
 *
 * @example
 * const zpa = createZpaClient({ tenant, credentials: secret.zpa, hooks });
 * await zpa.appConnectors.delete('217246660303024871');
 */
export class ZpaClient {
  readonly tenant: string;
  readonly appConnectors: AppConnectorsApi;
  readonly appConnectorGroups: AppConnectorGroupsApi;
  readonly cloudConnectorGroups: CloudConnectorGroupsApi;
  readonly pccGroups: PccGroupsApi;
  readonly versionProfiles: VersionProfilesApi;

  constructor(api: ApiClient, defaultMicrotenantId?: string) {
    const ctx: ZpaContext = { api, defaultMicrotenantId };
    this.tenant = api.tenant;
    this.appConnectors = new AppConnectorsApi(ctx);
    this.appConnectorGroups = new AppConnectorGroupsApi(ctx);
    this.cloudConnectorGroups = new CloudConnectorGroupsApi(ctx);
    this.pccGroups = new PccGroupsApi(ctx);
    this.versionProfiles = new VersionProfilesApi(ctx);
  }
}
