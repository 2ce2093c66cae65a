import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../cli/commands/index.ts';
import { EXIT } from '../../../cli/exit-codes.ts';
import { runCli } from '../../../cli/run.ts';
import { testIo } from './test-io.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'zcops-cli-unit-'));

describe('zcops: help, usage and exit codes', () => {
  it('--help lists every command and the exit codes', async () => {
    const io = testIo({ cwd: dir() });
    expect(await runCli(['--help'], io)).toBe(EXIT.ok);
    for (const c of COMMANDS) expect(io.stdout).toContain(c.name);
    expect(io.stdout).toContain('Exit codes:');
  });

  it('every command has --help (exit 0), without needing a stack', async () => {
    for (const c of COMMANDS) {
      const io = testIo({ cwd: dir() });
      expect(await runCli([...c.name.split(' '), '--help'], io), c.name).toBe(EXIT.ok);
      expect(io.stdout).toContain(`zcops ${c.name}`);
      expect(io.stdout).toContain('--json');
    }
    const io = testIo({ cwd: dir() });
    expect(await runCli(['help', 'dlq', 'list'], io)).toBe(EXIT.ok);
    expect(io.stdout).toContain('zcops dlq list');
  });

  it('no command, unknown commands and unknown flags are usage errors (exit 2)', async () => {
    expect(await runCli([], testIo({ cwd: dir() }))).toBe(EXIT.usage);
    const io = testIo({ cwd: dir() });
    expect(await runCli(['frobnicate'], io)).toBe(EXIT.usage);
    expect(io.stderr).toContain('unknown command "frobnicate"');
    const io2 = testIo({ cwd: dir() });
    expect(await runCli(['status', '--bogus'], io2)).toBe(EXIT.usage);
    expect(io2.stderr).toMatch(/bogus/);
    const io3 = testIo({ cwd: dir() });
    expect(await runCli(['dlq', 'purge'], io3)).toBe(EXIT.usage);
    expect(io3.stderr).toContain('dlq list');
  });

  it('errors are JSON on stderr with --json; stdout stays empty', async () => {
    const io = testIo({ cwd: dir() });
    expect(await runCli(['status', 'not-a-uuid', '--json'], io)).toBe(EXIT.usage);
    expect(io.errorJson<{ error: { message: string; exitCode: number } }>().error).toMatchObject({
      exitCode: 2,
    });
    expect(io.stdout).toBe('');
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    const io = testIo({ cwd: dir() });
    expect(await runCli(['--version'], io)).toBe(EXIT.ok);
    expect(io.stdout).toBe(`${version}\n`);
    const io2 = testIo({ cwd: dir() });
    expect(await runCli(['--version', '--json'], io2)).toBe(EXIT.ok);
    expect(io2.json()).toEqual({ version });
  });

  it('without a stack, commands say how to get one (exit 5)', async () => {
    const io = testIo({ cwd: dir() });
    expect(await runCli(['limiter'], io)).toBe(EXIT.unavailable);
    expect(io.stderr).toContain('npm start');
  });
});

describe('zcops submit: bad input files give clear errors (exit 2)', () => {
  const cases: [string, string | undefined, RegExp][] = [
    ['missing.json', undefined, /missing\.json: file not found/],
    ['broken.json', '{"action": "appConnector.delete",', /broken\.json: not valid JSON/],
    ['array.json', '[1, 2]', /must be a JSON object/],
    ['empty.json', '   ', /empty; expected a JSON request/],
  ];
  for (const [file, content, message] of cases) {
    it(file, async () => {
      const cwd = dir();
      if (content !== undefined) writeFileSync(join(cwd, file), content);
      const io = testIo({ cwd });
      expect(await runCli(['submit', file], io)).toBe(EXIT.usage);
      expect(io.stderr).toMatch(message);
    });
  }
  it('stdin that is not JSON', async () => {
    const io = testIo({ cwd: dir(), stdin: 'action=delete' });
    expect(await runCli(['submit', '-'], io)).toBe(EXIT.usage);
    expect(io.stderr).toContain('stdin: not valid JSON');
  });
  it('two files', async () => {
    const io = testIo({ cwd: dir() });
    expect(await runCli(['submit', 'a.json', 'b.json'], io)).toBe(EXIT.usage);
  });
});
