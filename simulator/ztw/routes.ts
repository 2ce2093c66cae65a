import type { RouteDef } from '../router.ts';
import { activationRoutes } from './activation.ts';
import { ecGroupRoutes } from './ecgroups.ts';

/** Every Cloud & Branch Connector route, relative to `/api/v1` (or `/ztw/api/v1` with OneAPI). */
export const ztwRoutes: RouteDef[] = [...ecGroupRoutes, ...activationRoutes];
