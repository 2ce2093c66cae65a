import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { SIMULATOR_CREDENTIALS, startSimulator } from '../../../simulator/index.ts';
import { waitFor } from '../../fixtures/wait-for.ts';
import { client, ZPA_BASE, zpaLogin } from './helpers.ts';

describe('simulator lifecycle', () => {
  it('stop() closes hanging requests and keep-alive sockets promptly', async () => {
    const sim = await startSimulator({ seed: 'empty' });
    const c = client(sim, { headersTimeout: 60_000 });
    const auth = await zpaLogin(c);
    sim.setOutage(true);
    const hanging = c.call('GET', `${ZPA_BASE}/connector`, { headers: auth });
    await waitFor(() => sim.callLog.some((e) => e.fault === 'outage'), {
      what: 'the call to reach the simulator',
    });
    await sim.stop();
    await expect(hanging).rejects.toThrow();
    await c.close();
  });

  it('seeds empty with only the built-in version profiles and listens where asked', async () => {
    const sim = await startSimulator({ seed: 'empty', host: '127.0.0.1' });
    expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
    expect(sim.state.connectors.size).toBe(0);
    expect(sim.state.versionProfiles.size).toBe(3);
    await sim.stop();
  });

  it('rejects a non-positive time scale', async () => {
    await expect(startSimulator({ timeScale: 0 })).rejects.toThrow(/timeScale/);
  });

  it('runs as a CLI that prints its URL and credentials and stops on SIGINT', async () => {
    const child = spawn(
      process.execPath,
      ['simulator/main.ts', '--port', '0', '--connectors', '100', '--groups', '4'],
      {
        cwd: new URL('../../../', import.meta.url).pathname,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m?.[1] && out.includes('Ctrl-C')) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    expect(out).toContain(SIMULATOR_CREDENTIALS.zpa.clientId);
    expect(out).toContain('100 connectors, 4 groups');
    const res = await request(`${url}/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `client_id=${SIMULATOR_CREDENTIALS.zpa.clientId}&client_secret=${SIMULATOR_CREDENTIALS.zpa.clientSecret}`,
    });
    expect(res.statusCode).toBe(200);
    await res.body.text();
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });
});
