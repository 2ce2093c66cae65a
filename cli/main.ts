#!/usr/bin/env node
import { processIo } from './io.ts';
import { runCli } from './run.ts';

/** `zcops` (the operator CLI): `npx zcops --help`. */
process.exitCode = await runCli(process.argv.slice(2), processIo());
