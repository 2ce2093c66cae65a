import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'zcops-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs a command in its own process group; the whole group is killed if it outlives `timeoutMs`. */
function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * `npm pack` (its prepack builds the CLI bundle), then the tarball laid out as `npm install` lays
 * out a package with a bin: unpacked into node_modules/zcops, the bin linked in node_modules/.bin.
 * Nothing else is installed: the bundle must run with no dependency beside it, from under
 * node_modules where Node refuses to strip types. (`npm install --offline <tgz>` itself cannot run
 * here: it resolves the project's production dependencies, aws-cdk-lib and the rest, whose registry
 * metadata an `npm ci` cache does not hold, so it stops with ENOTCACHED.)
 */
describe('the packed CLI', () => {
  it('npm pack ships the launcher and the bundle, no TypeScript', { timeout: 180_000 }, async () => {
    const packed = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: root });
    expect(packed.code, packed.stderr).toBe(0);
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as {
      filename: string;
      files: { path: string }[];
    }[];
    const files = info!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'cli/zcops.mjs', 'dist/cli/zcops.mjs']));
    expect(files.filter((f) => f.endsWith('.ts'))).toEqual([]);

    const app = join(work, 'app');
    const pkgDir = join(app, 'node_modules', 'zcops');
    mkdirSync(pkgDir, { recursive: true });
    const untar = await run(
      'tar',
      ['-xzf', join(work, info!.filename), '-C', pkgDir, '--strip-components=1'],
      {
        cwd: work,
      },
    );
    expect(untar.code, untar.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    mkdirSync(join(app, 'node_modules', '.bin'));
    const bin = join(app, 'node_modules', '.bin', 'zcops');
    symlinkSync(join('..', 'zcops', manifest.bin.zcops), bin);

    // Node 24 (the one running this test) first on PATH: the bin's shebang is `env node`.
    expect(process.versions.node.split('.')[0]).toBe('24');
    const env = { ...process.env, PATH: `${dirname(process.execPath)}:/usr/bin:/bin` };
    const version = await run(bin, ['--version'], { cwd: app, env, timeoutMs: 30_000 });
    expect(version.stderr).toBe('');
    expect(version.stdout.trim()).toBe(manifest.version);
    const help = await run(bin, ['--help'], { cwd: app, env, timeoutMs: 30_000 });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: zcops COMMAND/);
    expect(help.stdout).toMatch(/approve/);
    // Errors go to stderr, with --json too, and stdout stays empty.
    const noStack = await run(bin, ['status', '00000000-0000-4000-8000-000000000000', '--json'], {
      cwd: app,
      env,
      timeoutMs: 30_000,
    });
    expect(noStack.code).toBe(5);
    expect(noStack.stdout).toBe('');
    expect(JSON.parse(noStack.stderr).error.message).toMatch(/no stack to talk to/);
  });
});
