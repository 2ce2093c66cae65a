import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ZcopsConfig } from '../infra/config.ts';
import { TenantCredentialsSchema } from '../shared/config/tenant.ts';
import { SIMULATOR_CREDENTIALS } from '../simulator/index.ts';
import { LocalConfigError } from './errors.ts';

/** Secret name → value (a string or an object), as `ZCOPS_SECRETS` holds them. */
export type LocalSecrets = Record<string, string | Record<string, unknown>>;

/** File (under the state directory) holding the sources' generated secrets between runs. */
export const SECRETS_FILE = 'secrets.json';

/**
 * The secrets of every configured source: an HMAC key and a bearer token per source secret,
 * generated once and kept in `<stateDir>/secrets.json` (mode 0600, git-ignored) so webhooks set
 * up against the local stack keep working across runs. Each source's bearer token is also written
 * to `<stateDir>/<source>.token`, so the printed first request can read it without the token ever
 * being printed.
 *
 * @example
 * const secrets = sourceSecrets(config, '.zcops');
 */
export function sourceSecrets(config: ZcopsConfig, stateDir: string): LocalSecrets {
  mkdirSync(stateDir, { recursive: true });
  const file = join(stateDir, SECRETS_FILE);
  let kept: LocalSecrets = {};
  if (existsSync(file)) {
    try {
      kept = JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets;
    } catch {
      kept = {};
    }
  }
  const out: LocalSecrets = {};
  for (const source of config.sources) {
    const names = [source.secretName, source.auth?.hmacSecretName, source.auth?.bearerSecretName].filter(
      (n): n is string => n !== undefined,
    );
    for (const name of names) {
      const existing = kept[name];
      const value = existing ?? (name === source.secretName ? { hmac: token(), bearer: token() } : token());
      out[name] = value;
      const bearer =
        typeof value === 'object' ? value.bearer : name === source.auth?.bearerSecretName ? value : undefined;
      if (typeof bearer === 'string') writePrivate(join(stateDir, `${source.name}.token`), bearer);
    }
  }
  writePrivate(file, `${JSON.stringify(out, null, 2)}\n`);
  return out;
}

/** The simulator's credentials under each tenant's secret name. */
export function simulatorTenantSecrets(config: ZcopsConfig): LocalSecrets {
  const c = SIMULATOR_CREDENTIALS;
  return Object.fromEntries(
    config.tenants.map((t) => [
      t.secretName,
      {
        zpa: { authType: 'legacy', clientId: c.zpa.clientId, clientSecret: c.zpa.clientSecret },
        ztw: { authType: 'legacy', username: c.ztw.username, password: c.ztw.password, apiKey: c.ztw.apiKey },
      },
    ]),
  );
}

/**
 * Real tenants' credentials: a JSON object `{ "<tenant>": TenantCredentials }` from `--tenant-file`
 * or the `ZCOPS_TENANT_CREDENTIALS` environment variable (never committed; keep the file under
 * `.zcops/`, which git ignores). Each is validated and stored under its tenant's secret name.
 */
export function realTenantSecrets(config: ZcopsConfig, text: string, origin: string): LocalSecrets {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new LocalConfigError(origin, [
      'not valid JSON (expected { "<tenant>": { "zpa": {...}, "ztw": {...} } })',
    ]);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new LocalConfigError(origin, ['(root): must be an object of tenant names to credentials']);
  }
  const issues: string[] = [];
  const out: LocalSecrets = {};
  for (const tenant of config.tenants) {
    const creds = (raw as Record<string, unknown>)[tenant.name];
    if (creds === undefined) {
      issues.push(`${tenant.name}: no credentials for this configured tenant`);
      continue;
    }
    const parsed = TenantCredentialsSchema.safeParse(creds);
    if (!parsed.success) {
      // Paths and messages only: never the values.
      for (const i of parsed.error.issues) issues.push(`${tenant.name}.${i.path.join('.')}: ${i.message}`);
      continue;
    }
    out[tenant.secretName] = parsed.data as Record<string, unknown>;
  }
  if (issues.length > 0) throw new LocalConfigError(origin, issues);
  return out;
}

function token(): string {
  return randomBytes(24).toString('base64url');
}

function writePrivate(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
}
