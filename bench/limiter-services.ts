/**
 * Child process of `bench/limiter.ts`: runs dynalite and the simulators, so their work does not delay
 * the workers' timers in the parent (each real worker is its own Lambda, with its own event loop).
 * Commands arrive over IPC: `{ op: 'sim', connectors }` → `{ url, ids }`, `{ op: 'stopSim', url }`, `{ op: 'exit' }`.
 */
import { startDynalite } from '../local/services/dynalite.ts';
import { type RunningSimulator, startSimulator } from '../simulator/index.ts';

const timeScale = Number(process.env.BENCH_TIME_SCALE ?? '20');
const ddb = await startDynalite();
const sims = new Map<string, RunningSimulator>();

type Command =
  | { id: number; op: 'sim'; connectors: number }
  | { id: number; op: 'stopSim'; url: string }
  | { id: number; op: 'exit' };

process.on('message', async (msg: Command) => {
  if (msg.op === 'sim') {
    const sim = await startSimulator({
      seed: { connectors: msg.connectors, groups: 5 },
      timeScale,
      rateLimits: true,
    });
    sims.set(sim.url, sim);
    process.send?.({ id: msg.id, url: sim.url, ids: [...sim.state.connectors.keys()] });
  } else if (msg.op === 'stopSim') {
    await sims.get(msg.url)?.stop();
    sims.delete(msg.url);
    process.send?.({ id: msg.id });
  } else {
    for (const s of sims.values()) await s.stop();
    await ddb.stop();
    process.send?.({ id: msg.id });
    process.disconnect();
  }
});
process.send?.({ id: 0, ddbEndpoint: ddb.endpoint });
