import type { FunctionPool } from '../../local/deployed/lambda-pool.ts';
import { KillScheduler } from './kill-scheduler.ts';
import type { ChaosWorker, KillerStats } from './stack.ts';

export interface FunctionPoolKillerOptions {
  /** The deployed shape's worker function (its bundle in execution environments of their own). */
  pool: FunctionPool;
  /** Mean time between kills, ms (each gap is uniform in [0.5, 1.5] × this). 0: never kill. */
  meanKillIntervalMs: number;
  seed?: number;
  log?: (line: string) => void;
}

/**
 * Kills the deployed shape's worker mid-batch: an execution environment running the bundled worker
 * is SIGKILLed in the middle of an invocation (`KillScheduler` picks the moment). The event source
 * mapping sees the invocation fail, so the batch's messages come back after the queue's visibility
 * timeout; the next batch starts a new environment (a cold start), as in Lambda.
 *
 * @example
 * const killer = new FunctionPoolKiller({ pool: d.functions[d.functionId('worker')]!, meanKillIntervalMs: 5000 });
 * await killer.start();
 */
export class FunctionPoolKiller implements ChaosWorker {
  readonly #o: FunctionPoolKillerOptions;
  readonly #kills: KillScheduler<FunctionPool>;
  readonly #at: { coldStarts: number; invocations: number; timeouts: number };
  #killed = 0;

  constructor(options: FunctionPoolKillerOptions) {
    this.#o = options;
    const { pool } = options;
    // The pool may have run before the chaos run: the stats count from here.
    this.#at = { coldStarts: pool.coldStarts, invocations: pool.invocations, timeouts: pool.timeouts };
    this.#kills = new KillScheduler({
      meanKillIntervalMs: options.meanKillIntervalMs,
      seed: options.seed ?? 7,
      rearmAfterKill: true,
      target: {
        victim: () => (pool.hasWarmInvocationInFlight() ? pool : undefined),
        kill: (p) => {
          const pid = p.killMidInvocation();
          if (pid === undefined) return false;
          this.#killed++;
          this.#o.log?.(`[chaos] SIGKILL worker environment (pid ${pid}) mid-invocation`);
          return true;
        },
      },
    });
  }

  get stats(): KillerStats {
    const pool = this.#o.pool;
    return {
      spawned: pool.coldStarts - this.#at.coldStarts,
      killedMidBatch: this.#killed,
      timeouts: pool.timeouts - this.#at.timeouts,
      batches: pool.invocations - this.#at.invocations,
    };
  }

  async start(): Promise<void> {
    this.#kills.schedule();
  }

  setMeanKillInterval(ms: number): void {
    this.#kills.setMeanKillInterval(ms);
  }

  /** Stops killing; the worker goes on (the stack stops it). */
  async stop(): Promise<KillerStats> {
    this.#kills.stop();
    return this.stats;
  }
}
