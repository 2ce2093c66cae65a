import { fieldPaths, type ItsmMapping, type MappedField } from '../config/itsm-fields.ts';
import type { Action } from '../requests/actions.ts';
import { ACTIONS } from '../requests/actions.ts';
import type { Issue } from '../requests/issues.ts';
import { fieldValue } from './field-path.ts';

/** A canonical request draft built from an ITSM body, with where each field came from. */
export interface MappedRequest {
  draft: Record<string, unknown>;
  /** Canonical path → ITSM field path, so issues name the field the ITSM sent. */
  origins: Record<string, string>;
  /** Problems found while mapping (unknown action, unreadable group JSON). */
  issues: Issue[];
}

const normalize = (v: string): string =>
  v
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

/** Action names an ITSM choice list may use, besides the canonical names. */
const DEFAULT_ACTION_VALUES: Record<string, Action> = {
  delete_app_connector: 'appConnector.delete',
  delete_connector: 'appConnector.delete',
  remove_app_connector: 'appConnector.delete',
  bulk_delete_app_connectors: 'appConnector.bulkDelete',
  delete_app_connectors: 'appConnector.bulkDelete',
  cleanup_app_connectors: 'appConnector.cleanup',
  cleanup_disconnected_connectors: 'appConnector.cleanup',
  teardown_app_connector: 'appConnector.teardown',
  delete_ec_vm: 'ecVm.delete',
  delete_cloud_connector: 'ecVm.delete',
  delete_branch_connector: 'ecVm.delete',
  create_app_connector_group: 'appConnectorGroup.create',
  create_connector_group: 'appConnectorGroup.create',
  create_pcc_group: 'pccGroup.create',
  create_private_cloud_controller_group: 'pccGroup.create',
  inventory_snapshot: 'inventory.snapshot',
  snapshot: 'inventory.snapshot',
  ...Object.fromEntries(ACTIONS.map((a) => [normalize(a), a])),
};

/**
 * Maps a ServiceNow or Jira webhook body onto a canonical request draft (validated afterwards by
 * `submit`). The ticket becomes `source.ref`, so a resent ticket is deduped (ticket + action +
 * target); the ticket's summary becomes the reason.
 *
 * @example
 * const { draft, origins, issues } = mapItsmBody({ number: 'CHG0030001', u_zcops_action: 'Delete App Connector',
 *   u_zscaler_tenant: 'acme', u_connector_id: '72057615512764537', short_description: 'decommission' },
 *   { system: 'servicenow', fields: {}, actionValues: {} });
 */
export function mapItsmBody(body: unknown, mapping: ItsmMapping): MappedRequest {
  const paths = fieldPaths(mapping);
  const origins: Record<string, string> = {};
  const issues: Issue[] = [];
  const get = (field: MappedField, canonicalPath: string): unknown => {
    const v = fieldValue(body, paths[field]);
    if (v !== undefined) origins[canonicalPath] = paths[field];
    return v;
  };
  const draft: Record<string, unknown> = {};
  const put = (target: Record<string, unknown>, key: string, field: MappedField, path: string) => {
    const v = get(field, path);
    if (v !== undefined) target[key] = v;
  };

  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return {
      draft,
      origins,
      issues: [{ path: '(root)', message: `the ${mapping.system} body must be a JSON object` }],
    };
  }

  const rawAction = get('action', 'action');
  origins.action = paths.action;
  const action = resolveAction(rawAction, mapping);
  if (action === undefined) {
    issues.push({
      path: 'action',
      field: paths.action,
      message:
        rawAction === undefined
          ? `the requested action is missing (field ${paths.action})`
          : `"${String(rawAction).slice(0, 100)}" is not a known action (field ${paths.action}); use one of ${ACTIONS.join(', ')}`,
    });
  } else {
    draft.action = action;
  }
  put(draft, 'tenant', 'tenant', 'tenant');
  const ticket = get('ticket', 'source.ref');
  if (ticket !== undefined) draft.source = { ref: typeof ticket === 'string' ? ticket : String(ticket) };
  else
    issues.push({
      path: 'source.ref',
      field: paths.ticket,
      message: `the ticket number is missing (field ${paths.ticket})`,
    });
  const reason = get('reason', 'reason');
  draft.reason = reason ?? (ticket !== undefined ? `${mapping.system} ticket ${String(ticket)}` : undefined);
  if (draft.reason === undefined) delete draft.reason;
  put(draft, 'requestedBy', 'requestedBy', 'requestedBy');
  put(draft, 'idempotencyKey', 'idempotencyKey', 'idempotencyKey');
  put(draft, 'dryRun', 'dryRun', 'dryRun');
  put(draft, 'force', 'force', 'force');

  switch (action) {
    case 'appConnector.delete': {
      const connector: Record<string, unknown> = {};
      put(connector, 'id', 'connectorId', 'connector.id');
      if (connector.id === undefined) {
        put(connector, 'privateIp', 'privateIp', 'connector.privateIp');
        if (connector.privateIp === undefined) put(connector, 'name', 'connectorName', 'connector.name');
      }
      put(connector, 'groupId', 'groupId', 'connector.groupId');
      draft.connector = connector;
      put(draft, 'microtenantId', 'microtenantId', 'microtenantId');
      break;
    }
    case 'appConnector.bulkDelete': {
      const ids = get('connectorIds', 'ids');
      draft.ids = typeof ids === 'string' ? ids.split(/[\s,;]+/).filter((s) => s !== '') : ids;
      put(draft, 'groupId', 'groupId', 'groupId');
      put(draft, 'microtenantId', 'microtenantId', 'microtenantId');
      break;
    }
    case 'appConnector.cleanup':
      put(draft, 'disconnectedFor', 'disconnectedFor', 'disconnectedFor');
      put(draft, 'groupId', 'groupId', 'groupId');
      put(draft, 'microtenantId', 'microtenantId', 'microtenantId');
      break;
    case 'appConnector.teardown':
      draft.provider = 'other';
      put(draft, 'instanceId', 'instanceId', 'instanceId');
      put(draft, 'privateIp', 'privateIp', 'privateIp');
      put(draft, 'connectorName', 'connectorName', 'connectorName');
      put(draft, 'groupId', 'groupId', 'groupId');
      break;
    case 'ecVm.delete': {
      const vm: Record<string, unknown> = {};
      put(vm, 'instanceId', 'instanceId', 'vm.instanceId');
      if (vm.instanceId === undefined) {
        put(vm, 'groupId', 'vmGroupId', 'vm.groupId');
        put(vm, 'vmId', 'vmId', 'vm.vmId');
      }
      draft.vm = vm;
      break;
    }
    case 'appConnectorGroup.create':
    case 'pccGroup.create': {
      const group = groupJson(body, paths.groupJson, issues);
      const g = (key: string, field: MappedField) => put(group, key, field, `group.${key}`);
      g('name', 'groupName');
      g('description', 'groupDescription');
      g('location', 'location');
      g('latitude', 'latitude');
      g('longitude', 'longitude');
      g('upgradeDay', 'upgradeDay');
      g('upgradeTimeInSecs', 'upgradeTimeInSecs');
      g('enabled', 'enabled');
      g('overrideVersionProfile', 'overrideVersionProfile');
      g('versionProfileId', 'versionProfileId');
      if (action === 'appConnectorGroup.create') {
        g('dnsQueryType', 'dnsQueryType');
        put(draft, 'versionProfileName', 'versionProfileName', 'versionProfileName');
      } else {
        g('countryCode', 'countryCode');
        g('siteId', 'siteId');
        g('siteName', 'siteName');
        put(draft, 'microtenantId', 'microtenantId', 'microtenantId');
      }
      draft.group = group;
      break;
    }
    default:
      break;
  }
  return { draft, origins, issues };
}

function resolveAction(raw: unknown, mapping: ItsmMapping): Action | undefined {
  if (typeof raw !== 'string') return undefined;
  const custom = Object.entries(mapping.actionValues).find(([k]) => normalize(k) === normalize(raw));
  if (custom) return custom[1];
  const key = normalize(raw);
  // Own keys only: an action such as `constructor` must not find a prototype member.
  return Object.hasOwn(DEFAULT_ACTION_VALUES, key) ? DEFAULT_ACTION_VALUES[key] : undefined;
}

function groupJson(body: unknown, path: string, issues: Issue[]): Record<string, unknown> {
  const v = fieldValue(body, path);
  if (v === undefined) return {};
  let parsed: unknown = v;
  if (typeof v === 'string') {
    try {
      parsed = JSON.parse(v);
    } catch {
      issues.push({
        path: 'group',
        field: path,
        message: `field ${path} must hold a JSON object of group fields`,
      });
      return {};
    }
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    issues.push({
      path: 'group',
      field: path,
      message: `field ${path} must hold a JSON object of group fields`,
    });
    return {};
  }
  return { ...(parsed as Record<string, unknown>) };
}
