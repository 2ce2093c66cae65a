import type { Action } from '../requests/actions.ts';
import { appConnectorBulkDeleteJob } from './app-connector-bulk-delete.ts';
import { appConnectorCleanupJob } from './app-connector-cleanup.ts';
import { appConnectorDeleteJob } from './app-connector-delete.ts';
import { appConnectorGroupCreateJob } from './app-connector-group-create.ts';
import { ecVmDeleteJob } from './ec-vm-delete.ts';
import { inventorySnapshotJob } from './inventory-snapshot/job.ts';
import type { Job } from './job.ts';
import { pccGroupCreateJob } from './pcc-group-create.ts';
import { teardownJob } from './teardown/job.ts';

/** Every job by its action. An action without a job fails its requests with a clear reason. */
export type JobRegistry = { readonly [A in Action]?: Job<A> };

/**
 * The jobs the worker runs. To add a job, import it and add ONE line `'<action>': <job>,` below.
 * The mapped type checks that each job's `action` matches its key.
 *
 * @example
 * const job = jobFor(registry, 'appConnector.delete');
 */
export const JOBS: JobRegistry = {
  'appConnector.delete': appConnectorDeleteJob,
  'appConnector.bulkDelete': appConnectorBulkDeleteJob,
  'appConnector.cleanup': appConnectorCleanupJob,
  'ecVm.delete': ecVmDeleteJob,
  'appConnectorGroup.create': appConnectorGroupCreateJob,
  'pccGroup.create': pccGroupCreateJob,
  'inventory.snapshot': inventorySnapshotJob,
  'appConnector.teardown': teardownJob,
};

/** The job for an action, or undefined when none is registered. */
export function jobFor<A extends Action>(registry: JobRegistry, action: A): Job<A> | undefined {
  return registry[action] as Job<A> | undefined;
}
