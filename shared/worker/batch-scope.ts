import type { ControlStore } from '../guardrails/control-store.ts';
import { type PauseState, PauseSwitch } from '../guardrails/pause-switch.ts';
import type { WorkerDeps } from './deps.ts';

/** Reads a tenant's pause switch (the run loop's only pure read of a control item). */
export interface PauseReader {
  state(tenant: string): Promise<PauseState | undefined>;
}

/**
 * The pause switches as one batch sees them: each tenant's switch is read once, when the batch's
 * first record asks, and every record of the batch gets that answer. The batch's records run side by
 * side (they start together), so they would read the same switch within milliseconds anyway; a pause
 * set meanwhile holds from the next batch on. A failed read is not kept: the next record reads again.
 *
 * @example
 * const pauses = new BatchPauses(deps.control);
 * await pauses.state('acme'); // one GetItem
 * await pauses.state('acme'); // the same answer, no request
 */
export class BatchPauses implements PauseReader {
  readonly #switch: PauseSwitch;
  readonly #reads = new Map<string, Promise<PauseState | undefined>>();

  constructor(control: ControlStore) {
    this.#switch = new PauseSwitch(control);
  }

  state(tenant: string): Promise<PauseState | undefined> {
    let read = this.#reads.get(tenant);
    if (!read) {
      read = this.#switch.state(tenant);
      this.#reads.set(tenant, read);
      read.catch(() => this.#reads.delete(tenant));
    }
    return read;
  }
}

/**
 * The worker's deps for one SQS batch: the same stores, with the pause switches read once for the
 * batch (`BatchPauses`). The handler makes one per invocation.
 *
 * @example
 * const batch = batchScope(deps);
 * for (const record of event.Records) await runJobMessage(batch, toIncoming(record));
 */
export function batchScope(deps: WorkerDeps): WorkerDeps {
  return { ...deps, pauses: new BatchPauses(deps.control) };
}
