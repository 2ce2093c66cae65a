/**
 * Every action zcops performs (DESIGN.md's table, plus the autoscaling teardown).
 */
export const ACTIONS = [
  'appConnector.delete',
  'appConnector.bulkDelete',
  'appConnector.cleanup',
  'appConnector.teardown',
  'ecVm.delete',
  'appConnectorGroup.create',
  'pccGroup.create',
  'inventory.snapshot',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Actions that create Zscaler objects: only ITSM sources may request them. */
export const CREATE_ACTIONS: readonly Action[] = ['appConnectorGroup.create', 'pccGroup.create'];

/** Actions that delete Zscaler objects (subject to group bindings and guardrails). */
export const DELETE_ACTIONS: readonly Action[] = [
  'appConnector.delete',
  'appConnector.bulkDelete',
  'appConnector.cleanup',
  'appConnector.teardown',
  'ecVm.delete',
];

/** Kinds of sources a request can come from. */
export const SOURCE_KINDS = ['itsm', 'autoscaling', 'schedule', 'api', 'cli'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Configured tenant and source names: lower-case letters, digits and dashes. */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
