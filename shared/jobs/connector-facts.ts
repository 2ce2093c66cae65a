import type { AppConnector } from '../zscaler/schemas/app-connector.ts';
import type { PlanResource } from './job.ts';

/** The control channel status of a connector that is down. */
export const DISCONNECTED = 'ZPN_STATUS_DISCONNECTED';

/** Connected unless its control channel says DISCONNECTED (the design's rule for `force`). */
export function isConnected(c: AppConnector): boolean {
  return c.controlChannelStatus !== DISCONNECTED;
}

/** A connector as a resource the plan deletes. */
export function connectorResource(c: AppConnector): PlanResource {
  return {
    kind: 'appConnector',
    id: c.id,
    name: c.name,
    effect: 'delete',
    connected: isConnected(c),
    facts: {
      ...(c.appConnectorGroupId ? { groupId: c.appConnectorGroupId } : {}),
      ...(c.privateIp ? { privateIp: c.privateIp } : {}),
      ...(c.controlChannelStatus ? { controlChannelStatus: c.controlChannelStatus } : {}),
    },
  };
}

/** `{ microtenantId }` when the request names one. */
export function microtenantOf(request: { microtenantId?: string | undefined }): { microtenantId?: string } {
  return request.microtenantId === undefined ? {} : { microtenantId: request.microtenantId };
}
