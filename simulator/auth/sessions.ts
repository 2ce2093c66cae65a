import { randomBytes } from 'node:crypto';

interface SessionRecord {
  lastSeen: number;
  n: number;
}

export type SessionCheck =
  | { ok: true; n: number; id: string }
  | { ok: false; reason: 'missing' | 'invalid' | 'expired' };

/** Reads `JSESSIONID` from a Cookie header. */
export function sessionCookie(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === 'JSESSIONID') return v.join('=');
  }
  return undefined;
}

/**
 * Cloud & Branch Connector sessions: a session lives until `idleMs` after its last request, then
 * answers SESSION_NOT_VALID; `DELETE /auth` ends it.
 */
export class SessionStore {
  private readonly sessions = new Map<string, SessionRecord>();
  private created = 0;

  create(now: number): { id: string; n: number } {
    const id = randomBytes(16).toString('hex').toUpperCase();
    this.created += 1;
    this.sessions.set(id, { lastSeen: now, n: this.created });
    return { id, n: this.created };
  }

  /** Validates and touches the session named by the Cookie header. */
  touch(cookieHeader: string | undefined, now: number, idleMs: number): SessionCheck {
    const id = sessionCookie(cookieHeader);
    if (!id) return { ok: false, reason: 'missing' };
    const rec = this.sessions.get(id);
    if (!rec) return { ok: false, reason: 'invalid' };
    if (now - rec.lastSeen >= idleMs) {
      this.sessions.delete(id);
      return { ok: false, reason: 'expired' };
    }
    rec.lastSeen = now;
    return { ok: true, n: rec.n, id };
  }

  end(id: string): void {
    this.sessions.delete(id);
  }

  /** Number of live (not yet expired or ended) sessions. */
  get size(): number {
    return this.sessions.size;
  }

  clear(): void {
    this.sessions.clear();
  }
}
