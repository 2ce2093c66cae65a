import * as z from 'zod';
import type { SecretSource } from '../secrets/secret-source.ts';
import { CallbackCredentialsError } from './errors.ts';

/** How a callback authenticates, from its secret. */
export type CallbackAuth =
  | { type: 'basic'; username: string; password: string }
  | { type: 'bearer'; token: string }
  | { type: 'hmac'; key: string };

const Basic = z.object({ username: z.string().min(1), password: z.string().min(1) });
const JiraBasic = z.object({ email: z.string().min(1), apiToken: z.string().min(1) });
const Bearer = z.object({ token: z.string().min(1) });
const Hmac = z.object({ hmac: z.string().min(1) });

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Loads a callback's credentials from its secret, in the shape its kind expects. The error names the
 * secret and the expected shape, never the value.
 *
 * @example
 * const auth = await loadCallbackAuth(secrets, 'jira', 'zcops/itsm/jira'); // { type: 'basic', … }
 */
export async function loadCallbackAuth(
  secrets: SecretSource,
  kind: 'servicenow' | 'jira' | 'generic',
  secretName: string,
): Promise<CallbackAuth> {
  const text = await secrets.getSecret(secretName);
  const json = parseJson(text);
  if (kind === 'generic') {
    const hmac = Hmac.safeParse(json);
    if (hmac.success) return { type: 'hmac', key: hmac.data.hmac };
    if (json === undefined && text.trim() !== '') return { type: 'hmac', key: text.trim() };
    throw new CallbackCredentialsError(`secret ${secretName} must hold {"hmac": "..."} or the key itself`);
  }
  const bearer = Bearer.safeParse(json);
  if (bearer.success) return { type: 'bearer', token: bearer.data.token };
  if (kind === 'servicenow') {
    const basic = Basic.safeParse(json);
    if (basic.success) return { type: 'basic', ...basic.data };
    throw new CallbackCredentialsError(
      `secret ${secretName} must hold {"username","password"} or {"token"} for ServiceNow`,
    );
  }
  const jira = JiraBasic.safeParse(json);
  if (jira.success) return { type: 'basic', username: jira.data.email, password: jira.data.apiToken };
  throw new CallbackCredentialsError(
    `secret ${secretName} must hold {"email","apiToken"} or {"token"} for Jira`,
  );
}

/** The Authorization header of basic or bearer credentials. */
export function authorizationHeader(auth: CallbackAuth): string {
  if (auth.type === 'basic')
    return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  if (auth.type === 'bearer') return `Bearer ${auth.token}`;
  throw new CallbackCredentialsError('an HMAC key is not an Authorization header');
}
