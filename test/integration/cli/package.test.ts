import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
 * `npm pack` (its prepack builds the CLI bundle), then `npm install --offline <tgz>` into an empty
 * folder, as a user installs it. The package declares no runtime dependencies (the bin is one bundle;
 * everything else is a devDependency of the checkout), so the only thing npm adds beside it is the
 * optional Node 24 binary that `npm ci` already cached, and the install needs no network.
 */
describe('the packed CLI', () => {
  it('npm pack ships the launcher and the bundle, no TypeScript', { timeout: 420_000 }, async () => {
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
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{"name":"zcops-install-check","private":true}\n');
    const installed = await run(
      'npm',
      ['install', '--offline', '--no-audit', '--no-fund', join(work, info!.filename)],
      { cwd: app, timeoutMs: 240_000 },
    );
    expect(installed.code, installed.stderr).toBe(0);
    const pkgDir = join(app, 'node_modules', 'zcops');
    const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
    const bin = join(app, 'node_modules', '.bin', 'zcops');

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
