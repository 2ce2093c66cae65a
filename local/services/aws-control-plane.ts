import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in of the two AWS control-plane calls the teardown makes, speaking the real
 * wire protocols so the real SDK clients can be pointed at it (`endpoint`): Auto Scaling's
 * `CompleteLifecycleAction` (AWS Query, XML answers) and EC2's `DescribeInstances` (EC2 Query).
 * It checks lifecycle tokens like Auto Scaling does (an unknown or already completed token is a
 * `ValidationError`) and records every completion. For tests and the local stack.
 *
 * @example
 * const aws = await startAwsControlPlane();
 * aws.addInstance({ instanceId: 'i-0abc', privateIp: '10.0.0.5' });
 * aws.addLifecycleAction({ asgName: 'asg', hookName: 'zcops', token: 'tok-1', instanceId: 'i-0abc' });
 * const asg = new AutoScalingClient({ endpoint: aws.endpoint, region: 'us-east-1', credentials });
 * // … the worker completes the action …
 * aws.completions; // [{ asgName: 'asg', …, result: 'CONTINUE' }]
 * await aws.stop();
 */

export interface PendingLifecycleAction {
  asgName: string;
  hookName: string;
  token: string;
  instanceId: string;
}

export interface LifecycleCompletion extends PendingLifecycleAction {
  result: string;
  at: number;
}

export interface StandInInstance {
  instanceId: string;
  privateIp?: string;
  /** EC2 state name (default `running`). */
  state?: 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';
}

export interface AwsControlPlane {
  endpoint: string;
  addInstance(instance: StandInInstance): void;
  addLifecycleAction(action: PendingLifecycleAction): void;
  /** Completed lifecycle actions, in order. */
  completions: LifecycleCompletion[];
  /** Every call: the Query `Action` and the service it was sent to. */
  calls: { service: 'autoscaling' | 'ec2'; action: string; status: number }[];
  /** The next `count` calls of `action` answer a throttling error (503). */
  throttleNext(action: string, count: number): void;
  stop(): Promise<void>;
}

const STATE_CODES: Record<string, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

const AS_NS = 'http://autoscaling.amazonaws.com/doc/2011-01-01/';
const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Values of `Prefix.1`, `Prefix.2`, … (EC2 lists). */
function listParam(params: URLSearchParams, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 1; params.has(`${prefix}.${i}`); i++) out.push(params.get(`${prefix}.${i}`) ?? '');
  return out;
}

/** Starts the stand-in on a loopback port. */
export async function startAwsControlPlane(): Promise<AwsControlPlane> {
  const instances = new Map<string, StandInInstance>();
  const pending = new Map<string, PendingLifecycleAction>();
  const completions: LifecycleCompletion[] = [];
  const calls: AwsControlPlane['calls'] = [];
  const throttles = new Map<string, number>();

  const asgError = (code: string, message: string, type = 'Sender') =>
    `<ErrorResponse xmlns="${AS_NS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${esc(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
  const ec2Error = (code: string, message: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${esc(message)}</Message></Error></Errors><RequestID>${randomUUID()}</RequestID></Response>`;

  function completeLifecycleAction(p: URLSearchParams): { status: number; xml: string } {
    const asgName = p.get('AutoScalingGroupName') ?? '';
    const hookName = p.get('LifecycleHookName') ?? '';
    const token = p.get('LifecycleActionToken') ?? '';
    const instanceId = p.get('InstanceId') ?? '';
    const result = p.get('LifecycleActionResult') ?? '';
    if (result !== 'CONTINUE' && result !== 'ABANDON') {
      return {
        status: 400,
        xml: asgError('ValidationError', 'LifecycleActionResult must be CONTINUE or ABANDON'),
      };
    }
    const action = pending.get(token);
    if (
      !action ||
      action.asgName !== asgName ||
      action.hookName !== hookName ||
      action.instanceId !== instanceId
    ) {
      return {
        status: 400,
        xml: asgError('ValidationError', `No active Lifecycle Action found with token ${token}`),
      };
    }
    pending.delete(token);
    completions.push({ ...action, result, at: Date.now() });
    return {
      status: 200,
      xml: `<CompleteLifecycleActionResponse xmlns="${AS_NS}"><CompleteLifecycleActionResult/><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></CompleteLifecycleActionResponse>`,
    };
  }

  function describeInstances(p: URLSearchParams): { status: number; xml: string } {
    const ids = listParam(p, 'InstanceId');
    const missing = ids.filter((id) => !instances.has(id));
    if (missing.length > 0) {
      return {
        status: 400,
        xml: ec2Error('InvalidInstanceID.NotFound', `The instance ID '${missing.join(', ')}' does not exist`),
      };
    }
    const selected = ids.length > 0 ? ids.map((id) => instances.get(id)!) : [...instances.values()];
    const items = selected
      .map((i) => {
        const state = i.state ?? 'running';
        // A terminated instance no longer has a private address, as on EC2.
        const ip =
          state === 'terminated' || !i.privateIp
            ? ''
            : `<privateIpAddress>${esc(i.privateIp)}</privateIpAddress>`;
        return `<item><reservationId>r-${i.instanceId.slice(2)}</reservationId><ownerId>123456789012</ownerId><instancesSet><item><instanceId>${esc(i.instanceId)}</instanceId><instanceState><code>${STATE_CODES[state]}</code><name>${state}</name></instanceState>${ip}</item></instancesSet></item>`;
      })
      .join('');
    return {
      status: 200,
      xml: `<?xml version="1.0" encoding="UTF-8"?>\n<DescribeInstancesResponse xmlns="${EC2_NS}"><requestId>${randomUUID()}</requestId><reservationSet>${items}</reservationSet></DescribeInstancesResponse>`,
    };
  }

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const params = new URLSearchParams(await readBody(req));
    const action = params.get('Action') ?? '';
    const service: 'autoscaling' | 'ec2' = action === 'DescribeInstances' ? 'ec2' : 'autoscaling';
    let answer: { status: number; xml: string };
    const throttled = throttles.get(action) ?? 0;
    if (throttled > 0) {
      throttles.set(action, throttled - 1);
      answer =
        service === 'ec2'
          ? { status: 503, xml: ec2Error('RequestLimitExceeded', 'Request limit exceeded.') }
          : { status: 400, xml: asgError('Throttling', 'Rate exceeded') };
    } else if (action === 'CompleteLifecycleAction') answer = completeLifecycleAction(params);
    else if (action === 'DescribeInstances') answer = describeInstances(params);
    else answer = { status: 400, xml: asgError('InvalidAction', `Could not find operation ${action}`) };
    calls.push({ service, action, status: answer.status });
    res.writeHead(answer.status, { 'content-type': 'text/xml' });
    res.end(answer.xml);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    addInstance: (i) => void instances.set(i.instanceId, { ...i }),
    addLifecycleAction: (a) => void pending.set(a.token, { ...a }),
    completions,
    calls,
    throttleNext: (action, count) => void throttles.set(action, count),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
