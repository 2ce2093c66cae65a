import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KillScheduler } from './kill-scheduler.ts';
import type { ChaosWorker, KillerStats } from './stack.ts';
import type { WorkerProcessInput } from './worker-process.ts';

const WORKER_SCRIPT = fileURLToPath(new URL('./worker-process.ts', import.meta.url));

export interface WorkerKillerOptions {
  input: Omit<WorkerProcessInput, 'workerId'>;
  /** Mean time between kills, ms (each gap is uniform in [0.5, 1.5] × this). 0: never kill. */
  meanKillIntervalMs: number;
  seed?: number;
  /** Told of each kill and respawn. */
  log?: (line: string) => void;
}

/**
 * Runs the worker in a child process and SIGKILLs it mid-batch at random times (`KillScheduler`),
 * then starts a new one at once (a new Lambda sandbox). Messages of the killed invocation stay on the
 * queue and come back after their visibility timeout.
 *
 * @example
 * const killer = new WorkerKiller({ input, meanKillIntervalMs: 4000 });
 * await killer.start();
 * // … run …
 * const stats = await killer.stop();
 */
export class WorkerKiller implements ChaosWorker {
  readonly #o: WorkerKillerOptions;
  readonly #kills: KillScheduler<ChildProcess>;
  #child: ChildProcess | undefined;
  #inFlight = 0;
  /** Batches the current worker finished. */
  #finished = 0;
  #stopping = false;
  #generation = 0;
  readonly stats: KillerStats = { spawned: 0, killedMidBatch: 0, timeouts: 0, batches: 0 };

  constructor(options: WorkerKillerOptions) {
    this.#o = options;
    this.#kills = new KillScheduler({
      meanKillIntervalMs: options.meanKillIntervalMs,
      seed: options.seed ?? 7,
      // The exit handler respawns and arms the next kill once the new worker is ready: on a loaded
      // machine starting a worker takes seconds, and a gap counted from the kill would leave each
      // worker only its first batch.
      rearmAfterKill: false,
      target: {
        victim: () => (this.#inFlight > 0 && this.#finished > 0 ? this.#child : undefined),
        kill: (child) => {
          if (child !== this.#child || child.exitCode !== null || child.signalCode !== null) return false;
          if (this.#inFlight > 0) this.stats.killedMidBatch++;
          this.#o.log?.(`[chaos] SIGKILL worker (pid ${child.pid}, ${this.#inFlight} batch(es) in flight)`);
          child.kill('SIGKILL');
          return true;
        },
      },
    });
  }

  async start(): Promise<void> {
    await this.#spawn();
    this.#kills.schedule();
  }

  /** Changes the kill rate (0 stops killing). */
  setMeanKillInterval(ms: number): void {
    this.#kills.setMeanKillInterval(ms);
  }

  /** Stops killing and ends the worker process (SIGTERM: running batches finish). */
  async stop(): Promise<KillerStats> {
    this.#stopping = true;
    this.#kills.stop();
    const child = this.#child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const hard = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(hard);
    }
    return this.stats;
  }

  #spawn(): Promise<void> {
    const generation = ++this.#generation;
    const child = fork(WORKER_SCRIPT, [], {
      env: {
        ...process.env,
        CHAOS_WORKER: JSON.stringify({ ...this.#o.input, workerId: `chaos-worker-${generation}` }),
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.#child = child;
    this.#inFlight = 0;
    this.#finished = 0;
    this.stats.spawned++;
    child.on('message', (m: { type?: string; phase?: string }) => {
      if (m.type === 'batch' && m.phase === 'start') {
        this.#inFlight++;
        this.stats.batches++;
      } else if (m.type === 'batch' && m.phase === 'end') {
        this.#inFlight = Math.max(0, this.#inFlight - 1);
        if (child === this.#child) this.#finished++;
      } else if (m.type === 'timeout') this.stats.timeouts++;
    });
    child.on('exit', () => {
      if (this.#child !== child || this.#stopping) return;
      this.#spawn()
        .then(() => this.#kills.schedule())
        .catch((err) => this.#o.log?.(`[chaos] worker did not start: ${(err as Error).message}`));
    });
    return new Promise<void>((resolve, reject) => {
      const onMessage = (m: { type?: string }) => {
        if (m.type === 'ready') {
          child.off('message', onMessage);
          resolve();
        }
      };
      child.on('message', onMessage);
      child.once('exit', (code, signal) => reject(new Error(`worker exited at start (${code ?? signal})`)));
    });
  }
}
