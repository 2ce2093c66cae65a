import { readFileSync } from 'node:fs';
import { type IntakeConfig, IntakeConfigSchema } from '../config/sources.ts';
import { issuesOf } from '../requests/issues.ts';
import { IntakeConfigError } from './errors.ts';

/**
 * Validates the intake configuration (tenants, sources, intake settings) from a JSON object;
 * throws `IntakeConfigError` naming every bad field, e.g. `sources[0].allowedActions[1]: ...`.
 *
 * @example
 * const config = loadIntakeConfig(JSON.parse(process.env.ZCOPS_CONFIG!));
 */
export function loadIntakeConfig(raw: unknown, origin = 'configuration'): IntakeConfig {
  const parsed = IntakeConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new IntakeConfigError(
      origin,
      issuesOf(parsed.error).map((i) => `${i.path}: ${i.message}`),
    );
  }
  return parsed.data;
}

/** Reads the config from `ZCOPS_CONFIG` (JSON text) or the file named by `ZCOPS_CONFIG_FILE`. */
export function loadIntakeConfigFromEnv(env: Record<string, string | undefined>): IntakeConfig {
  const inline = env.ZCOPS_CONFIG;
  const file = env.ZCOPS_CONFIG_FILE;
  const origin = inline ? 'ZCOPS_CONFIG' : (file ?? 'ZCOPS_CONFIG');
  let text: string;
  if (inline) text = inline;
  else if (file) text = readFileSync(file, 'utf8');
  else throw new IntakeConfigError(origin, ['(root): set ZCOPS_CONFIG or ZCOPS_CONFIG_FILE']);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new IntakeConfigError(origin, ['(root): not valid JSON']);
  }
  return loadIntakeConfig(raw, origin);
}
