// Actors: API tokens and console users on the one identity model. The demo keeps one actor per role, each with an
// API token and a console user, in demo.json (tokens and passwords are stored hashed, so the clear text exists
// only there) and makes them again when that file is gone. `tendon actor add` makes one for a real deployment.
import { hashPassword, newPassword, verifyPassword } from '../security/passwords.ts';
import { newApiToken, hashToken } from '../security/tokens.ts';
import { ROLES, type Role } from '../core/types.ts';
import type { Store } from '../store/store.ts';

/** An actor with a role, an API token and (when a username is given) a console user; what to hand to its owner. */
export async function addActor(store: Store, name: string, role: Role, username?: string): Promise<{ token: string; username?: string; password?: string }> {
  const token = newApiToken();
  const password = username ? newPassword() : undefined;
  const passwordHash = password ? await hashPassword(password) : undefined;
  const at = new Date().toISOString();
  await store.write(async (tx) => {
    await tx.createActor({ id: name, name, role }, hashToken(token), at);
    if (username && passwordHash) await tx.setUser(name, username, passwordHash, at);
    await tx.audit({ actor: 'tendon-cli', action: 'actor.add', target: name, detail: { role, username: username ?? null } }, at);
  });
  return { token, username, password };
}

/** The demo's three actors (demo-viewer, demo-operator, demo-admin) and their API tokens: kept when still valid, else made anew. */
export async function ensureTokens(store: Store, known: Partial<Record<Role, string>>): Promise<Record<Role, string>> {
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) {
    const existing = known[role];
    const actor = existing ? await store.actorByTokenHash(hashToken(existing)) : null;
    if (existing && actor?.role === role) tokens[role] = existing;
    else tokens[role] = (await addActor(store, `demo-${role}`, role)).token;
  }
  return tokens;
}

export interface User {
  username: string;
  password: string;
}

/** A console user for each demo actor (username = actor name): kept when its password still signs in, else set anew. */
export async function ensureUsers(store: Store, known: Partial<Record<Role, User>>): Promise<Record<Role, User>> {
  const users = {} as Record<Role, User>;
  for (const role of ROLES) {
    const name = `demo-${role}`;
    const k = known[role];
    const stored = k ? await store.userByName(k.username) : null;
    if (k && stored?.actor.id === name && (await verifyPassword(k.password, stored.passwordHash))) {
      users[role] = k;
      continue;
    }
    const password = newPassword();
    const passwordHash = await hashPassword(password);
    await store.write((tx) => tx.setUser(name, name, passwordHash, new Date().toISOString()));
    users[role] = { username: name, password };
  }
  return users;
}
