import type { IntakeConfig, SourcePolicy } from '../config/sources.ts';
import { NAME_PATTERN } from '../requests/actions.ts';
import { AuthenticationError } from './errors.ts';

/** Header naming the calling source. */
export const SOURCE_HEADER = 'x-zcops-source';

/**
 * The sources a webhook call may come from: the one named by the `X-Zcops-Source` header (a hint,
 * never needed), else every source that has webhook credentials. Authentication then finds, among
 * them, the one whose credential the caller holds (`identifyCaller`).
 *
 * @example
 * const candidates = candidateSources(config, headers);
 */
export function candidateSources(
  config: IntakeConfig,
  headers: Readonly<Record<string, string | undefined>>,
): SourcePolicy[] {
  const named = headers[SOURCE_HEADER];
  if (named !== undefined) {
    if (!NAME_PATTERN.test(named)) throw new AuthenticationError(`${SOURCE_HEADER} must be a source name`);
    const found = config.sources.find((s) => s.name === named);
    if (!found) throw new AuthenticationError(`unknown source "${named}"`);
    if (!found.auth && !found.secretName) {
      throw new AuthenticationError(`source ${found.name} does not accept webhook calls`);
    }
    return [found];
  }
  return config.sources.filter((s) => s.auth || s.secretName);
}

/**
 * The autoscaling source a lifecycle event belongs to: the one named in its metadata, else the one
 * bound to its Auto Scaling group, else the only autoscaling source without bindings.
 */
export function resolveAutoscalingSource(
  config: IntakeConfig,
  asgName: string,
  named: string | undefined,
): SourcePolicy | undefined {
  const auto = config.sources.filter((s) => s.kind === 'autoscaling');
  if (named !== undefined) return auto.find((s) => s.name === named);
  const bound = auto.filter((s) => s.asgNames?.includes(asgName));
  if (bound.length === 1) return bound[0];
  if (bound.length > 1) return undefined;
  const unbound = auto.filter((s) => s.asgNames === undefined);
  return unbound.length === 1 ? unbound[0] : undefined;
}

/** The schedule source: the one named, else the only schedule source. */
export function resolveScheduleSource(
  config: IntakeConfig,
  named: string | undefined,
): SourcePolicy | undefined {
  const schedules = config.sources.filter((s) => s.kind === 'schedule');
  if (named !== undefined) return schedules.find((s) => s.name === named);
  return schedules.length === 1 ? schedules[0] : undefined;
}
