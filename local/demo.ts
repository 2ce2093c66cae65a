import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { renderSnapshot } from '../cli/commands/snapshot.ts';
import { renderTrail, waitForSettled } from '../cli/request-view.ts';
import { SIGNATURE_HEADER, sign, TIMESTAMP_HEADER } from '../shared/core/webhook-signature.ts';
import type { RequestRecord } from '../shared/requests/request-record.ts';
import { LOCAL_ASG_GROUP_ID, LOCAL_TENANT } from './local-config.ts';
import { type LocalStack, startLocalStack } from './stack.ts';

/** What one flow of the demo came to. */
export interface FlowResult {
  name: string;
  ok: boolean;
  requestId?: string;
  state?: string;
  /** Why it is not ok. */
  problem?: string;
  /** Readable report: the audit trail (and the snapshot summary). */
  report: string;
}

export interface DemoOptions {
  /** Progress lines of the stack (default: none; `npm run demo` prints them). */
  print?: (line: string) => void;
  /** Per-flow time limit (default 30 s). */
  flowTimeoutMs?: number;
}

const INSTANCE_ID = 'i-0de30c0ffee0d3e05';
const INSTANCE_IP = '10.20.30.40';
const TICKET = 'CHG0040001';

/**
 * The end-to-end demo: starts the local stack (simulator tenant, everything in this process), then
 * 1. a ServiceNow change ticket (signed webhook) creates an App Connector group, and the ticket gets
 *    a work note saying so (the ServiceNow stand-in);
 * 2. an Auto Scaling terminate lifecycle event: the worker asks EC2 for the instance's private IP,
 *    completes the lifecycle action (CONTINUE) and removes the instance's App Connector, found by
 *    that IP (both AWS calls on the control-plane stand-in, through the real SDK clients);
 * 3. the snapshot schedule fires and an inventory snapshot is written to the bucket.
 * Each flow is checked against the simulator's state, the stand-ins' records and the bucket.
 *
 * @example
 * const results = await runDemo({ print: console.log });
 * process.exitCode = results.every((r) => r.ok) ? 0 : 1;
 */
export async function runDemo(options: DemoOptions = {}): Promise<FlowResult[]> {
  const stateDir = mkdtempSync(join(tmpdir(), 'zcops-demo-'));
  const timeoutMs = options.flowTimeoutMs ?? 30_000;
  const fired: unknown[] = [];
  let stack: LocalStack | undefined;
  try {
    stack = await startLocalStack({
      stateDir,
      port: 0,
      writeProfile: false,
      // The schedule fires shortly after start (as `--schedule-every 2s` would).
      scheduleEveryMs: 2_000,
      onScheduleFired: (_tenant, result) => fired.push(result),
      pollWaitSeconds: 1,
      ...(options.print ? { print: options.print } : {}),
    });
    const s = stack;
    // Outcomes are read through the worker's own store and audit log (the stack's wiring).
    const { store, audit } = s.deps.worker;
    const settle = async (
      name: string,
      requestId: string | undefined,
    ): Promise<{ record?: RequestRecord; report: string; problem?: string }> => {
      if (!requestId) return { report: '', problem: 'no request id was answered' };
      const { record, settled } = await waitForSettled(store, requestId, { timeoutMs, intervalMs: 200 });
      const trail = await audit.byRequest(requestId);
      const report = `${name}: request ${requestId} ${record?.state ?? 'missing'}\n${renderTrail(trail)}`;
      if (!settled)
        return {
          ...(record ? { record } : {}),
          report,
          problem: `still ${record?.state} after ${timeoutMs} ms`,
        };
      if (record?.state !== 'SUCCEEDED')
        return {
          ...(record ? { record } : {}),
          report,
          problem: `ended ${record?.state}: ${record?.error?.message ?? record?.stateReason ?? ''}`,
        };
      return { record, report };
    };
    const results: FlowResult[] = [];

    // 1. ITSM ticket → App Connector group created.
    {
      const name = 'ITSM ticket → App Connector group';
      const groupName = `Demo Lyon App Connectors ${Date.now().toString(36)}`;
      const body = JSON.stringify({
        number: TICKET,
        short_description: 'App Connector group for the Lyon data center',
        u_zcops_action: 'Create App Connector group',
        u_zscaler_tenant: LOCAL_TENANT,
        u_group_name: groupName,
        u_location: 'Lyon, France',
        u_latitude: '45.764',
        u_longitude: '4.8357',
        u_upgrade_day: 'sunday',
        u_upgrade_time_in_secs: '66600',
      });
      const secret = readFileSync(join(stateDir, 'secrets.json'), 'utf8');
      const key = (JSON.parse(secret) as Record<string, { hmac: string }>)['zcops/sources/servicenow']!.hmac;
      const ts = String(Math.floor(Date.now() / 1000));
      const answer = await fetch(`${s.url}/v1/hooks/servicenow`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [TIMESTAMP_HEADER]: ts,
          [SIGNATURE_HEADER]: sign(key, ts, body),
        },
        body,
      });
      const json = (await answer.json()) as { requestId?: string };
      const out = await settle(name, json.requestId);
      const created = [...s.simulator!.state.appConnectorGroups.values()].find((g) => g.name === groupName);
      // The callback follows the settlement: give it a moment.
      const notes = await waitFor(() => {
        const n = s.itsm?.servicenow.notes(TICKET) ?? [];
        return n.length > 0 ? n : undefined;
      }, 5_000);
      const note = notes?.at(-1);
      const problem =
        out.problem ??
        (!created
          ? `the simulator has no group named ${groupName}`
          : !note?.value.includes('(SUCCEEDED)')
            ? `the ServiceNow ticket ${TICKET} got no work note saying SUCCEEDED`
            : undefined);
      const callback = note
        ? `\nServiceNow ${TICKET} ${note.field} (as the ServiceNow stand-in received it):\n${indent(note.value)}`
        : '';
      results.push({
        name,
        ok: !problem,
        ...(json.requestId ? { requestId: json.requestId } : {}),
        ...(out.record ? { state: out.record.state } : {}),
        ...(problem ? { problem } : {}),
        report: out.report + callback,
      });
    }

    // 2. Autoscaling terminate → connector deleted, lifecycle action completed.
    {
      const name = 'Autoscaling terminate → connector removed, lifecycle completed';
      // Named unlike the instance: only its private IP (from EC2) can find it.
      const connector = s.simulator!.state.addConnector({
        name: 'lyon-connector-3',
        groupId: LOCAL_ASG_GROUP_ID,
        controlChannelStatus: 'ZPN_STATUS_DISCONNECTED',
        privateIp: INSTANCE_IP,
      });
      // Auto Scaling knows the instance (EC2 answers its IP) and its pending hook; the event carries
      // no IP, as a hook's metadata naming only the group.
      const answer = await fetch(`${s.url}/local/asg/terminate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ instanceId: INSTANCE_ID, privateIp: INSTANCE_IP }),
      });
      const json = (await answer.json()) as { result?: { requestId?: string } };
      const requestId = json.result?.requestId;
      const out = await settle(name, requestId);
      const gone = !s.simulator!.state.connectors.has(connector.id);
      const cp = s.controlPlane;
      const completion = cp?.completions.find((c) => c.instanceId === INSTANCE_ID);
      const described = cp?.calls.some((c) => c.action === 'DescribeInstances' && c.status === 200) ?? false;
      const problem =
        out.problem ??
        (!cp
          ? 'no AWS control-plane stand-in runs'
          : completion?.result !== 'CONTINUE'
            ? 'the Auto Scaling stand-in recorded no CompleteLifecycleAction CONTINUE for the instance'
            : !described
              ? 'EC2 DescribeInstances was not called'
              : !gone
                ? `connector ${connector.id} is still in the simulator`
                : undefined);
      const aws = cp
        ? `\nAWS control-plane stand-in: ${cp.calls.map((c) => `${c.action} → ${c.status}`).join(', ')}${
            completion
              ? `; lifecycle action of ${completion.instanceId} (${completion.asgName}/${completion.hookName}) completed ${completion.result}`
              : ''
          }`
        : '';
      results.push({
        name,
        ok: !problem,
        ...(requestId ? { requestId } : {}),
        ...(out.record ? { state: out.record.state } : {}),
        ...(problem ? { problem } : {}),
        report: out.report + aws,
      });
    }

    // 3. Schedule → snapshot written.
    {
      const name = 'Schedule → inventory snapshot written';
      const deadline = Date.now() + timeoutMs;
      while (fired.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const requestId = (fired[0] as { requestId?: string } | undefined)?.requestId;
      const out = await settle(name, requestId);
      let problem = out.problem;
      let summary = '';
      if (!problem && out.record) {
        const result = (out.record.result ?? {}) as { bucket?: string; manifest?: string };
        try {
          const obj = await s.aws.s3.send(
            new GetObjectCommand({ Bucket: result.bucket!, Key: result.manifest! }),
          );
          const manifest = JSON.parse(await obj.Body!.transformToString()) as Record<string, unknown>;
          if (!manifest.counts) problem = 'the manifest has no counts';
        } catch (err) {
          problem = `the snapshot manifest could not be read (${(err as Error).message})`;
        }
        summary = `\n${renderSnapshot(out.record)}`;
      }
      results.push({
        name,
        ok: !problem,
        ...(requestId ? { requestId } : {}),
        ...(out.record ? { state: out.record.state } : {}),
        ...(problem ? { problem } : {}),
        report: out.report + summary,
      });
    }
    return results;
  } finally {
    await stack?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Polls `read` every 100 ms until it answers something, or `limitMs` passes (undefined). */
async function waitFor<T>(read: () => T | undefined, limitMs: number): Promise<T | undefined> {
  const end = Date.now() + limitMs;
  for (;;) {
    const v = read();
    if (v !== undefined || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

// `npm run demo`
if (import.meta.main) {
  const started = Date.now();
  console.log('zcops demo: starting the local stack (simulator, dynalite, fauxqs) in this process…\n');
  const results = await runDemo({ print: (line) => console.log(`  ${line}`) });
  console.log('');
  for (const r of results) {
    console.log(`── ${r.ok ? 'PASS' : 'FAIL'}  ${r.name}${r.problem ? ` — ${r.problem}` : ''}`);
    console.log(r.report);
  }
  const ok = results.length === 3 && results.every((r) => r.ok);
  console.log(
    `${ok ? 'all three flows succeeded' : 'some flows failed'} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  process.exit(ok ? 0 : 1);
}
