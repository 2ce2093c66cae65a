import { createHash } from 'node:crypto';
import type { CanonicalRequest } from './request.ts';

/**
 * A short, stable description of what a request acts on. It keys deduplication (ticket + action +
 * target), the requests table's summary, and the audit trail's resource index (`resourceKey`).
 *
 * @example
 * targetOf({ action: 'appConnector.delete', connector: { by: 'id', id: '7205' }, ... }) // 'appConnector/7205'
 */
export function targetOf(request: CanonicalRequest): string {
  switch (request.action) {
    case 'appConnector.delete': {
      const c = request.connector;
      if (c.by === 'id') return `appConnector/${c.id}`;
      if (c.by === 'name') return `appConnector/name=${c.name}`;
      return `appConnectorGroup/${c.groupId}/ip=${c.privateIp}`;
    }
    case 'appConnector.bulkDelete': {
      const digest = createHash('sha256')
        .update([...request.ids].sort().join(','))
        .digest('hex')
        .slice(0, 16);
      return `appConnector/bulk=${request.ids.length}:${digest}`;
    }
    case 'appConnector.cleanup':
      return request.groupId
        ? `appConnectorGroup/${request.groupId}/disconnected>${request.disconnectedFor}`
        : `appConnector/disconnected>${request.disconnectedFor}`;
    case 'appConnector.teardown':
      return `instance/${request.instanceId}`;
    case 'ecVm.delete':
      return request.vm.by === 'id'
        ? `ecgroup/${request.vm.groupId}/vm/${request.vm.vmId}`
        : `instance/${request.vm.instanceId}`;
    case 'appConnectorGroup.create':
      return `appConnectorGroup/name=${request.group.name}`;
    case 'pccGroup.create':
      return `pccGroup/name=${request.group.name}`;
    case 'inventory.snapshot':
      return 'inventory';
  }
}

/** The group a request is confined to, when it names one (used by group-bound source policies). */
export function groupOf(request: CanonicalRequest): string | undefined {
  switch (request.action) {
    case 'appConnector.delete':
      return request.connector.groupId;
    case 'appConnector.bulkDelete':
    case 'appConnector.cleanup':
    case 'appConnector.teardown':
      return request.groupId;
    case 'ecVm.delete':
      return request.vm.by === 'id' ? String(request.vm.groupId) : undefined;
    default:
      return undefined;
  }
}
