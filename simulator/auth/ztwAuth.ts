import type { HandlerResult, RequestContext } from '../context.ts';
import { SIMULATOR_CREDENTIALS } from '../credentials.ts';
import { ZtwApiError } from '../errors.ts';
import { activationBody } from '../ztw/activation.ts';
import { obfuscateApiKey } from './obfuscate.ts';
import { sameSecret } from './zpaSignin.ts';

const badCredentials = () =>
  new ZtwApiError(400, 'INVALID_USERNAME_OR_PASSWORD', 'Invalid username or password or API key');

/**
 * Cloud & Branch Connector `POST /api/v1/auth` with JSON `{apiKey, username, password, timestamp}`.
 * The apiKey must be the docs' obfuscation of the real key for `timestamp`, and `timestamp` must be
 * within the tolerance of the simulator clock. Answers 200 with `Set-Cookie: JSESSIONID=…`; any
 * mismatch answers 400 INVALID_USERNAME_OR_PASSWORD.
 */
export function ztwLogin(ctx: RequestContext): HandlerResult {
  const b = typeof ctx.body === 'object' && ctx.body !== null ? (ctx.body as Record<string, unknown>) : {};
  const creds = SIMULATOR_CREDENTIALS.ztw;
  const { engine } = ctx;
  const ts = typeof b.timestamp === 'number' ? b.timestamp : Number(b.timestamp);
  if (!Number.isFinite(ts) || Math.abs(engine.now() - ts) > engine.authTimestampToleranceMs)
    throw badCredentials();
  if (!sameSecret(b.username, creds.username) || !sameSecret(b.password, creds.password))
    throw badCredentials();
  if (!sameSecret(b.apiKey, obfuscateApiKey(creds.apiKey, ts))) throw badCredentials();
  const session = engine.sessions.create(engine.now());
  return {
    status: 200,
    body: { authType: 'ADMIN_LOGIN', obfuscateApiKey: true, passwordExpiryTime: 0, passwordExpiryDays: 0 },
    headers: { 'set-cookie': `JSESSIONID=${session.id}; Path=/; Secure; HttpOnly` },
  };
}

/** `DELETE /api/v1/auth`: ends the session; pending edits are activated on logout (queued, as any activation). */
export function ztwLogout(ctx: RequestContext): HandlerResult {
  const { engine } = ctx;
  if (ctx.sessionCookieId) engine.sessions.end(ctx.sessionCookieId);
  engine.state.tickActivation();
  if (engine.state.activation.orgEditStatus === 'EDITS_PRESENT' && !engine.state.activation.running)
    engine.state.requestActivation('CAC_ACTV_SESSION_LOGOUT');
  return { status: 200, body: activationBody(engine) };
}
