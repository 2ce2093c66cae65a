import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createPrng, type Prng } from '../../simulator/prng.ts';
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

/** What the killer did. */
export interface KillerStats {
  /** Worker processes started (the first one included). */
  spawned: number;
  /** SIGKILLs sent while at least one batch was in flight. */
  killedMidBatch: number;
  /** Worker processes that ended themselves on an invocation timeout. */
  timeouts: number;
  /** Batches that started (in every process). */
  batches: number;
}

/**
 * Runs the worker in a child process and SIGKILLs it mid-batch at random times, then starts a new
 * one at once (a new Lambda sandbox). Messages of the killed invocation stay on the queue and come
 * back after their visibility timeout.
 *
 * @example
 * const killer = new WorkerKiller({ input, meanKillIntervalMs: 4000 });
 * await killer.start();
 * // … run …
 * const stats = await killer.stop();
 */
export class WorkerKiller {
  readonly #o: WorkerKillerOptions;
  readonly #rnd: Prng;
  #child: ChildProcess | undefined;
  #inFlight = 0;
  /** Batches the current worker finished. */
  #finished = 0;
  #stopping = false;
  #timer: NodeJS.Timeout | undefined;
  #generation = 0;
  readonly stats: KillerStats = { spawned: 0, killedMidBatch: 0, timeouts: 0, batches: 0 };

  constructor(options: WorkerKillerOptions) {
    this.#o = options;
    this.#rnd = createPrng(options.seed ?? 7);
  }

  async start(): Promise<void> {
    await this.#spawn();
    this.#schedule();
  }

  /** Changes the kill rate (0 stops killing). */
  setMeanKillInterval(ms: number): void {
    this.#o.meanKillIntervalMs = ms;
    clearTimeout(this.#timer);
    this.#schedule();
  }

  /** Stops killing and ends the worker process (SIGTERM: running batches finish). */
  async stop(): Promise<KillerStats> {
    this.#stopping = true;
    clearTimeout(this.#timer);
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

  /** Arms the next kill; the gap runs from now (a new worker: from when it is ready). */
  #schedule(): void {
    clearTimeout(this.#timer);
    if (this.#stopping || this.#o.meanKillIntervalMs <= 0) return;
    const gap = this.#o.meanKillIntervalMs * (0.5 + this.#rnd.next());
    this.#timer = setTimeout(() => void this.#killWhenBusy(), gap);
  }

  /**
   * Waits for a batch in flight (up to 5 s), lets it run a random moment, then kills. An idle worker,
   * or one that has not finished a batch yet, is left alone: killing it tests nothing new, and on a
   * loaded machine (where a worker takes seconds to start and to finish a batch) the kills would
   * otherwise take every worker before it got anything done, and the run would not progress.
   */
  async #killWhenBusy(): Promise<void> {
    const child = this.#child;
    const deadline = Date.now() + 5_000;
    const busy = () => this.#inFlight > 0 && this.#finished > 0;
    while (!this.#stopping && !busy() && Date.now() < deadline) await sleep(20);
    if (this.#stopping || child !== this.#child || !busy()) return this.#schedule();
    await sleep(this.#rnd.int(0, 400));
    if (this.#stopping || child !== this.#child || !child) return this.#schedule();
    if (this.#inFlight > 0) this.stats.killedMidBatch++;
    this.#o.log?.(`[chaos] SIGKILL worker (pid ${child.pid}, ${this.#inFlight} batch(es) in flight)`);
    child.kill('SIGKILL');
    // The exit handler respawns and arms the next kill once the new worker is ready: on a loaded
    // machine starting a worker takes seconds, and a gap counted from the kill would leave each
    // worker only its first batch.
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
        .then(() => this.#schedule())
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
