// What the console stands on, through real HTTP: signing in gives a session on the same actors as the API tokens
// (roles enforced by the API, whatever the page shows), the page itself is served at `/`, stock-out risk names what
// is on order, and a selection of deliveries can be replayed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { request } from 'undici';
import { ensureUsers, type User } from '../src/cli/actors.ts';
import { openSqliteStore } from '../src/store/sqlite/store.ts';
import type { Role } from '../src/core/types.ts';
import { api, drained, used, waitFor } from './support/hub.ts';
import { withHub, type World } from './support/world.ts';

let w: World;
let users: Record<Role, User>;
withHub((world) => (w = world));

async function call(method: string, path: string, init: { cookie?: string; body?: unknown } = {}) {
  const res = await request(w.hub.url + path, {
    method: method as 'GET',
    headers: { ...(init.cookie ? { cookie: init.cookie } : {}), ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.body.text();
  const type = String(res.headers['content-type'] ?? '');
  return { status: res.statusCode, headers: res.headers, type, body: (text && type.includes('json') ? JSON.parse(text) : text) as Record<string, any> };
}

async function signIn(role: Role): Promise<string> {
  const r = await call('POST', '/v1/session', { body: users[role] });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const setCookie = String(r.headers['set-cookie']);
  assert.match(setCookie, /tendon_session=[^;]+;.*HttpOnly/i);
  assert.match(setCookie, /SameSite=Strict/i);
  return setCookie.split(';')[0]!;
}

test('demo users sign in to a session on their actor; the API enforces the role; sign-out ends it', async () => {
  const store = openSqliteStore({ path: join(w.hub.dataDir, 'tendon.db') });
  users = await ensureUsers(store, {});
  // Kept when they still sign in: a second start of the demo prints the same users.
  assert.deepEqual(await ensureUsers(store, users), users);
  await store.close();

  const wrong = await call('POST', '/v1/session', { body: { username: users.viewer.username, password: 'not-it' } });
  assert.equal(wrong.status, 401);
  assert.match(wrong.type, /^application\/problem\+json/);
  assert.equal((await call('POST', '/v1/session', { body: { username: 'nobody', password: 'x' } })).status, 401);
  assert.equal((await call('POST', '/v1/session', { body: { username: '' } })).status, 400);

  const viewer = await signIn('viewer');
  const me = await call('GET', '/v1/session', { cookie: viewer });
  assert.deepEqual(me.body.actor, { id: 'demo-viewer', name: 'demo-viewer', role: 'viewer' });
  assert.equal((await call('GET', '/v1/destinations', { cookie: viewer })).status, 200);
  // A viewer reads but cannot act: the API refuses, not only the page.
  const refused = await call('POST', '/v1/destinations/erp/pause', { cookie: viewer });
  assert.equal(refused.status, 403);
  assert.match(String(refused.body.detail), /demo-viewer is viewer; this needs operator/);

  const operator = await signIn('operator');
  assert.equal((await call('POST', '/v1/destinations/erp/pause', { cookie: operator })).status, 200);
  assert.equal((await call('POST', '/v1/destinations/erp/resume', { cookie: operator })).status, 200);
  // The action is recorded with the actor the session belongs to, as with its API token.
  const audit = await api<{ data: { actor: string; action: string }[] }>(w.hub, w.hub.tokens.admin, 'GET', '/v1/audit');
  assert.ok(audit.body.data.some((a) => a.actor === 'demo-operator' && a.action === 'destination.pause'));
  assert.ok(audit.body.data.some((a) => a.actor === 'demo-operator' && a.action === 'session.start'));

  const out = await call('DELETE', '/v1/session', { cookie: operator });
  assert.equal(out.status, 204);
  assert.equal((await call('GET', '/v1/session', { cookie: operator })).status, 401);
  assert.equal((await call('GET', '/v1/destinations')).status, 401, 'no cookie, no token: nothing');
});

test('repeated wrong passwords lock that username for a while, even for the right password', async () => {
  for (let i = 0; i < 5; i++) assert.equal((await call('POST', '/v1/session', { body: { username: users.admin.username, password: `guess-${i}` } })).status, 401);
  const locked = await call('POST', '/v1/session', { body: users.admin });
  assert.equal(locked.status, 429);
  assert.match(String(locked.body.detail), /too many failed sign-ins/);
  // Other users are not affected.
  await signIn('viewer');
});

test('the console is served at / as a page (built by npm install), and the runbooks beside it', async () => {
  const page = await call('GET', '/');
  assert.equal(page.status, 200);
  assert.match(page.type, /text\/html/);
  assert.match(String(page.body), /<div id="root">/);
  // Nothing but the hub itself may run in or frame the console.
  assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
  assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/);
  assert.equal(page.headers['x-frame-options'], 'DENY');
  const script = /src="(\/assets\/[^"]+\.js)"/.exec(String(page.body));
  assert.ok(script, 'the page loads its bundle');
  const bundle = await call('GET', script[1]!);
  assert.equal(bundle.status, 200);
  assert.match(bundle.type, /javascript/);
  // The runbooks alerts name are readable from the console's links.
  const runbook = await call('GET', '/docs/runbooks/queue-depth.md');
  assert.equal(runbook.status, 200);
  assert.match(runbook.type, /text\/markdown/);
  assert.match(String(runbook.body), /^# /m);
  assert.equal((await call('GET', '/docs/runbooks/../../package.json')).status, 404);
});

test('stock-out risk: a par location used down to zero is out, with its replenishment on order', async () => {
  const { par, parLocation } = w.p;
  const count = {
    type: 'stock.counted', idempotencyKey: 'risk-count-1', occurredAt: '2026-11-21T07:00:00.000-05:00', facility: parLocation.facilityId,
    source: { system: 'cabinet-omnicell' }, payload: { item: { system: 'erp', code: par.itemId }, location: par.locationId, quantity: { value: 1, unit: 'EA' } },
  };
  const use = used('risk-use-1', { item: par.itemId, location: par.locationId, facility: parLocation.facilityId, lot: null, serial: null, encounter: null });
  assert.equal((await api(w.hub, w.hub.tokens.operator, 'POST', '/v1/events', [count])).status, 202);
  assert.equal((await api(w.hub, w.hub.tokens.operator, 'POST', '/v1/events', [use])).status, 202);
  await drained(w.hub);
  type Risk = { location: string; itemId: string; status: string; onHand: number; onOrder: number; openRequisition: boolean; openPurchaseOrders: string[]; itemName: string | null };
  const risk = await waitFor('the location to show as out with something on order', async () => {
    const r = await api<{ data: Risk[] }>(w.hub, w.hub.tokens.viewer, 'GET', '/v1/stock/risk');
    const row = r.body.data.find((x) => x.location === par.locationId && x.itemId === par.itemId);
    return row && (row.onOrder > 0 || row.openRequisition) ? row : undefined;
  }, 30_000, 250);
  assert.equal(risk.status, 'out');
  assert.equal(risk.onHand, 0);
  assert.ok(risk.itemName, 'named from the item master');
  assert.equal((await api(w.hub, w.hub.tokens.viewer, 'GET', '/v1/stock/risk?limit=0')).status, 400);
});

test('a selection of deliveries is replayed by id; an unknown id refuses the selection', async () => {
  const { routine, location } = w.p;
  const uses = [1, 2].map((n) => used(`replay-pick-${n}`, { item: routine.id, location: location.id, facility: location.facilityId, lot: null, serial: null, encounter: null }));
  assert.equal((await api(w.hub, w.hub.tokens.operator, 'POST', '/v1/events', uses)).status, 202);
  await drained(w.hub);
  const some = await api<{ data: { id: string }[] }>(w.hub, w.hub.tokens.viewer, 'GET', '/v1/deliveries?status=delivered&limit=2');
  assert.equal(some.body.data.length, 2);
  const ids = some.body.data.map((d) => d.id);
  const unknown = await api(w.hub, w.hub.tokens.operator, 'POST', '/v1/replay', { ids: [...ids, 'no-such-delivery'] });
  assert.equal(unknown.status, 404);
  const mixed = await api(w.hub, w.hub.tokens.operator, 'POST', '/v1/replay', { ids, destination: 'erp' });
  assert.equal(mixed.status, 400);
  const done = await api<{ replayed: number }>(w.hub, w.hub.tokens.operator, 'POST', '/v1/replay', { ids, mode: 'redeliver' });
  assert.equal(done.status, 200);
  assert.equal(done.body.replayed, 2);
  await drained(w.hub);
  for (const id of ids) {
    const d = await api<{ status: string; attempts: number }>(w.hub, w.hub.tokens.viewer, `GET`, `/v1/deliveries/${id}`);
    assert.equal(d.body.status, 'delivered');
    assert.ok(d.body.attempts >= 2, 'sent again');
  }
});
