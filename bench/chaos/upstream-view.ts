import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { CallLogEntry, SimulatorState } from '../../simulator/index.ts';
import {
  type CallSeen,
  type RequestSeen,
  type RunFacts,
  snapshotFiles,
  type UpstreamSeen,
} from './truthfulness.ts';

/**
 * Reads what the truthfulness check compares claims with: the simulator's internal state (not its
 * listings, which need not carry every id), the changes each write made and the call log, and the
 * snapshot objects the SUCCEEDED snapshots name.
 */

/** The connectors and VMs at the start of a run, taken right after seeding. */
export function startOfRun(state: SimulatorState): Pick<RunFacts, 'connectorsAtStart' | 'vmsAtStart'> {
  const connectorsAtStart = new Map<string, { name: string; groupId: string; privateIp?: string }>();
  for (const c of state.connectors.values()) {
    connectorsAtStart.set(c.id, {
      name: c.name,
      groupId: c.groupId,
      ...(c.privateIp ? { privateIp: c.privateIp } : {}),
    });
  }
  const vmsAtStart = [...state.ecGroups.values()].flatMap((g) =>
    g.vms.map((v) => ({ groupId: g.id, vmId: v.id, instanceId: v.vmInstanceId })),
  );
  return { connectorsAtStart, vmsAtStart };
}

/** The simulator after the run, as the check reads it. */
export function upstreamOf(state: SimulatorState, callLog: readonly CallLogEntry[]): UpstreamSeen {
  const index = new Map<CallLogEntry, number>();
  const calls: CallSeen[] = callLog.map((e, i) => {
    index.set(e, i);
    return callSeen(e, i);
  });
  return {
    connectorIds: new Set(state.connectors.keys()),
    groups: [
      ...[...state.appConnectorGroups.values()].map((g) => ({
        kind: 'appConnectorGroup' as const,
        id: g.id,
        name: g.name,
      })),
      ...[...state.pccGroups.values()].map((g) => ({ kind: 'pccGroup' as const, id: g.id, name: g.name })),
    ],
    vms: [...state.ecGroups.values()].flatMap((g) =>
      g.vms.map((v) => ({ groupId: g.id, vmId: v.id, pendingDeletion: v.pendingDeletion })),
    ),
    changes: state.changes.map((c) => ({
      op: c.op,
      kind: c.kind,
      id: c.id,
      name: c.name,
      ...(c.groupId !== undefined ? { groupId: c.groupId } : {}),
      ...(c.call ? { call: callSeen(c.call, index.get(c.call) ?? -1) } : {}),
    })),
    calls,
  };
}

/**
 * The snapshot objects of the SUCCEEDED snapshots: each manifest (size and body) and each file it
 * lists (size); an object that is not there is left out.
 */
export async function snapshotObjects(
  s3: S3Client,
  bucket: string,
  requests: readonly RequestSeen[],
): Promise<RunFacts['objects']> {
  const out = new Map<string, { bytes: number; body?: string }>();
  for (const r of requests) {
    const key = r.action === 'inventory.snapshot' && r.state === 'SUCCEEDED' ? r.result?.manifest : undefined;
    if (typeof key !== 'string') continue;
    const body = await read(s3, bucket, key);
    if (body === undefined) continue;
    out.set(key, { bytes: Buffer.byteLength(body), body });
    let files: { key: string }[];
    try {
      files = snapshotFiles(JSON.parse(body));
    } catch {
      continue; // the check reports the unreadable manifest
    }
    for (const f of files) {
      const bytes = await size(s3, bucket, f.key);
      if (bytes !== undefined) out.set(f.key, { bytes });
    }
  }
  return out;
}

function callSeen(e: CallLogEntry, index: number): CallSeen {
  return {
    index,
    at: e.at,
    method: e.method,
    path: e.path,
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(e.fault ? { fault: e.fault } : {}),
  };
}

async function read(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await out.Body?.transformToString('utf8');
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

async function size(s3: S3Client, bucket: string, key: string): Promise<number | undefined> {
  try {
    const out = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return out.ContentLength;
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

function isMissing(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}
