import { type WorkerConfig, WorkerConfigSchema } from '../config/worker.ts';
import { issuesOf } from '../requests/issues.ts';
import { WorkerConfigError } from './errors.ts';

/**
 * Parses the worker's config from a JSON value; throws `WorkerConfigError` naming every bad field.
 *
 * @example
 * const config = loadWorkerConfig(JSON.parse(process.env.ZCOPS_CONFIG!));
 */
export function loadWorkerConfig(raw: unknown, origin = 'ZCOPS_CONFIG'): WorkerConfig {
  // Parsed once per container: zod's compiled fast path would cost more to build than it saves.
  const parsed = WorkerConfigSchema.safeParse(raw, { jitless: true });
  if (!parsed.success) {
    throw new WorkerConfigError(
      origin,
      issuesOf(parsed.error).map((i) => `${i.path}: ${i.message}`),
    );
  }
  return parsed.data;
}
