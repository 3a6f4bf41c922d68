// Actors and their API tokens. The demo keeps one token per role in demo.json (tokens are stored hashed, so the
// clear text exists only there) and makes them again when that file is gone.
import { newApiToken, hashToken } from '../security/tokens.ts';
import { ROLES, type Role } from '../core/types.ts';
import type { Store } from '../store/store.ts';

export async function ensureTokens(store: Store, known: Partial<Record<Role, string>>): Promise<Record<Role, string>> {
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) {
    const existing = known[role];
    const actor = existing ? await store.actorByTokenHash(hashToken(existing)) : null;
    if (existing && actor?.role === role) {
      tokens[role] = existing;
      continue;
    }
    const token = newApiToken();
    await store.write((tx) => tx.createActor({ id: `demo-${role}`, name: `demo-${role}`, role }, hashToken(token), new Date().toISOString()));
    tokens[role] = token;
  }
  return tokens;
}
