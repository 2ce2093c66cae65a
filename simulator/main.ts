import { parseArgs } from 'node:util';
import { SIMULATOR_CREDENTIALS, startSimulator } from './index.ts';
import type { FaultConfig, FaultKind, SimulatorOptions } from './types.ts';

/**
 * `npm run simulator -- --port 9000 [--seed docs|empty] [--connectors N --groups N]
 * [--time-scale N] [--no-rate-limits] [--latency-ms N] [--fault-429 0.1 --fault-500 0.05 …]`
 */

const FAULT_FLAGS: Record<string, FaultKind> = {
  'fault-429': 'tooManyRequests',
  'fault-500': 'serverError',
  'fault-503': 'unavailable',
  'fault-timeout': 'timeout',
  'fault-reset': 'reset',
  'fault-slow': 'slow',
  'fault-edit-lock': 'editLock',
  'fault-expired-auth': 'expiredAuth',
  'fault-applied-then-500': 'appliedThenError',
  'fault-applied-then-timeout': 'appliedThenTimeout',
  'fault-simultaneous-request': 'simultaneousRequest',
  'fault-concurrent-access': 'concurrentAccess',
  'fault-non-restricted-auth': 'nonRestrictedAuth',
  'fault-org-barrier': 'orgBarrier',
  'fault-precondition-failed': 'preconditionFailed',
  'fault-resource-access-blocked': 'resourceAccessBlocked',
  'fault-session-invalidated': 'sessionInvalidated',
};

const USAGE = `Usage: npm run simulator -- [options]
  --port N                 port (default 9000; 0 = any)
  --host H                 host (default 127.0.0.1)
  --seed docs|empty        seed from the docs' examples (default) or start empty
  --connectors N           generate a tenant with N App Connectors (with --groups, --ec-groups, --vms-per-group)
  --groups N               App Connector groups of the generated tenant
  --ec-groups N            Cloud & Branch Connector groups of the generated tenant
  --vms-per-group N        VMs per ecgroup of the generated tenant
  --prng-seed N            PRNG seed for generation and faults
  --time-scale N           shorten every window, session and token lifetime N times
  --no-rate-limits         do not enforce rate limits
  --latency-ms N           added latency per answer
  --activation-seconds N   how long a ZTW activation runs once out of the queue (default 3, scaled)
  ${Object.keys(FAULT_FLAGS)
    .map((f) => `--${f} RATE`)
    .join(' ')}
                           fault rates in 0..1
  --help`;

function num(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) {
    console.error(`--${name} must be a number`);
    process.exit(2);
  }
  return n;
}

const faultOptions = Object.fromEntries(
  Object.keys(FAULT_FLAGS).map((f) => [f, { type: 'string' as const }]),
);
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '9000' },
    host: { type: 'string', default: '127.0.0.1' },
    seed: { type: 'string' },
    connectors: { type: 'string' },
    groups: { type: 'string' },
    'ec-groups': { type: 'string' },
    'vms-per-group': { type: 'string' },
    'prng-seed': { type: 'string' },
    'time-scale': { type: 'string' },
    'no-rate-limits': { type: 'boolean', default: false },
    'latency-ms': { type: 'string' },
    'activation-seconds': { type: 'string' },
    help: { type: 'boolean', default: false },
    ...faultOptions,
  },
  strict: true,
});
const v = values as Record<string, string | boolean | undefined>;
if (v.help) {
  console.log(USAGE);
  process.exit(0);
}
const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);

const prngSeed = num(str('prng-seed'), 'prng-seed');
let seed: SimulatorOptions['seed'] = 'docs';
if (str('connectors') !== undefined || str('groups') !== undefined) {
  seed = {
    connectors: num(str('connectors'), 'connectors'),
    groups: num(str('groups'), 'groups'),
    ecGroups: num(str('ec-groups'), 'ec-groups'),
    vmsPerGroup: num(str('vms-per-group'), 'vms-per-group'),
    seed: prngSeed,
  };
} else if (str('seed') === 'empty' || str('seed') === 'docs') {
  seed = str('seed') as 'docs' | 'empty';
} else if (str('seed') !== undefined) {
  console.error('--seed must be docs or empty (use --connectors/--groups to generate)');
  process.exit(2);
}

const faults: FaultConfig = { seed: prngSeed };
for (const [flag, kind] of Object.entries(FAULT_FLAGS)) {
  const rate = num(str(flag), flag);
  if (rate !== undefined) faults[kind] = rate;
}

const sim = await startSimulator({
  port: num(str('port'), 'port'),
  host: str('host'),
  seed,
  timeScale: num(str('time-scale'), 'time-scale'),
  rateLimits: !v['no-rate-limits'],
  latencyMs: num(str('latency-ms'), 'latency-ms'),
  activationSeconds: num(str('activation-seconds'), 'activation-seconds'),
  faults,
});

const c = SIMULATOR_CREDENTIALS;
console.log(`Zscaler simulator listening on ${sim.url}`);
console.log(
  `  ZPA legacy:  POST ${sim.url}/signin  (client_id=${c.zpa.clientId}, client_secret=${c.zpa.clientSecret})`,
);
console.log(`               ${sim.url}/mgmtconfig/v1/admin/customers/${c.zpa.customerId}/…`);
console.log(
  `  OneAPI:      POST ${sim.url}/oauth2/v1/token  (same client id/secret, audience=https://api.zscaler.com)`,
);
console.log(
  `               ${sim.url}/zpa/mgmtconfig/v1/admin/customers/${c.zpa.customerId}/…  and  ${sim.url}/ztw/api/v1/…`,
);
console.log(
  `  ZTW legacy:  POST ${sim.url}/api/v1/auth  (username=${c.ztw.username}, password=${c.ztw.password}, apiKey=${c.ztw.apiKey})`,
);
console.log(
  `  State: ${sim.state.connectors.size} connectors, ${sim.state.appConnectorGroups.size} groups, ${sim.state.ecGroups.size} ecgroups`,
);
console.log('Ctrl-C to stop.');

const shutdown = () => {
  sim.stop().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
