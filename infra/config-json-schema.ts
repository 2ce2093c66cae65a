import * as z from 'zod';
import { ZcopsConfigSchema } from './config.ts';

/** Where the generated schema is committed, relative to the project root. */
export const CONFIG_SCHEMA_FILE = 'zcops.config.schema.json';

/**
 * The JSON Schema (2020-12) of `zcops.config.json`, generated from the zod schema synth validates
 * with, for editors (`"$schema": "./zcops.config.schema.json"`). It carries every key, type, range,
 * pattern and default; cross-field rules (known tenants, worker timings, time zones) need code and
 * are checked by `cdk synth` and `npm start` only.
 *
 * @example
 * writeFileSync(CONFIG_SCHEMA_FILE, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ZcopsConfigSchema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    title: 'zcops configuration (zcops.config.json)',
    description:
      'Generated from infra/config.ts by npm run schemas. Rules across fields (tenants named by sources and schedules, worker timings, IANA time zones) are checked by cdk synth and npm start.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}
