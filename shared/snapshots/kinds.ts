/**
 * The resource kinds a snapshot holds, one JSON Lines file each. Children that the API embeds in
 * their parent (App Connectors in groups, VMs in ecgroups) live in their own file only: the parent
 * line drops the embedded list and the child line names its parent.
 */
export const SNAPSHOT_KINDS = [
  'appConnectors',
  'appConnectorGroups',
  'cloudConnectorGroups',
  'pccGroups',
  'ecGroups',
  'ecVms',
] as const;
export type SnapshotKind = (typeof SNAPSHOT_KINDS)[number];

/** Which API serves each kind. */
export const KIND_API: Readonly<Record<SnapshotKind, 'zpa' | 'ztw'>> = {
  appConnectors: 'zpa',
  appConnectorGroups: 'zpa',
  cloudConnectorGroups: 'zpa',
  pccGroups: 'zpa',
  ecGroups: 'ztw',
  ecVms: 'ztw',
};

export function isSnapshotKind(value: unknown): value is SnapshotKind {
  return typeof value === 'string' && (SNAPSHOT_KINDS as readonly string[]).includes(value);
}
