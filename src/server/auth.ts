/**
 * Who calls: a session cookie (the web app; non-GET requests must carry its CSRF token in
 * `x-csrf-token`) or an API token (`Authorization: Bearer …`, no CSRF). Then the endpoint's least role
 * (SYNC.md §9) is enforced, before the body is even looked at.
 */
import { timingSafeEqual } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Access } from '../api/contract.js';
import { allows } from '../api/contract.js';
import { AbgleichError } from '../core/errors.js';
import type { SessionInfo, UserInfo } from '../sync/users.js';
import { digest, findSession, findToken, touchToken } from '../sync/users.js';
import type { ServerDeps } from './context.js';

export const SESSION_COOKIE = 'abgleich_session';

export interface Identity {
  readonly user: UserInfo;
  readonly via: 'session' | 'token';
  /** The session's secret and CSRF token (session only). */
  readonly secret?: string;
  readonly csrfToken?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    identity: Identity | null;
  }
}

/** Sessions read in the last few seconds: most requests need no database read to know who calls. */
const CACHE_MS = 5_000;

export class Authenticator {
  private readonly cache = new Map<string, { session: SessionInfo; at: number }>();
  private readonly touched = new Map<number, number>();

  constructor(private readonly deps: ServerDeps) {}

  /** Forget cached sessions and tokens (after a logout, a password change, a removed user or token). */
  forget(secret?: string): void {
    if (secret) this.cache.delete(digest(secret));
    else {
      this.cache.clear();
      this.tokens.clear();
    }
  }

  private readonly tokens = new Map<string, { found: { user: UserInfo; id: number }; at: number }>();

  private async token(secret: string): Promise<{ user: UserInfo; id: number } | undefined> {
    const key = digest(secret);
    const hit = this.tokens.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.found;
    const found = await findToken(this.deps.readDb.kysely, secret);
    if (found) this.tokens.set(key, { found, at: Date.now() });
    else this.tokens.delete(key);
    return found;
  }

  async identify(req: FastifyRequest): Promise<Identity | null> {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      const found = m ? await this.token(m[1]!) : undefined;
      if (!found)
        throw new AbgleichError('unauthenticated', 'The API token is not valid (revoked or mistyped).');
      this.touch(found.id);
      return { user: found.user, via: 'token' };
    }
    const secret = req.cookies[SESSION_COOKIE];
    if (!secret) return null;
    const session = await this.session(secret);
    return session ? { user: session.user, via: 'session', secret, csrfToken: session.csrfToken } : null;
  }

  private async session(secret: string): Promise<SessionInfo | undefined> {
    const key = digest(secret);
    const now = this.deps.clock();
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS && hit.session.expiresAt > now.toISOString())
      return hit.session;
    const session = await findSession(this.deps.readDb.kysely, secret, now.toISOString());
    if (session) this.cache.set(key, { session, at: Date.now() });
    else this.cache.delete(key);
    return session;
  }

  /** Record a token's last use at most once a minute, without making the request wait. */
  private touch(id: number): void {
    const now = Date.now();
    if (now - (this.touched.get(id) ?? 0) < 60_000) return;
    this.touched.set(id, now);
    touchToken(this.deps.db.kysely, id, this.deps.clock().toISOString()).catch(() => undefined);
  }

  /** The onRequest check of one endpoint. */
  guard(access: Access) {
    return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
      const identity = await this.identify(req);
      req.identity = identity;
      if (identity?.via === 'session' && req.method !== 'GET' && req.method !== 'HEAD') {
        const sent = req.headers['x-csrf-token'];
        if (typeof sent !== 'string' || !same(sent, identity.csrfToken ?? ''))
          throw new AbgleichError(
            'csrf_failed',
            'The request lacks the session\'s CSRF token (send it as the "x-csrf-token" header).',
          );
      }
      if (access === 'public') return;
      if (!identity) throw new AbgleichError('unauthenticated', 'Sign in first.');
      if (!allows(access, identity.user.role))
        throw new AbgleichError(
          'forbidden',
          `This needs the role "${access}"; you are "${identity.user.role}".`,
          {
            required: access,
            role: identity.user.role,
          },
        );
    };
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
