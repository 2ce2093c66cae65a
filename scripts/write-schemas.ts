import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiDocument } from '../functions/webhook/openapi.ts';
import { CONFIG_SCHEMA_FILE, configJsonSchema } from '../infra/config-json-schema.ts';

/**
 * Writes the generated, committed descriptions: `docs/openapi.json` (the webhook API) and
 * `zcops.config.schema.json` (the configuration file). With `--check` it writes nothing and exits 1
 * when a committed file differs from what the code generates.
 *
 * @example
 * npm run schemas            # after changing a route, a request or answer schema, or the config schema
 * npm run schemas -- --check
 */
export const GENERATED_FILES: Record<string, () => unknown> = {
  'docs/openapi.json': openApiDocument,
  [CONFIG_SCHEMA_FILE]: configJsonSchema,
};

/** A generated file's exact text (two-space JSON and a final newline). */
export function generatedText(file: string): string {
  const make = GENERATED_FILES[file];
  if (!make) throw new Error(`${file} is not a generated file`);
  return `${JSON.stringify(make(), null, 2)}\n`;
}

if (import.meta.main) {
  const root = join(import.meta.dirname, '..');
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const file of Object.keys(GENERATED_FILES)) {
    const text = generatedText(file);
    const path = join(root, file);
    if (check) {
      let committed = '';
      try {
        committed = readFileSync(path, 'utf8');
      } catch {
        // missing counts as stale
      }
      if (committed !== text) {
        stale++;
        process.stderr.write(`${file} is out of date: run npm run schemas\n`);
      }
    } else {
      writeFileSync(path, text);
      process.stdout.write(`wrote ${file}\n`);
    }
  }
  process.exitCode = stale > 0 ? 1 : 0;
}
