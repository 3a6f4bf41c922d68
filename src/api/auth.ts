// Authentication: every /v1 call carries `Authorization: Bearer <token>`; the token's hash maps to an actor with a
// role. Roles are ordered: viewer < operator < admin. Sign-in and OAuth2 (later) resolve to the same actors.
import type { FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '../core/errors.ts';
import type { Actor, Role } from '../core/types.ts';
import { hashToken } from '../security/tokens.ts';
import type { Store } from '../store/store.ts';

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
}

export function createAuth(store: Store) {
  // Tokens are looked up by hash; a short cache keeps the lookup off the hot ingest path.
  const cache = new Map<string, { actor: Actor | null; until: number }>();
  async function actorOf(header: string | undefined): Promise<Actor> {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match) throw unauthorized();
    const hash = hashToken(match[1]!);
    const now = Date.now();
    let hit = cache.get(hash);
    if (!hit || hit.until < now) {
      hit = { actor: await store.actorByTokenHash(hash), until: now + 30_000 };
      if (cache.size > 10_000) cache.clear();
      cache.set(hash, hit);
    }
    if (!hit.actor) throw unauthorized('the bearer token is not known');
    return hit.actor;
  }
  return {
    async authenticate(request: FastifyRequest) {
      request.actor = await actorOf(request.headers.authorization);
    },
    require(role: Role) {
      return async (request: FastifyRequest) => {
        const actor = request.actor ?? (request.actor = await actorOf(request.headers.authorization));
        if (RANK[actor.role] < RANK[role]) throw forbidden(`${actor.name} is ${actor.role}; this needs ${role}`);
      };
    },
  };
}
export type Auth = ReturnType<typeof createAuth>;

export const actorOf = (request: FastifyRequest): Actor => request.actor!;
