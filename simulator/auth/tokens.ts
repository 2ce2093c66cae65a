import { randomBytes } from 'node:crypto';

export type TokenKind = 'legacy' | 'oneapi';

interface TokenRecord {
  kind: TokenKind;
  expiresAt: number;
  /** Opaque number for the call log (the token itself never leaves this store). */
  n: number;
}

export type TokenCheck = { ok: true; n: number } | { ok: false; reason: 'missing' | 'invalid' | 'expired' };

/**
 * Bearer tokens issued by `/signin` (legacy ZPA) and `/oauth2/v1/token` (OneAPI). A legacy token
 * opens only the legacy ZPA paths, a OneAPI token only the `/zpa` and `/ztw` OneAPI paths.
 */
export class TokenStore {
  private readonly tokens = new Map<string, TokenRecord>();
  private issued = 0;

  issue(kind: TokenKind, now: number, ttlMs: number): string {
    const token = randomBytes(32).toString('base64url');
    this.issued += 1;
    this.tokens.set(token, { kind, expiresAt: now + ttlMs, n: this.issued });
    return token;
  }

  check(authorization: string | undefined, kind: TokenKind, now: number): TokenCheck {
    const m = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
    if (!m?.[1]) return { ok: false, reason: 'missing' };
    const rec = this.tokens.get(m[1]);
    if (!rec || rec.kind !== kind) return { ok: false, reason: 'invalid' };
    if (now >= rec.expiresAt) {
      this.tokens.delete(m[1]);
      return { ok: false, reason: 'expired' };
    }
    return { ok: true, n: rec.n };
  }

  /** Expires the token in `authorization` at once (the expired-auth fault). */
  revoke(authorization: string | undefined): void {
    const m = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
    if (m?.[1]) this.tokens.delete(m[1]);
  }

  clear(): void {
    this.tokens.clear();
  }
}
