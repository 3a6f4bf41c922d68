// Console sign-in: a username and password become a session on the same actor the API tokens belong to (one
// identity system; roles enforced by the API, not by the page). The session token travels in an HttpOnly,
// SameSite=Strict cookie — script on the page cannot read it, and another site cannot make the browser send it.
// Repeated failures for one username lock it for a while, so passwords cannot be guessed at request speed.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { tooManyAttempts, unauthorized } from '../../core/errors.ts';
import { verifyPassword } from '../../security/passwords.ts';
import { hashToken, newApiToken } from '../../security/tokens.ts';
import { SESSION_COOKIE, tokenOf, type Auth } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { parseInput } from '../problem.ts';

const SESSION_HOURS = 12;
const LOCK_AFTER_FAILURES = 5;
const LOCK_MINUTES = 15;

const SignIn = z.object({ username: z.string().trim().min(1, 'the username is required'), password: z.string().min(1, 'the password is required') });

export function sessionRoutes(app: FastifyInstance, ctx: ApiContext, auth: Auth) {
  const failures = new Map<string, { count: number; since: number }>();

  app.post('/v1/session', async (request, reply) => {
    const { username, password } = parseInput(SignIn, request.body, 'username and password are required');
    const now = Date.now();
    const failed = failures.get(username);
    if (failed && now - failed.since > LOCK_MINUTES * 60_000) failures.delete(username);
    else if (failed && failed.count >= LOCK_AFTER_FAILURES) throw tooManyAttempts(`too many failed sign-ins for ${username}; try again in ${LOCK_MINUTES} minutes`);

    const user = await ctx.store.userByName(username);
    // The password is checked even for an unknown user's dummy hash, so the answer's timing does not tell which users exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? UNKNOWN_USER_HASH);
    if (!user || !ok) {
      if (failures.size > 10_000) failures.clear(); // bounded: guessing across many names gains nothing from the reset
      const f = failures.get(username) ?? { count: 0, since: now };
      failures.set(username, { ...f, count: f.count + 1 });
      throw unauthorized('the username or password is wrong');
    }
    failures.delete(username);
    const token = newApiToken();
    const expiresAt = now + SESSION_HOURS * 3_600_000;
    const at = new Date(now).toISOString();
    await ctx.store.write(async (tx) => {
      await tx.createSession(hashToken(token), user.actor.id, expiresAt);
      await tx.audit({ actor: user.actor.name, action: 'session.start', target: user.actor.id, detail: { ip: request.ip } }, at);
    });
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', expires: new Date(expiresAt),
    });
    return { actor: user.actor, expiresAt: new Date(expiresAt).toISOString() };
  });

  app.get('/v1/session', { preHandler: auth.require('viewer') }, async (request) => ({ actor: request.actor }));

  app.delete('/v1/session', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE] ?? tokenOf(request);
    if (token) {
      auth.forget(token);
      await ctx.store.write((tx) => tx.endSession(hashToken(token), Date.now()));
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });
}

// A fixed scrypt hash of a random string nobody knows, to spend the same time on unknown usernames.
const UNKNOWN_USER_HASH = 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
