import { SIMULATOR_CREDENTIALS, startSimulator } from '../../simulator/index.ts';
import type { SimulatorOptions } from '../../simulator/types.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';

export const simulatorCommand: Command = {
  name: 'simulator',
  summary: 'start the Zscaler simulator (ZPA and Cloud & Branch Connector APIs) until Ctrl-C',
  usage: `Usage: zcops simulator [--port N] [--host H] [--seed docs|empty] [--connectors N --groups N]
                       [--time-scale N] [--no-rate-limits]
  --port N            default 9000 (0: any free port)
  --seed docs|empty   the docs' example objects (default) or an empty tenant
  --connectors N      generate a tenant of N App Connectors in --groups N groups
  --time-scale N      shorten every rate window, session and token lifetime N times
  --no-rate-limits    do not enforce Zscaler's rate limits
Prints its URL and the credentials it accepts (they open only the simulator). For fault injection
use npm run simulator -- --help.`,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    seed: { type: 'string' },
    connectors: { type: 'string' },
    groups: { type: 'string' },
    'time-scale': { type: 'string' },
    'no-rate-limits': { type: 'boolean' },
  },
  positionals: false,
  async run(ctx, args) {
    const v = args.values;
    const n = (k: string): number | undefined => {
      const s = v[k];
      if (s === undefined) return undefined;
      if (typeof s !== 'string' || !/^\d+(\.\d+)?$/.test(s)) throw new UsageError(`--${k} must be a number`);
      return Number(s);
    };
    let seed: SimulatorOptions['seed'] = 'docs';
    if (v.connectors !== undefined || v.groups !== undefined)
      seed = { connectors: n('connectors'), groups: n('groups') };
    else if (v.seed === 'empty' || v.seed === 'docs') seed = v.seed;
    else if (v.seed !== undefined) throw new UsageError('--seed must be docs or empty');
    const sim = await startSimulator({
      port: n('port') ?? 9000,
      host: typeof v.host === 'string' ? v.host : '127.0.0.1',
      seed,
      timeScale: n('time-scale'),
      rateLimits: v['no-rate-limits'] !== true,
    });
    const c = SIMULATOR_CREDENTIALS;
    ctx.print(
      {
        url: sim.url,
        zpa: { customerId: c.zpa.customerId, clientId: c.zpa.clientId, signin: `${sim.url}/signin` },
        ztw: { username: c.ztw.username, auth: `${sim.url}/api/v1/auth` },
        connectors: sim.state.connectors.size,
        groups: sim.state.appConnectorGroups.size,
      },
      () =>
        `Zscaler simulator listening on ${sim.url}\n` +
        `  ZPA:  POST ${sim.url}/signin (client_id ${c.zpa.clientId}); customer ${c.zpa.customerId}\n` +
        `  ZTW:  POST ${sim.url}/api/v1/auth (username ${c.ztw.username})\n` +
        `  ${sim.state.connectors.size} connectors, ${sim.state.appConnectorGroups.size} App Connector groups\n` +
        'Ctrl-C to stop.\n',
    );
    await new Promise<void>((resolve) => {
      if (ctx.io.signal.aborted) return resolve();
      ctx.io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await sim.stop();
    ctx.note('simulator stopped');
    return EXIT.ok;
  },
};
