import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { InvocationError } from './errors.ts';

const CHILD = fileURLToPath(new URL('./lambda-child.ts', import.meta.url));

export interface FunctionPoolOptions {
  /** The function's name (its Lambda context's functionName). */
  name: string;
  /** The bundle CDK built (`<asset dir>/index.mjs`). */
  bundle: string;
  /** The export the template's `Handler` names (`index.handler` → `handler`). */
  exportName: string;
  /** The whole environment of the function's processes (nothing is inherited). */
  env: Record<string, string>;
  timeoutMs: number;
  memoryMb: number;
  /** Concurrent execution environments at most (Lambda's concurrency for this function). */
  maxConcurrency: number;
  /** Every line the function prints (its CloudWatch log stream). */
  onLog?: (line: string) => void;
}

interface Environment {
  child: ChildProcess;
  ready: Promise<void>;
  busy: boolean;
  /** Invocations this environment finished (a fresh one has done nothing yet). */
  completed: number;
  /** Killed (timeout, chaos, stop): never handed another invocation, though its exit may not be seen yet. */
  dead?: boolean;
  pending?: { id: string; resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };
}

/**
 * Lambda's execution environments for one function, as separate `node` processes (each in its own
 * process group): one invocation at a time per environment, a new environment (a cold start that
 * loads the bundle) when all are busy, up to `maxConcurrency`; an invocation past the function's
 * timeout kills its environment, as Lambda does.
 *
 * @example
 * const pool = new FunctionPool({ name: 'webhook', bundle, exportName: 'handler', env, timeoutMs: 10_000, memoryMb: 512, maxConcurrency: 2 });
 * const answer = await pool.invoke(apiGatewayEvent);
 * await pool.stop();
 */
export class FunctionPool {
  readonly #o: FunctionPoolOptions;
  readonly #envs: Environment[] = [];
  readonly #waiting: (() => void)[] = [];
  #stopped = false;
  /** Invocations made, and execution environments started (cold starts). */
  invocations = 0;
  coldStarts = 0;
  /** Invocations that ran past the function's timeout (their environment was killed). */
  timeouts = 0;

  constructor(options: FunctionPoolOptions) {
    this.#o = options;
  }

  get name(): string {
    return this.#o.name;
  }

  async invoke(event: unknown): Promise<unknown> {
    if (this.#stopped) throw new InvocationError('Stopped', `${this.#o.name} is stopped`);
    this.invocations++;
    const env = await this.#acquire();
    try {
      await env.ready;
      return await this.#run(env, event);
    } finally {
      env.busy = false;
      this.#waiting.shift()?.();
    }
  }

  async #acquire(): Promise<Environment> {
    for (;;) {
      const idle = this.#envs.find((e) => !e.busy && !e.dead);
      if (idle) {
        idle.busy = true;
        return idle;
      }
      if (this.#envs.length < this.#o.maxConcurrency) {
        const started = this.#start();
        started.busy = true;
        return started;
      }
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
  }

  #start(): Environment {
    this.coldStarts++;
    const child = fork(CHILD, [this.#o.bundle, this.#o.exportName], {
      env: this.#o.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: true,
    });
    const env: Environment = { child, busy: false, completed: 0, ready: Promise.resolve() };
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) this.#o.onLog?.(line);
      });
    }
    env.ready = new Promise<void>((resolve, reject) => {
      child.once('message', (m: { ready?: boolean; initError?: string }) =>
        m.ready ? resolve() : reject(new InvocationError('Runtime.InitError', m.initError ?? 'init failed')),
      );
      child.once('exit', (code) =>
        reject(new InvocationError('Runtime.ExitError', `exited ${code} at init`)),
      );
    });
    env.ready.catch(() => {});
    child.on(
      'message',
      (m: { id?: string; ok?: boolean; result?: unknown; errorType?: string; errorMessage?: string }) => {
        const p = env.pending;
        if (!p || m.id !== p.id) return;
        clearTimeout(p.timer);
        env.pending = undefined;
        env.completed++;
        if (m.ok) p.resolve(m.result);
        else p.reject(new InvocationError(m.errorType ?? 'Error', m.errorMessage ?? ''));
      },
    );
    // A message sent to a process that just died fails with EPIPE: its exit rejects the invocation.
    child.on('error', () => {});
    child.on('exit', (code, signal) => {
      env.dead = true;
      const i = this.#envs.indexOf(env);
      if (i >= 0) this.#envs.splice(i, 1);
      // A slot is free again for an invocation waiting on one.
      this.#waiting.shift()?.();
      const p = env.pending;
      if (p) {
        clearTimeout(p.timer);
        env.pending = undefined;
        p.reject(new InvocationError('Runtime.ExitError', `the environment exited (${signal ?? code})`));
      }
    });
    this.#envs.push(env);
    return env;
  }

  #run(env: Environment, event: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (env.dead || env.child.exitCode !== null || env.child.signalCode !== null) {
        reject(new InvocationError('Runtime.ExitError', 'the environment exited before the invocation'));
        return;
      }
      const id = randomUUID();
      const timer = setTimeout(() => {
        env.pending = undefined;
        this.timeouts++;
        reject(
          new InvocationError('Sandbox.Timedout', `Task timed out after ${this.#o.timeoutMs / 1000} seconds`),
        );
        env.dead = true;
        kill(env.child);
      }, this.#o.timeoutMs);
      env.pending = { id, resolve, reject, timer };
      env.child.send({
        id,
        event,
        context: {
          awsRequestId: id,
          functionName: this.#o.name,
          memoryLimitInMB: String(this.#o.memoryMb),
          deadline: Date.now() + this.#o.timeoutMs,
        },
      });
    });
  }

  /** Whether an environment that already finished an invocation is running one now (see `killMidInvocation`). */
  hasWarmInvocationInFlight(): boolean {
    return this.#envs.some((e) => e.pending !== undefined && e.completed > 0);
  }

  /**
   * SIGKILLs one environment in the middle of an invocation, as when Lambda's sandbox dies: the
   * invocation fails (`Runtime.ExitError`) with whatever it had not finished left undone, and the next
   * invocation starts a new environment. Only an environment that finished an invocation before is
   * chosen (killing one still starting tests nothing new). Answers the killed process id, or undefined.
   */
  killMidInvocation(): number | undefined {
    const env = this.#envs.find((e) => e.pending !== undefined && e.completed > 0);
    if (!env) return undefined;
    const pid = env.child.pid;
    env.dead = true;
    kill(env.child);
    return pid;
  }

  /** Kills every environment (its whole process group). */
  async stop(): Promise<void> {
    this.#stopped = true;
    const exits = this.#envs.map(
      (e) =>
        new Promise<void>((resolve) =>
          e.child.exitCode !== null ? resolve() : e.child.once('exit', () => resolve()),
        ),
    );
    for (const e of this.#envs) kill(e.child);
    await Promise.all(exits);
  }
}

function kill(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}
