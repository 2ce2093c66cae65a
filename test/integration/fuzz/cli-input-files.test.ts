import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../cli/exit-codes.ts';
import { runCli } from '../../../cli/run.ts';
import { testIo } from '../../unit/cli/test-io.ts';

/**
 * Bad input files for the CLI: whatever a request file (`zcops submit FILE`), stdin (`-`) or a
 * profile file (`--profile-file`) holds, the CLI answers with an exit code scripts can rely on and a
 * message naming the input, never a crash or a stack trace. No stack is running, so a request file
 * that parses as a JSON object gets as far as "no stack to talk to" (exit 5).
 */

const dir = mkdtempSync(join(tmpdir(), 'zcops-cli-fuzz-'));

const contents = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc
    .record({
      action: fc.oneof(fc.constantFrom('appConnector.delete', 'ecVm.delete', 'nope'), fc.string()),
      tenant: fc.oneof(fc.constant('acme'), fc.string()),
      connector: fc.jsonValue({ maxDepth: 2 }),
    })
    .map((v) => JSON.stringify(v)),
  fc.constantFrom(
    '',
    ' \n',
    '{',
    '[]',
    'null',
    '"text"',
    '\uFEFF{}',
    '{"v":1}',
    `{"a":"${'x'.repeat(100_000)}"}`,
  ),
);

const noTrace = (text: string) => !/\n\s+at [^\n]+:\d+:\d+/.test(text);
let n = 0;

describe('CLI input files fuzz', () => {
  it('zcops submit FILE: exit 2 (bad file) or 5 (no stack), a message naming the file, no stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(contents, async (text) => {
        const file = join(dir, `request-${n++}.json`);
        writeFileSync(file, text);
        const io = testIo({ cwd: dir });
        const code = await runCli(['submit', file], io);
        expect([EXIT.usage, EXIT.unavailable]).toContain(code);
        if (code === EXIT.usage) expect(io.stderr).toContain(file);
        expect(io.stderr.length).toBeGreaterThan(0);
        expect(noTrace(io.stderr)).toBe(true);
      }),
      { numRuns: 150, seed: 8 },
    );
  });

  it('zcops submit - (stdin): the same, naming stdin', async () => {
    await fc.assert(
      fc.asyncProperty(contents, async (text) => {
        const io = testIo({ cwd: dir, stdin: text });
        const code = await runCli(['submit', '-'], io);
        expect([EXIT.usage, EXIT.unavailable]).toContain(code);
        if (code === EXIT.usage) expect(io.stderr).toContain('stdin');
        expect(noTrace(io.stderr)).toBe(true);
      }),
      { numRuns: 100, seed: 9 },
    );
  });

  it('--profile-file: exit 2 naming the file, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(contents, async (text) => {
        const file = join(dir, `profile-${n++}.json`);
        writeFileSync(file, text);
        const io = testIo({ cwd: dir });
        const code = await runCli(
          ['status', '00000000-0000-4000-8000-000000000001', '--profile-file', file],
          io,
        );
        expect(code).toBe(EXIT.usage);
        expect(io.stderr).toContain(file);
        expect(noTrace(io.stderr)).toBe(true);
      }),
      { numRuns: 150, seed: 10 },
    );
  });
});
