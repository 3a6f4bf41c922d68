// Authentication: one identity system. Every /v1 call acts as an actor with a role, found from a token's hash: an
// API token (`Authorization: Bearer <token>`, for systems and scripts) or a console session (the `tendon_session`
// cookie that signing in sets; see routes/session.ts). Roles are ordered: viewer < operator < admin, and the API
// enforces them whatever the page shows.
import type { FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '../core/errors.ts';
import type { Actor, Role } from '../core/types.ts';
import { hashToken } from '../security/tokens.ts';
import type { Store } from '../store/store.ts';

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };
export const SESSION_COOKIE = 'tendon_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
}

/** The token a request presents: the bearer header first, then the console's session cookie. */
export function tokenOf(request: FastifyRequest): string | null {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return bearer ? bearer[1]! : (request.cookies?.[SESSION_COOKIE] ?? null);
}

export function createAuth(store: Store) {
  // Tokens are looked up by hash; a short cache keeps the lookup off the hot ingest path. Sign-out evicts its entry.
  const cache = new Map<string, { actor: Actor | null; until: number }>();
  async function actorOf(request: FastifyRequest): Promise<Actor> {
    const token = tokenOf(request);
    if (!token) throw unauthorized();
    const hash = hashToken(token);
    const now = Date.now();
    let hit = cache.get(hash);
    if (!hit || hit.until < now) {
      hit = { actor: await store.actorByTokenHash(hash, now), until: now + 30_000 };
      if (cache.size > 10_000) cache.clear();
      cache.set(hash, hit);
    }
    if (!hit.actor) throw unauthorized('the token is not known or the session has ended');
    return hit.actor;
  }
  return {
    async authenticate(request: FastifyRequest) {
      request.actor = await actorOf(request);
    },
    require(role: Role) {
      return async (request: FastifyRequest) => {
        const actor = request.actor ?? (request.actor = await actorOf(request));
        if (RANK[actor.role] < RANK[role]) throw forbidden(`${actor.name} is ${actor.role}; this needs ${role}`);
      };
    },
    forget(token: string) {
      cache.delete(hashToken(token));
    },
  };
}
export type Auth = ReturnType<typeof createAuth>;

export const actorOf = (request: FastifyRequest): Actor => request.actor!;
