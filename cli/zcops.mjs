#!/usr/bin/env node
// Launcher of the `zcops` bin, plain JavaScript so it runs wherever npm links it. Installed as a
// package (under node_modules, where Node refuses to strip types) it runs the bundle that
// `prepack` built (dist/cli/zcops.mjs); in a checkout it runs the TypeScript entry, so `npx zcops`
// always runs the code as it is, never a stale bundle.
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(realpathSync(fileURLToPath(import.meta.url)));
const installed = here.split(sep).includes('node_modules');
const bundle = join(here, '..', 'dist', 'cli', 'zcops.mjs');
if (installed && !existsSync(bundle)) {
  process.stderr.write(
    `zcops: ${bundle} is missing; the package was packed without running its prepack script\n`,
  );
  process.exit(1);
}
await import(pathToFileURL(installed ? bundle : join(here, 'main.ts')).href);
