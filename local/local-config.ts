import { readFileSync } from 'node:fs';
import { parseConfig, type ZcopsConfig } from '../infra/config.ts';
import { InfraConfigError } from '../infra/errors.ts';
import { SIMULATOR_CREDENTIALS } from '../simulator/index.ts';
import { LocalConfigError } from './errors.ts';

/** The local stack's tenant when it runs against the simulator. */
export const LOCAL_TENANT = 'acme';

/** The App Connector group the local autoscaling source may delete in (the docs' "AWS" group). */
export const LOCAL_ASG_GROUP_ID = '72057615512764441';

/** The Auto Scaling group whose terminate events the local autoscaling source stands for. */
export const LOCAL_ASG_NAME = 'zpa-app-connectors';

/** Secret names of the local configuration (values come from `localSecrets`). */
export const LOCAL_SECRET_NAMES = {
  tenant: `zcops/tenants/${LOCAL_TENANT}`,
  servicenow: 'zcops/sources/servicenow',
  jira: 'zcops/sources/jira',
  api: 'zcops/sources/api',
  cli: 'zcops/sources/cli',
} as const;

/**
 * The configuration the local stack runs with when none is given: one tenant on the simulator
 * (its URL is filled in at start), the four intake sources (ServiceNow, Jira, an API source, the
 * CLI), the Auto Scaling binding and a daily snapshot schedule. Same schema as the CDK app's.
 *
 * @example
 * const config = defaultLocalConfig('http://127.0.0.1:9000');
 */
export function defaultLocalConfig(simulatorUrl: string): ZcopsConfig {
  return parseConfig(
    {
      stack: { name: 'ZcopsLocal' },
      tenants: [
        {
          name: LOCAL_TENANT,
          zpa: {
            cloud: 'PRODUCTION',
            customerId: SIMULATOR_CREDENTIALS.zpa.customerId,
            baseUrl: simulatorUrl,
          },
          // A ZTW base URL is the API root (legacy session API under /api/v1), not a host as for ZPA.
          ztw: { cloud: 'zscalertwo.net', baseUrl: `${simulatorUrl}/api/v1` },
          secretName: LOCAL_SECRET_NAMES.tenant,
        },
      ],
      snapshotSchedules: [{ tenant: LOCAL_TENANT, expression: 'cron(0 3 * * ? *)', timezone: 'UTC' }],
      sources: [
        {
          name: 'servicenow',
          kind: 'itsm',
          secretName: LOCAL_SECRET_NAMES.servicenow,
          allowedActions: [
            'appConnectorGroup.create',
            'pccGroup.create',
            'appConnector.delete',
            'ecVm.delete',
          ],
          allowedTenants: [LOCAL_TENANT],
          itsm: { system: 'servicenow' },
        },
        {
          name: 'jira',
          kind: 'itsm',
          secretName: LOCAL_SECRET_NAMES.jira,
          allowedActions: ['appConnectorGroup.create', 'appConnector.delete'],
          allowedTenants: [LOCAL_TENANT],
          itsm: { system: 'jira' },
        },
        {
          name: 'api',
          kind: 'api',
          secretName: LOCAL_SECRET_NAMES.api,
          allowedActions: [
            'appConnector.delete',
            'appConnector.bulkDelete',
            'appConnector.cleanup',
            'ecVm.delete',
            'inventory.snapshot',
          ],
          allowedTenants: ['*'],
        },
        {
          name: 'cli',
          kind: 'cli',
          secretName: LOCAL_SECRET_NAMES.cli,
          allowedActions: [
            'appConnector.delete',
            'appConnector.bulkDelete',
            'appConnector.cleanup',
            'ecVm.delete',
            'inventory.snapshot',
          ],
          allowedTenants: ['*'],
          mayForce: true,
        },
        {
          name: 'aws-asg',
          kind: 'autoscaling',
          allowedActions: ['appConnector.teardown'],
          allowedTenants: [LOCAL_TENANT],
          allowedGroups: [LOCAL_ASG_GROUP_ID],
          asgNames: [LOCAL_ASG_NAME],
        },
        {
          name: 'snapshots',
          kind: 'schedule',
          allowedActions: ['inventory.snapshot'],
          allowedTenants: ['*'],
        },
      ],
      // Local: short timeouts so a failing job comes back quickly, two pollers on two cores; a Zscaler
      // call (2 attempts of at most 5 s, back-off, limiter sleep) still fits the 30 s invocation.
      worker: {
        maxConcurrency: 2,
        batchSize: 10,
        timeoutSeconds: 30,
        maxReceiveCount: 5,
        zscalerTimeoutSeconds: 5,
        zscalerMaxAttempts: 2,
      },
      logLevel: 'INFO',
    },
    'local default configuration',
  );
}

/** Reads and validates a zcops configuration file (the CDK app's schema). */
export function readConfigFile(path: string): ZcopsConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new LocalConfigError(path, [
      code === 'ENOENT' ? 'file not found' : `not valid JSON (${(err as Error).message})`,
    ]);
  }
  try {
    return parseConfig(raw, path);
  } catch (err) {
    if (err instanceof InfraConfigError) throw new LocalConfigError(path, [...err.issues]);
    throw err;
  }
}

/**
 * Points every tenant at the simulator (its base URL, and the simulator's ZPA customer id), so a
 * configuration written for real tenants can run locally without touching them.
 */
export function onSimulator(config: ZcopsConfig, simulatorUrl: string): ZcopsConfig {
  return {
    ...config,
    tenants: config.tenants.map((t) => ({
      ...t,
      zpa: {
        cloud: t.zpa?.cloud ?? 'PRODUCTION',
        customerId: SIMULATOR_CREDENTIALS.zpa.customerId,
        baseUrl: simulatorUrl,
      },
      ztw: { cloud: t.ztw?.cloud ?? 'zscalertwo.net', baseUrl: `${simulatorUrl}/api/v1` },
    })),
  };
}
