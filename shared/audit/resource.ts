/**
 * Resource keys tie audit events to the Zscaler object they touch, so the trail can be queried per
 * resource across requests: `<tenant>:<kind>/<id>`, e.g. `acme:appConnector/72057615512764537`,
 * `acme:ecgroup/12/vm/34`, `acme:appConnectorGroup/name=San Jose`.
 */

/**
 * The key of a resource.
 *
 * @example
 * resourceKey('acme', 'appConnector/72057615512764537') // 'acme:appConnector/72057615512764537'
 */
export function resourceKey(tenant: string, target: string): string {
  return `${tenant}:${target}`;
}

/** ZPA collection names (as in URL paths) mapped to resource kinds. */
const ZPA_KINDS: Record<string, string> = {
  connector: 'appConnector',
  appConnectorGroup: 'appConnectorGroup',
  privateCloudControllerGroup: 'pccGroup',
  cloudConnectorGroup: 'cloudConnectorGroup',
};

/**
 * The resource a Zscaler call path addresses, when it addresses one object (`undefined` for lists,
 * searches and bulk calls).
 *
 * @example
 * resourceFromPath('acme', '/mgmtconfig/v1/admin/customers/1/connector/72057615512764537')
 * // 'acme:appConnector/72057615512764537'
 * resourceFromPath('acme', '/api/v1/ecgroup/12/vm/34') // 'acme:ecgroup/12/vm/34'
 */
export function resourceFromPath(tenant: string, path: string): string | undefined {
  const bare = path.split('?')[0] ?? '';
  const ec = /\/ecgroup\/(\d+)\/vm\/(\d+)$/.exec(bare);
  if (ec) return resourceKey(tenant, `ecgroup/${ec[1]}/vm/${ec[2]}`);
  const uuid = /\/ecVm\/uuid\/([A-Za-z0-9_-]+)$/.exec(bare);
  if (uuid) return resourceKey(tenant, `instance/${uuid[1]}`);
  const zpa = /\/customers\/\d+\/([A-Za-z]+)\/(\d+)$/.exec(bare);
  if (zpa?.[1] && zpa[2]) {
    const kind = ZPA_KINDS[zpa[1]];
    if (kind) return resourceKey(tenant, `${kind}/${zpa[2]}`);
  }
  return undefined;
}
