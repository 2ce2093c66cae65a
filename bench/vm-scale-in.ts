/**
 * `npm run bench:vm-scale-in`: a scale-in of one Cloud Connector group through the local stack. N
 * VMs (default 20) are deleted by their cloud instance ids (`ecVm.delete`, submitted at once through
 * `POST /v1/requests`) against the simulator enforcing the Cloud & Branch Connector per-endpoint
 * limits, with activations that take time (3 s). Checks the outcome is the truth: every request
 * SUCCEEDED, every VM gone from the simulator, one `PUT /ecAdminActivateStatus/activate`, no 429 and
 * no window of the per-endpoint limits overrun in the call log. Prints the wall time next to the
 * floor those limits set (DELETE /ecVm/uuid at 1/s, the activation, the verifying reads at 5/s) and
 * next to the floor of the old generic budget (DELETE 1/min and 4/h, GET 2/s), writes
 * bench/results/vm-scale-in.json, and ends with one JSON line
 * `{"bench":"vm-scale-in","vms":20,"wallMs":…,"floorMs":…,"ratio":…,"oldFloorMs":…,…}`.
 * Target: within 1.5× the floor.
 *
 * Everything runs in this process (as `bench:pipeline`); no child process is started.
 * Options (environment): SCALE_IN_VMS (default 20).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultLocalConfig, LOCAL_TENANT } from '../local/local-config.ts';
import { startLocalStack } from '../local/stack.ts';
import { isFinal } from '../shared/requests/state-machine.ts';
import { findRateViolations } from '../simulator/index.ts';
import { DEFAULT_ACTIVATION_MS } from '../simulator/ztw/activation.ts';
import { round } from './lib/stats.ts';
import { formatTable } from './lib/table.ts';

const N = Number(process.env.SCALE_IN_VMS ?? '20');
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The earliest schedule of `n` calls under windows of at most `limit` calls per `windowMs` each. */
function earliestLast(n: number, windows: { limit: number; windowMs: number }[]): number {
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    let at = 0;
    for (const w of windows) {
      const j = i - w.limit; // the call `limit` before this one must have left the window
      if (j >= 0) at = Math.max(at, (t[j] ?? 0) + w.windowMs);
    }
    t.push(at);
  }
  return t.at(-1) ?? 0;
}

/** Deletions, then the activation, then the reads that verify each VM is gone. */
const floorOf = (
  n: number,
  deletes: { limit: number; windowMs: number }[],
  reads: { limit: number; windowMs: number }[],
) => earliestLast(n, deletes) + DEFAULT_ACTIVATION_MS + earliestLast(n, reads);

const floorMs = floorOf(
  N,
  [
    { limit: 1, windowMs: SECOND },
    { limit: 400, windowMs: HOUR },
  ],
  [
    { limit: 5, windowMs: SECOND },
    { limit: 3000, windowMs: HOUR },
  ],
);
const oldFloorMs = floorOf(
  N,
  [
    { limit: 1, windowMs: MINUTE },
    { limit: 4, windowMs: HOUR },
  ],
  [
    { limit: 2, windowMs: SECOND },
    { limit: 1000, windowMs: HOUR },
  ],
);

const progress = (line: string) => console.error(`[vm-scale-in] ${line}`);
const stateDir = mkdtempSync(join(tmpdir(), 'zcops-scale-in-'));
const stack = await startLocalStack({
  stateDir,
  port: 0,
  writeProfile: false,
  schedules: false,
  config: defaultLocalConfig('http://127.0.0.1:1'),
  // The simulator enforces the per-endpoint limits (its default) and runs each activation 3 s.
  simulator: { seed: 'docs', rateLimits: true },
  pollWaitSeconds: 1,
  logLevel: 'CRITICAL',
});
try {
  const sim = stack.simulator!;
  const group = [...sim.state.ecGroups.values()][0]!;
  const vms = Array.from({ length: N }, () => sim.state.addEcVm(group.id));
  sim.reset();
  const token = readFileSync(join(stateDir, 'api.token'), 'utf8').trim();
  const headers = {
    authorization: `Bearer ${token}`,
    'x-zcops-source': 'api',
    'content-type': 'application/json',
  };
  // Progress is read through the worker's own store (the stack's wiring).
  const { store } = stack.deps.worker;
  progress(`stack up; deleting ${N} VMs of group ${group.id} by instance id`);
  const started = performance.now();
  const requestIds = await Promise.all(
    vms.map(async (vm, i) => {
      const r = await fetch(`${stack.url}/v1/requests`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          action: 'ecVm.delete',
          tenant: LOCAL_TENANT,
          reason: 'bench: scale-in',
          vm: { instanceId: vm.vmInstanceId },
          idempotencyKey: `scale-in-${i}-${vm.vmInstanceId}`,
        }),
      });
      const body = (await r.json()) as { requestId?: string };
      if (r.status !== 202 || !body.requestId) throw new Error(`intake answered ${r.status}`);
      return body.requestId;
    }),
  );
  const limit = Date.now() + 600_000;
  for (;;) {
    const records = await Promise.all(requestIds.map((id) => store.get(id)));
    if (records.every((r) => r && isFinal(r.state))) break;
    if (Date.now() > limit) throw new Error('not settled after 600 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  const wallMs = performance.now() - started;
  const records = await Promise.all(requestIds.map((id) => store.get(id)));
  const succeeded = records.filter((r) => r?.state === 'SUCCEEDED').length;
  const gone = vms.filter((vm) => sim.state.findVmByInstanceId(vm.vmInstanceId) === undefined).length;
  const ztw = sim.callLog.filter((e) => e.api === 'ztw');
  const activations = ztw.filter((e) => e.method === 'PUT' && e.path.endsWith('/activate')).length;
  const deletes = ztw.filter((e) => e.method === 'DELETE' && e.status === 200).length;
  const tooMany = sim.callLog.filter((e) => e.status === 429).length;
  const violations = findRateViolations(sim.callLog, sim.effectiveLimits()).length;
  const deleteTimes = ztw.filter((e) => e.method === 'DELETE').map((e) => e.at);
  const deleteSpanMs = deleteTimes.length > 0 ? Math.max(...deleteTimes) - Math.min(...deleteTimes) : 0;

  if (process.env.SCALE_IN_DEBUG) {
    const t0 = sim.callLog[0]?.at ?? 0;
    for (const e of sim.callLog)
      progress(`${((e.at - t0) / 1000).toFixed(2)} ${e.method} ${e.path} ${e.status} ${e.rateClass}`);
    for (const v of findRateViolations(sim.callLog, sim.effectiveLimits())) progress(JSON.stringify(v));
  }
  const ratio = wallMs / floorMs;
  const rows: (string | number)[][] = [
    ['zcops (local stack, per-endpoint budgets)', round(wallMs / 1000, 1), round(ratio, 2)],
    ['floor of the per-endpoint limits', round(floorMs / 1000, 1), 1],
    [
      'floor of the old budget (DELETE 1/min + 4/h)',
      round(oldFloorMs / 1000, 1),
      round(oldFloorMs / floorMs, 1),
    ],
  ];
  console.log(formatTable(['scale-in of one group', 'seconds', '× floor'], rows));
  console.log(
    `\n${N} VMs: ${succeeded} SUCCEEDED, ${gone} gone, ${deletes} DELETEs (span ${round(deleteSpanMs / 1000, 1)} s), ` +
      `${activations} activation(s), ${tooMany} 429s, ${violations} limit violations; ` +
      `floor = ${N} DELETE /ecVm/uuid at 1/s + one ${DEFAULT_ACTIVATION_MS / 1000} s activation + ${N} reads at 5/s; ` +
      `machine load average ${round(loadavg()[0] ?? 0, 1)}`,
  );
  const result = {
    bench: 'vm-scale-in',
    vms: N,
    wallMs: Math.round(wallMs),
    floorMs,
    ratio: round(ratio, 2),
    oldFloorMs,
    succeeded,
    gone,
    activations,
    tooManyRequests: tooMany,
    violations,
    target: 1.5,
    withinTarget: ratio <= 1.5,
    loadAverage: round(loadavg()[0] ?? 0, 1),
  };
  const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'vm-scale-in.json');
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify({ ...result, at: new Date().toISOString() }, null, 2)}\n`);
  console.log(JSON.stringify(result));
  // An outcome that is not the truth fails the run; the figures are for the reader to judge.
  if (succeeded !== N || gone !== N) process.exitCode = 1;
} finally {
  await stack.stop();
  rmSync(stateDir, { recursive: true, force: true });
}
