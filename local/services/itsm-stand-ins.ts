import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sign } from '../../shared/core/webhook-signature.ts';

/**
 * Loopback stand-ins of the ITSM endpoints zcops calls back: ServiceNow's Table API (look up a record
 * by number, PATCH a work note), Jira's REST comment API (v2 and v3), and a generic callback URL that
 * checks zcops' HMAC signature. Each records what it received, checks credentials like the real
 * thing (401 otherwise), and can be told to fail its next calls. For tests and the local stack.
 *
 * @example
 * const itsm = await startItsmStandIns();
 * itsm.servicenow.addRecord('change_request', 'CHG0030001');
 * // … point a callback at itsm.servicenow.url with itsm.credentials.servicenow …
 * console.log(itsm.servicenow.notes('CHG0030001'));
 * await itsm.stop();
 */

/** One request a stand-in received. */
export interface ReceivedCall {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | undefined>;
  body: string;
  /** What the stand-in answered. */
  status: number;
}

interface Failure {
  remaining: number;
  status: number;
  retryAfter?: string;
}

/** Controls shared by the three stand-ins. */
export interface StandIn {
  url: string;
  received: ReceivedCall[];
  /** The next `count` calls answer `status` (default 503), optionally with a Retry-After header. */
  failNext(count: number, status?: number, retryAfter?: string): void;
}

export interface ServiceNowStandIn extends StandIn {
  /** Creates a record; answers its sys_id. */
  addRecord(table: string, number: string): string;
  /** Journal entries written to a record, oldest first. */
  notes(number: string): { field: string; value: string }[];
}

export interface JiraStandIn extends StandIn {
  addIssue(key: string): void;
  /** Comments on an issue, as the plain text of their body (ADF flattened). */
  comments(key: string): { id: string; text: string; apiVersion: string }[];
}

export interface GenericStandIn extends StandIn {
  /** Bodies received with a valid signature. */
  deliveries: { body: unknown; signatureValid: boolean }[];
}

export interface ItsmStandIns {
  servicenow: ServiceNowStandIn;
  jira: JiraStandIn;
  generic: GenericStandIn;
  /** The secrets (as stored in Secrets Manager) each stand-in accepts. */
  credentials: { servicenow: string; servicenowToken: string; jira: string; generic: string };
  stop(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

type Handler = (
  req: IncomingMessage,
  url: URL,
  body: string,
) => { status: number; json?: unknown; headers?: Record<string, string> };

async function serve(handler: Handler): Promise<{ server: Server; base: StandIn }> {
  const received: ReceivedCall[] = [];
  let failure: Failure | undefined;
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://stand-in');
    let answer: ReturnType<Handler>;
    if (failure && failure.remaining > 0) {
      failure.remaining--;
      answer = {
        status: failure.status,
        json: { error: { message: 'injected failure' } },
        ...(failure.retryAfter ? { headers: { 'retry-after': failure.retryAfter } } : {}),
      };
    } else {
      try {
        answer = handler(req, url, body);
      } catch {
        answer = { status: 500, json: { error: { message: 'stand-in error' } } };
      }
    }
    received.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      headers: headersOf(req),
      body,
      status: answer.status,
    });
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.json === undefined ? '' : JSON.stringify(answer.json));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    base: {
      url: `http://127.0.0.1:${port}`,
      received,
      failNext(count, status = 503, retryAfter) {
        failure = { remaining: count, status, ...(retryAfter ? { retryAfter } : {}) };
      },
    },
  };
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function adfText(node: unknown): string {
  if (!node || typeof node !== 'object') return '';
  const n = node as { type?: string; text?: string; content?: unknown[] };
  if (n.type === 'text') return n.text ?? '';
  const parts = (n.content ?? []).map(adfText);
  return n.type === 'doc' ? parts.join('\n') : parts.join('');
}

/** Starts the three stand-ins on loopback ports. */
export async function startItsmStandIns(): Promise<ItsmStandIns> {
  const sn = {
    user: 'zcops.integration',
    password: randomBytes(9).toString('base64url'),
    token: randomBytes(18).toString('hex'),
  };
  const jira = { email: 'zcops@example.com', apiToken: randomBytes(12).toString('base64url') };
  const hmacKey = randomBytes(24).toString('hex');

  // ServiceNow: records by table and number; journal entries per record.
  const records = new Map<
    string,
    { table: string; number: string; notes: { field: string; value: string }[] }
  >();
  const snAuthOk = (req: IncomingMessage) =>
    req.headers.authorization === basic(sn.user, sn.password) ||
    req.headers.authorization === `Bearer ${sn.token}`;
  const snServer = await serve((req, url, body) => {
    if (!snAuthOk(req))
      return { status: 401, json: { error: { message: 'User Not Authenticated' }, status: 'failure' } };
    const m = /^\/api\/now\/table\/([a-z0-9_]+)(?:\/([0-9a-f]{32}))?$/.exec(url.pathname);
    if (!m) return { status: 400, json: { error: { message: 'Invalid table' }, status: 'failure' } };
    const [, table, sysId] = m;
    if (req.method === 'GET' && !sysId) {
      const query = url.searchParams.get('sysparm_query') ?? '';
      const wanted = /^number=([A-Za-z0-9]+)$/.exec(query)?.[1];
      const result = [...records.entries()]
        .filter(([, r]) => r.table === table && r.number === wanted)
        .map(([id]) => ({ sys_id: id }));
      return { status: 200, json: { result } };
    }
    if (req.method === 'PATCH' && sysId) {
      const record = records.get(sysId);
      if (!record || record.table !== table) {
        return { status: 404, json: { error: { message: 'No Record found' }, status: 'failure' } };
      }
      const patch = JSON.parse(body) as Record<string, unknown>;
      for (const field of ['work_notes', 'comments']) {
        if (typeof patch[field] === 'string') record.notes.push({ field, value: patch[field] });
      }
      return { status: 200, json: { result: { sys_id: sysId, number: record.number } } };
    }
    return { status: 405, json: { error: { message: 'Method not allowed' } } };
  });

  // Jira: issues and their comments.
  const issues = new Map<string, { id: string; text: string; apiVersion: string }[]>();
  let commentId = 10_000;
  const jiraServer = await serve((req, url, body) => {
    const auth = req.headers.authorization;
    if (auth !== basic(jira.email, jira.apiToken))
      return { status: 401, json: { errorMessages: ['Unauthorized'] } };
    const m = /^\/rest\/api\/(2|3)\/issue\/([^/]+)\/comment$/.exec(url.pathname);
    if (!m || req.method !== 'POST') return { status: 404, json: { errorMessages: ['Not found'] } };
    const [, version, rawKey] = m;
    const key = decodeURIComponent(rawKey ?? '');
    const comments = issues.get(key);
    if (!comments) {
      return {
        status: 404,
        json: {
          errorMessages: ['Issue does not exist or you do not have permission to see it.'],
          errors: {},
        },
      };
    }
    const parsed = JSON.parse(body) as { body?: unknown };
    const text = version === '3' ? adfText(parsed.body) : typeof parsed.body === 'string' ? parsed.body : '';
    if (
      version === '3' &&
      (typeof parsed.body !== 'object' || (parsed.body as { type?: string }).type !== 'doc')
    ) {
      return {
        status: 400,
        json: { errorMessages: [], errors: { comment: 'Comment body is not valid ADF.' } },
      };
    }
    const id = String(++commentId);
    comments.push({ id, text, apiVersion: version ?? '' });
    return {
      status: 201,
      json: { id, self: `${url.origin}/rest/api/${version}/issue/${key}/comment/${id}` },
    };
  });

  // Generic: verifies the zcops signature over "<timestamp>.<body>".
  const deliveries: GenericStandIn['deliveries'] = [];
  const genericServer = await serve((req, _url, body) => {
    const ts = req.headers['x-zcops-timestamp'];
    const sig = req.headers['x-zcops-signature'];
    const signatureValid =
      typeof ts === 'string' && typeof sig === 'string' && sign(hmacKey, ts, body) === sig;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
    deliveries.push({ body: parsed, signatureValid });
    return signatureValid ? { status: 204 } : { status: 401, json: { error: 'bad signature' } };
  });

  return {
    servicenow: {
      ...snServer.base,
      addRecord(table, number) {
        const sysId = randomBytes(16).toString('hex');
        records.set(sysId, { table, number, notes: [] });
        return sysId;
      },
      notes(number) {
        return [...records.values()].filter((r) => r.number === number).flatMap((r) => r.notes);
      },
    },
    jira: {
      ...jiraServer.base,
      addIssue(key) {
        if (!issues.has(key)) issues.set(key, []);
      },
      comments(key) {
        return issues.get(key) ?? [];
      },
    },
    generic: { ...genericServer.base, deliveries },
    credentials: {
      servicenow: JSON.stringify({ username: sn.user, password: sn.password }),
      servicenowToken: JSON.stringify({ token: sn.token }),
      jira: JSON.stringify({ email: jira.email, apiToken: jira.apiToken }),
      generic: JSON.stringify({ hmac: hmacKey }),
    },
    async stop() {
      await Promise.all(
        [snServer.server, jiraServer.server, genericServer.server].map(
          (s) =>
            new Promise<void>((resolve) => {
              s.closeAllConnections();
              s.close(() => resolve());
            }),
        ),
      );
    },
  };
}
