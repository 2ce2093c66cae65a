import type { RouteDef } from '../router.ts';
import { appConnectorGroupRoutes } from './appConnectorGroups.ts';
import { cloudConnectorGroupRoutes } from './cloudConnectorGroups.ts';
import { connectorRoutes } from './connectors.ts';
import { pccGroupRoutes } from './pccGroups.ts';
import { versionProfileRoutes } from './versionProfiles.ts';

/** Every ZPA route, relative to `/mgmtconfig/v1/admin/customers/{customerId}`. */
export const zpaRoutes: RouteDef[] = [
  ...connectorRoutes,
  ...appConnectorGroupRoutes,
  ...cloudConnectorGroupRoutes,
  ...pccGroupRoutes,
  ...versionProfileRoutes,
];
