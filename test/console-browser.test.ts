// The console in a real browser (Debian's Chromium driven by playwright-core), against a real hub and the simulated
// network: an operator signs in during an ERP outage, watches the ERP's backlog grow and its alert fire, brings the
// ERP back and sees the alert clear, resolves an unmapped-item exception (which releases every event held for that
// code), and finds the released events delivered in the trace. `npm run screenshots` runs it with
// TENDON_SCREENSHOTS=docs/screenshots, which refreshes the pictures of the main screens the docs show; a failing
// wait always leaves a picture of the page in the temporary folder it names.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { request } from 'undici';
import { ensureUsers, type User } from '../src/cli/actors.ts';
import { openSqliteStore } from '../src/store/sqlite/store.ts';
import { api, drained, fault, startSims, startTestHub, used, type Sims, type TestHub } from './support/hub.ts';
import { picks } from './support/picks.ts';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = process.env.TENDON_SCREENSHOTS;

let sims: Sims;
let hub: TestHub;
let browser: Browser;
let page: Page;
let operator: User;

before(async () => {
  sims = await startSims();
  hub = await startTestHub(sims, (c) => {
    // Small thresholds, so the outage alerts within seconds; nobody receives the webhooks here (test/alerts.test.ts does).
    c.alerts = { hub: 'browser-test', rules: { 'queue-depth': { threshold: 3, for: 1, clearAfter: 1 } } };
  });
  const store = openSqliteStore({ path: join(hub.dataDir, 'tendon.db') });
  operator = (await ensureUsers(store, {})).operator;
  await store.close();
  // Flags as the machine notes require: no sandbox as root, and no background networking on a closed network.
  browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  // Script errors and content-security-policy refusals are console errors; a refused request (the wrong password's
  // 401) is the browser's note of an answer the page handles.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(m.text());
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

const pageErrors: string[] = [];

after(async () => {
  await fault(sims, 'erp', { reset: true }).catch(() => {});
  await browser?.close();
  await hub?.stop();
  await sims?.close();
});

async function shot(name: string, dir = SHOTS) {
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: false });
}

const number = async (testId: string) => Number((await page.getByTestId(testId).innerText()).replace(/[^\d]/g, ''));

test('an operator rides out an ERP outage in the console, then resolves an exception and sees its events delivered', { timeout: 240_000 }, async () => {
  const p = picks(sims);
  // Sign in: a wrong password is refused on the page; the right one shows who is signed in.
  await page.goto(hub.url + '/');
  await page.getByTestId('signin-username').fill(operator.username);
  await page.getByTestId('signin-password').fill('wrong password');
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('signin-error').waitFor();
  await page.getByTestId('signin-password').fill(operator.password);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('current-user').filter({ hasText: 'demo-operator (operator)' }).waitFor();

  // The ERP goes down while cases keep coming: its backlog grows on the live overview, and its alert fires.
  await fault(sims, 'erp', { down: true });
  const at = { item: p.routine.id, location: p.location.id, facility: p.location.facilityId, lot: null, serial: null, encounter: null };
  const post = (events: unknown[]) => api(hub, hub.tokens.operator, 'POST', '/v1/events', events);
  assert.equal((await post([1, 2, 3, 4].map((n) => used(`browser-outage-${n}`, at)))).status, 202);
  await page.getByTestId('nav-overview').click();
  await page.getByTestId('connection').and(page.locator('[data-state="live"]')).waitFor({ timeout: 15_000 });
  await waitUntil('the ERP backlog to show on the overview', async () => (await number('destination-queued-erp')) >= 4);
  const before = await number('destination-queued-erp');
  assert.equal((await post([5, 6, 7].map((n) => used(`browser-outage-${n}`, at)))).status, 202);
  await waitUntil('the ERP backlog to grow', async () => (await number('destination-queued-erp')) >= before + 3);
  const alert = page.getByTestId('alert-row').filter({ hasText: 'erp' });
  await alert.first().waitFor({ timeout: 30_000 });
  assert.match(await alert.first().innerText(), /queue-depth/);
  await shot('overview-outage');

  // The ERP comes back: the backlog drains and the alert clears, live.
  await fault(sims, 'erp', { reset: true });
  await waitUntil('the ERP backlog to drain', async () => (await number('destination-queued-erp')) === 0, 60_000);
  await alert.first().waitFor({ state: 'detached', timeout: 30_000 });
  await shot('overview');

  // Two uses of an item the cabinet names by a code nobody mapped: both held, as unknown-item exceptions.
  const code = 'CAB-BROWSER-1';
  const unknown = (n: number) => ({ ...used(`browser-unmapped-${n}`, at), payload: { ...used(`browser-unmapped-${n}`, at).payload, item: { system: 'cabinet-pyxis', code } } });
  const held = await post([unknown(1), unknown(2)]);
  assert.deepEqual((held.body as { results: { status: string }[] }).results.map((r) => r.status), ['held', 'held']);

  // The workbench: open one, map the code to the right item, which releases both held events.
  await page.getByTestId('nav-exceptions').click();
  const row = page.getByTestId('exception-row').filter({ hasText: code });
  await row.first().waitFor();
  await shot('exceptions');
  await row.first().click();
  await page.getByTestId('xref-item').fill(p.routine.id);
  await page.getByTestId('xref-submit').click();
  await page.getByTestId('dialog-confirm').click();
  await page.getByTestId('toast').filter({ hasText: `released 2` }).waitFor();
  await row.first().waitFor({ state: 'detached' });
  await drained(hub);

  // The trace: find the cases by the code as the cabinet sent it, and see each delivery delivered.
  await page.getByTestId('nav-trace').click();
  await page.getByTestId('trace-kind').selectOption('item');
  await page.getByTestId('trace-query').fill(code);
  await page.getByTestId('trace-search').click();
  await page.getByTestId('search-result').first().waitFor();
  const correlationId = used('browser-unmapped-1', at).payload.caseId;
  await page.getByTestId('search-result').filter({ hasText: correlationId }).first().click();
  await page.getByTestId('timeline-entry').first().waitFor();
  const deliveries = page.getByTestId('trace-delivery');
  await waitUntil('the released events\' deliveries to show as delivered', async () => {
    const texts = await deliveries.allInnerTexts();
    return texts.length > 0 && texts.every((t) => /delivered/.test(t));
  });
  await shot('trace');
});

test('every screen loads its data from the hub without an error, and a viewer is offered no actions', { timeout: 120_000 }, async () => {
  // A par location used down to zero: the stock-out risk screen lists it, with its replenishment on order.
  const { par, parLocation } = picks(sims);
  const at = { item: par.itemId, location: par.locationId, facility: parLocation.facilityId, lot: null, serial: null, encounter: null };
  const count = {
    type: 'stock.counted', idempotencyKey: 'browser-count', occurredAt: '2026-11-21T07:00:00.000-05:00', facility: parLocation.facilityId,
    source: { system: 'cabinet-omnicell' }, payload: { item: { system: 'erp', code: par.itemId }, location: par.locationId, quantity: { value: 1, unit: 'EA' } },
  };
  await api(hub, hub.tokens.operator, 'POST', '/v1/events', [count]);
  await api(hub, hub.tokens.operator, 'POST', '/v1/events', [used('browser-last-one', at)]);
  await drained(hub);

  for (const screen of ['alerts', 'channels', 'deliveries', 'workflows', 'drift', 'stock', 'exceptions', 'overview']) {
    await page.getByTestId(`nav-${screen}`).click();
    await waitUntil(`the ${screen} screen to load`, async () => (await page.getByTestId('loading').count()) === 0);
    assert.equal(await page.getByTestId('error').count(), 0, `${screen}: ${await page.getByTestId('error').allInnerTexts()}`);
    if (screen === 'alerts') {
      // The outage's alert, cleared, is in the history.
      await page.getByTestId('alerts-all').click();
      await page.getByTestId('alert-row').filter({ hasText: 'queue-depth' }).first().waitFor();
    }
    if (screen === 'stock') await page.getByTestId('stock-row').filter({ hasText: par.locationId }).first().waitFor();
    await shot(screen);
  }
  // A sender says its message was refused: the search finds it by the id it was sent with, and opens it.
  const refused = await request(`${hub.url}/v1/events`, {
    method: 'POST', body: '{"type": "supply.used", "idempotencyKey": ', // cut off mid-way
    headers: { authorization: `Bearer ${hub.tokens.operator}`, 'content-type': 'application/json', 'idempotency-key': 'BROWSER-REFUSED-1' },
  });
  assert.equal(refused.statusCode, 400);
  await refused.body.dump();
  await page.getByTestId('nav-trace').click();
  await page.getByTestId('trace-kind').selectOption('source');
  await page.getByTestId('trace-query').fill('BROWSER-REFUSED-1');
  await page.getByTestId('trace-search').click();
  await page.getByTestId('refused-result').first().getByRole('link').click();
  // Why it was refused; the raw text itself stays hidden, as a body that cannot be parsed cannot be masked.
  await page.getByTestId('message-panel').filter({ hasText: 'the body is not valid JSON' }).waitFor();
  assert.match(await page.getByTestId('message-raw').innerText(), /not JSON; not shown, as they may carry PHI/);
  await shot('refused');

  assert.deepEqual(pageErrors, [], 'no script error and nothing the content security policy refused');

  // A viewer's console shows the same data and no buttons that change anything (the API refuses them anyway).
  await page.getByTestId('signout').click();
  const store = openSqliteStore({ path: join(hub.dataDir, 'tendon.db') });
  const viewer = (await ensureUsers(store, { operator })).viewer;
  await store.close();
  await page.getByTestId('signin-username').fill(viewer.username);
  await page.getByTestId('signin-password').fill(viewer.password);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('current-user').filter({ hasText: '(viewer)' }).waitFor();
  await page.getByTestId('nav-deliveries').click();
  await waitUntil('the deliveries screen to load', async () => (await page.getByTestId('loading').count()) === 0 && (await page.locator('text=erp').count()) > 0);
  assert.equal(await page.getByTestId('pause-erp').count(), 0, 'no pause button for a viewer');
});

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > until) {
      const dir = join(tmpdir(), 'tendon-console-failures');
      await shot(`failed-${what.replace(/[^a-z]+/gi, '-')}`, dir).catch(() => {});
      throw new Error(`timed out waiting for ${what} (the page as it was: ${dir})`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
