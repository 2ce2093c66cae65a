import { createPrng, type Prng } from '../../simulator/prng.ts';

/** What gets killed: the worker process (or execution environment) of a chaos run. */
export interface KillTarget<V> {
  /**
   * The victim when a kill now would land mid-batch in a worker that finished a batch before; else
   * undefined. An idle worker, or one still starting, is left alone: killing it tests nothing new, and
   * on a loaded machine (where a worker takes seconds to start and to finish a batch) the kills would
   * otherwise take every worker before it got anything done, and the run would not progress.
   */
  victim(): V | undefined;
  /** Kills the victim if it is still the one running; answers whether it killed. */
  kill(victim: V): boolean;
}

export interface KillSchedulerOptions<V> {
  target: KillTarget<V>;
  /** Mean time between kills, ms (each gap is uniform in [0.5, 1.5] × this). 0: never kill. */
  meanKillIntervalMs: number;
  seed: number;
  /** Arm the next kill right after a kill (else the owner calls `schedule` when a new worker is ready). */
  rearmAfterKill: boolean;
}

/**
 * When to kill the worker of a chaos run: a random gap, then the next moment a batch is in flight (up
 * to 5 s of waiting), then a random moment into the batch.
 *
 * @example
 * const kills = new KillScheduler({ target, meanKillIntervalMs: 5000, seed: 7, rearmAfterKill: true });
 * kills.schedule();
 */
export class KillScheduler<V> {
  readonly #o: KillSchedulerOptions<V>;
  readonly #rnd: Prng;
  #timer: NodeJS.Timeout | undefined;
  #stopping = false;

  constructor(options: KillSchedulerOptions<V>) {
    this.#o = { ...options };
    this.#rnd = createPrng(options.seed);
  }

  /** Changes the kill rate (0 stops killing). */
  setMeanKillInterval(ms: number): void {
    this.#o.meanKillIntervalMs = ms;
    clearTimeout(this.#timer);
    this.schedule();
  }

  /** Arms the next kill; the gap runs from now. */
  schedule(): void {
    clearTimeout(this.#timer);
    if (this.#stopping || this.#o.meanKillIntervalMs <= 0) return;
    const gap = this.#o.meanKillIntervalMs * (0.5 + this.#rnd.next());
    this.#timer = setTimeout(() => void this.#killWhenBusy(), gap);
  }

  stop(): void {
    this.#stopping = true;
    clearTimeout(this.#timer);
  }

  async #killWhenBusy(): Promise<void> {
    const deadline = Date.now() + 5_000;
    while (!this.#stopping && this.#o.target.victim() === undefined && Date.now() < deadline) await sleep(20);
    const victim = this.#o.target.victim();
    if (this.#stopping || victim === undefined) return this.schedule();
    await sleep(this.#rnd.int(0, 400));
    if (this.#stopping || this.#o.meanKillIntervalMs <= 0) return;
    if (!this.#o.target.kill(victim) || this.#o.rearmAfterKill) this.schedule();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
