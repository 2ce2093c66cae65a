import type { RequestRecord } from '../requests/request-record.ts';
import type { WorkerDeps } from './deps.ts';

/**
 * Records the settlement's metric, then tells every outcome listener that a request settled. A
 * listener's failure never changes the outcome: it is logged (the listener audits its own attempts).
 */
export async function notifySettled(deps: WorkerDeps, record: RequestRecord): Promise<void> {
  // Called once per transition into a settled state (run loop and dead-lettering alike).
  deps.metrics?.settled(record.state);
  for (const listener of deps.listeners ?? []) {
    try {
      await listener.settled(record);
    } catch (err) {
      deps.logger.warn('an outcome listener failed', {
        requestId: record.requestId,
        error: (err as Error).message,
      });
    }
  }
}
