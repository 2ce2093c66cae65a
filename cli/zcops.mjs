#!/usr/bin/env node
// Launcher of the `zcops` bin. It is plain JavaScript, so it runs from wherever npm links it;
// it loads the TypeScript entry by its real path (Node strips types only outside node_modules).
import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(realpathSync(fileURLToPath(import.meta.url)));
await import(pathToFileURL(join(here, 'main.ts')).href);
