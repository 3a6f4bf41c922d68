import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TendonError } from '../core/errors.ts';
import { loadConfigFile, parseConfig, substituteEnv } from './load.ts';
import { redactSecrets } from './schema.ts';
import { routeTable, thresholdsFor } from './routes.ts';
import { configJsonSchema } from './schema.ts';

const PHI_KEY = 'a1'.repeat(32);
const minimal = (destinations: unknown[] = [{ name: 'erp-main', role: 'erp', url: 'https://erp.example.org/api' }]) => ({
  security: { phiKey: PHI_KEY }, masterData: { url: 'https://erp.example.org/api' }, destinations,
});
const refused = (fn: () => unknown): TendonError => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof TendonError, `expected a TendonError, got ${String(e)}`);
    assert.equal(e.category, 'invalid');
    return e;
  }
  assert.fail('the configuration was accepted');
};

test('${NAME} is replaced from the environment anywhere in a string, in objects and arrays', () => {
  const env = { ERP_HOST: 'erp.north.example.org', ERP_TOKEN: 's3cret' };
  assert.deepEqual(substituteEnv({ url: 'https://${ERP_HOST}/api', headers: ['Bearer ${ERP_TOKEN}'], port: 443, tls: true }, env),
    { url: 'https://erp.north.example.org/api', headers: ['Bearer s3cret'], port: 443, tls: true });
  assert.equal(substituteEnv('${ERP_HOST}:${ERP_HOST}', env), 'erp.north.example.org:erp.north.example.org');
});

test('${NAME:-default} uses the default only when the variable is not set', () => {
  assert.equal(substituteEnv('${LOG_LEVEL:-info}', {}), 'info');
  assert.equal(substituteEnv('${LOG_LEVEL:-info}', { LOG_LEVEL: 'debug' }), 'debug');
  assert.equal(substituteEnv('${DATA_DIR:-}', {}), '', 'an empty default is a default');
  assert.equal(substituteEnv('${ERP_URL:-http://localhost:9000/api}', {}), 'http://localhost:9000/api', 'a default may hold colons');
});

test('a missing variable without a default is an error naming the variable and where it is used', () => {
  const e = refused(() => parseConfig(minimal([{ name: 'billing', role: 'billing', url: '${BILLING_URL}' }]), {}));
  assert.match(e.message, /BILLING_URL is not set/);
  assert.deepEqual(e.issues, [{ path: '/destinations/0/url', message: 'needs ${BILLING_URL}' }]);
  assert.deepEqual(refused(() => substituteEnv('${PHI_KEY}', {})).issues[0]?.path, '/', 'a whole document that is one string');
});

test('defaults fill every omitted setting: http, store, retry, circuit and destination options', () => {
  const c = parseConfig(minimal(), {});
  assert.deepEqual(c.http, { host: '127.0.0.1', port: 8080 });
  assert.equal(c.dataDir, './data');
  assert.equal(c.store.synchronous, 'FULL', 'every acknowledged commit is on disk unless told otherwise');
  assert.equal(c.masterData.intervalSeconds, 60);
  assert.equal(c.log.level, 'info');
  const [d] = c.destinations;
  assert.deepEqual(d?.retry, { maxAttempts: 12, maxAgeSeconds: 86_400, baseMs: 500, capMs: 60_000 });
  assert.deepEqual(d?.circuit, { failures: 5, halfOpenAfterMs: 5_000 });
  assert.equal(d?.phi, false, 'no destination receives patient identifiers unless configured to');
  assert.equal(d?.strict, false);
  assert.equal(d?.concurrency, 32);
  assert.equal(d?.timeoutMs, 10_000);
  assert.equal(d?.rps, 0);
});

test('a partly given retry or circuit keeps the defaults for the rest', () => {
  const c = parseConfig(minimal([{ name: 'billing', role: 'billing', url: 'https://billing.example.org', phi: true, retry: { maxAttempts: 3 }, circuit: { failures: 2 } }]), {});
  assert.deepEqual(c.destinations[0]?.retry, { maxAttempts: 3, maxAgeSeconds: 86_400, baseMs: 500, capMs: 60_000 });
  assert.deepEqual(c.destinations[0]?.circuit, { failures: 2, halfOpenAfterMs: 5_000 });
  assert.equal(c.destinations[0]?.phi, true);
});

test('workflow categories take owner and SLA from the configuration; only a supplier destination names suppliers', () => {
  const c = parseConfig({ ...minimal(), exceptions: { invoice_mismatch: { ownerRole: 'ap-team', slaHours: 48 }, charge_missing: { slaHours: 12 } } }, {});
  assert.deepEqual(c.exceptions.invoice_mismatch, { ownerRole: 'ap-team', slaHours: 48 });
  const e = refused(() => parseConfig(minimal([{ name: 'erp-main', role: 'erp', url: 'https://erp.example.org/api', suppliers: ['SUP-1'] }]), {}));
  assert.deepEqual(e.issues, [{ path: '/destinations/0/suppliers', message: 'only a supplier destination carries some suppliers\' orders' }]);
});

test('two destinations with the same name are refused', () => {
  const e = refused(() => parseConfig(minimal([
    { name: 'erp-main', role: 'erp', url: 'https://erp.example.org/api' },
    { name: 'billing', role: 'billing', url: 'https://billing.example.org' },
    { name: 'erp-main', role: 'inventory', url: 'https://inventory.example.org' },
  ]), {}));
  assert.deepEqual(e.issues, [{ path: '/destinations/2/name', message: 'the name erp-main is used twice' }]);
});

test('a site\'s thresholds override the network\'s defaults only where it sets them', () => {
  const c = parseConfig({ ...minimal([{ name: 'erp', role: 'erp', url: 'https://erp.example.org' }]), thresholds: { emergencyOnHand: 0 }, sites: { 'FAC-RURAL': { thresholds: { emergencyOnHand: 2 } } } }, {});
  const at = thresholdsFor(c);
  assert.equal(at('FAC-RURAL').emergencyOnHand, 2);
  assert.equal(at('FAC-NORTH').emergencyOnHand, 0);
  assert.throws(() => parseConfig({ ...minimal([{ name: 'erp', role: 'erp', url: 'https://erp.example.org' }]), sites: { X: { thresholds: { emergencyOnHand: -1 } } } }, {}),
    (e: TendonError) => e.issues.some((i) => i.path === '/sites/X/thresholds/emergencyOnHand'));
});

test('routes choose destinations per facility and must name destinations of their role', () => {
  const destinations = [
    { name: 'billing-epic', role: 'billing', url: 'https://epic.example.org', phi: true },
    { name: 'billing-meditech', role: 'billing', kind: 'mllp', url: 'mllp://meditech.example.org:2600', phi: true },
    { name: 'erp', role: 'erp', url: 'https://erp.example.org' },
  ];
  const c = parseConfig({ ...minimal(destinations), routes: [
    { role: 'billing', facilities: ['FAC-SOUTH'], to: ['billing-meditech'] },
    { role: 'billing', to: ['billing-epic'] },
  ] }, {});
  const route = routeTable(c.destinations, c.routes);
  assert.deepEqual(route('billing', { facility: 'FAC-SOUTH', type: 'supply.used' }).map((d) => d.name), ['billing-meditech']);
  assert.deepEqual(route('billing', { facility: 'FAC-NORTH', type: 'supply.used' }).map((d) => d.name), ['billing-epic']);
  assert.deepEqual(route('erp', { facility: 'FAC-NORTH', type: 'supply.used' }).map((d) => d.name), ['erp'], 'no route: every destination of the role');
  const e = refused(() => parseConfig({ ...minimal(destinations), routes: [{ role: 'billing', to: ['erp', 'nowhere'] }] }, {}));
  assert.deepEqual(e.issues, [
    { path: '/routes/0/to/0', message: 'erp is a erp destination, not billing' },
    { path: '/routes/0/to/1', message: 'no destination is named nowhere' },
  ]);
});

test('each invalid setting is named by its path', () => {
  const e = refused(() => parseConfig(minimal([
    { name: 'erp-main', role: 'erp', url: 'https://erp.example.org/api' },
    { name: 'billing', role: 'billing', url: 'billing.example.org', retry: { maxAttempts: 0 } },
  ]), {}));
  assert.deepEqual(e.issues.map((i) => i.path).sort(), ['/destinations/1/retry/maxAttempts', '/destinations/1/url']);
  assert.deepEqual(refused(() => parseConfig(minimal([{ name: 'erp-main', role: 'cabinet', url: 'https://c.example.org' }]), {})).issues.map((i) => i.path),
    ['/destinations/0/role'], 'a role no flow delivers to');
  assert.deepEqual(refused(() => parseConfig(minimal([{ name: 'ERP Main', role: 'erp', url: 'https://erp.example.org' }]), {})).issues.map((i) => i.path),
    ['/destinations/0/name']);
});

test('a configuration needs a PHI key, master data and at least one destination', () => {
  const e = refused(() => parseConfig({ destinations: [] }, {}));
  assert.deepEqual(e.issues.map((i) => i.path).sort(), ['/destinations', '/masterData', '/security']);
  assert.deepEqual(refused(() => parseConfig({ ...minimal(), security: { phiKey: 'short' } }, {})).issues.map((i) => i.path), ['/security/phiKey']);
});

test('a YAML file is read, its ${ENV} references replaced and validated; JSON too', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tendon-config-'));
  try {
    const yaml = join(dir, 'tendon.yaml');
    writeFileSync(yaml, [
      'dataDir: /var/lib/tendon',
      'security:',
      '  phiKey: ${TENDON_PHI_KEY}',
      'masterData:',
      '  url: ${ERP_URL:-https://erp.example.org/api}',
      'destinations:',
      '  - name: billing',
      '    role: billing',
      '    url: https://${BILLING_HOST}/fhir',
      '    phi: true',
      '',
    ].join('\n'));
    const c = loadConfigFile(yaml, { TENDON_PHI_KEY: PHI_KEY, BILLING_HOST: 'billing.north.example.org' });
    assert.equal(c.security.phiKey, PHI_KEY);
    assert.equal(c.masterData.url, 'https://erp.example.org/api');
    assert.equal(c.destinations[0]?.url, 'https://billing.north.example.org/fhir');
    assert.equal(c.destinations[0]?.phi, true);

    const json = join(dir, 'tendon.json');
    writeFileSync(json, JSON.stringify(minimal()));
    assert.equal(loadConfigFile(json, {}).destinations[0]?.name, 'erp-main');
    assert.deepEqual(refused(() => loadConfigFile(yaml, { TENDON_PHI_KEY: PHI_KEY })).issues[0]?.path, '/destinations/0/url');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an empty variable takes the default, as ${X:-d} does in a shell', () => {
  assert.equal(substituteEnv('${PORT:-8080}', { PORT: '' }), 8080);
});

test('a value that is one whole reference takes its YAML type, so numbers and booleans can come from the environment', () => {
  assert.equal(substituteEnv('${PORT}', { PORT: '9000' }), 9000);
  assert.equal(substituteEnv('${PHI}', { PHI: 'true' }), true);
  assert.equal(substituteEnv('http://h:${PORT}', { PORT: '9000' }), 'http://h:9000', 'inside a longer string it stays text');
  assert.equal(substituteEnv('${NAME}', { NAME: 'billing' }), 'billing');
});

test('the example configuration in examples/ is valid', () => {
  const config = loadConfigFile(new URL('../../examples/hub.yaml', import.meta.url).pathname, {
    TENDON_PHI_KEY: 'a'.repeat(64), ERP_URL: 'http://127.0.0.1:9001', INVENTORY_URL: 'http://127.0.0.1:9002', BILLING_URL: 'http://127.0.0.1:9003',
  });
  assert.equal(config.http.port, 8080);
  assert.deepEqual(config.destinations.map((d) => [d.name, d.phi, d.strict]), [['erp', false, false], ['inventory', false, false], ['billing', true, true]]);
});

test('an HL7 over MLLP destination must be billing and name an mllp:// address', () => {
  const base = { security: { phiKey: 'a'.repeat(64) }, masterData: { url: 'http://127.0.0.1:1' } };
  const ok = parseConfig({ ...base, destinations: [{ name: 'billing', role: 'billing', kind: 'mllp', url: 'mllp://127.0.0.1:2600', phi: true }] }, {});
  assert.equal(ok.destinations[0]!.hl7.sendingApplication, 'TENDON');
  assert.throws(() => parseConfig({ ...base, destinations: [{ name: 'erp', role: 'erp', kind: 'mllp', url: 'mllp://127.0.0.1:2600' }] }, {}),
    (e: TendonError) => e.issues.some((i) => i.path === '/destinations/0/kind'));
  assert.throws(() => parseConfig({ ...base, destinations: [{ name: 'billing', role: 'billing', kind: 'mllp', url: 'http://127.0.0.1:2600' }] }, {}),
    (e: TendonError) => e.issues.some((i) => i.path === '/destinations/0/url'));
});

test('webhooks: a destination needs its secret (≥32 characters), an inbound channel too; the tolerance defaults to 300 s', () => {
  const secret = 'w'.repeat(32);
  const hook = { name: 'lake', role: 'analytics', kind: 'webhook', url: 'https://lake.example.org/in' };
  const ok = parseConfig({ ...minimal([hook].map((d) => ({ ...d, webhook: { secret: '${LAKE_SECRET}' } }))), inbound: [{ name: 'cabinets', kind: 'webhook', secret }] }, { LAKE_SECRET: secret });
  assert.equal(ok.destinations[0]!.webhook?.secret, secret);
  assert.deepEqual(ok.inbound[0], { name: 'cabinets', kind: 'webhook', secret, toleranceSeconds: 300 });
  assert.ok(refused(() => parseConfig(minimal([hook]), {})).issues.some((i) => i.path === '/destinations/0/webhook'));
  assert.ok(refused(() => parseConfig(minimal([{ ...hook, webhook: { secret: 'short' } }]), {})).issues.some((i) => i.path === '/destinations/0/webhook/secret'));
  assert.ok(refused(() => parseConfig({ ...minimal(), inbound: [{ name: 'cabinets', kind: 'webhook', secret: 'short' }] }, {})).issues.some((i) => i.path === '/inbound/0/secret'));
});

test('a FHIR destination takes a bearer token; GET /v1/config shows no secret', () => {
  const config = parseConfig({
    ...minimal([{ name: 'billing', role: 'billing', kind: 'fhir', url: 'https://billing.example.org/fhir', fhir: { bearerToken: '${FHIR_TOKEN}' } }]),
    inbound: [{ name: 'cabinets', kind: 'webhook', secret: 's'.repeat(40) }],
  }, { FHIR_TOKEN: 'tok-abc' });
  assert.equal(config.destinations[0]!.fhir.bearerToken, 'tok-abc');
  const shown = JSON.stringify(redactSecrets(config));
  assert.doesNotMatch(shown, /tok-abc|a1a1|ssss/);
  assert.equal(redactSecrets(config).destinations[0]!.fhir.bearerToken, '[redacted]');
  assert.equal(config.destinations[0]!.fhir.bearerToken, 'tok-abc', 'the running configuration is left as it is');
});

test('docs/config.schema.json is the schema the hub validates with (regenerate: tendon config schema > docs/config.schema.json)', () => {
  const committed = JSON.parse(readFileSync(new URL('../../docs/config.schema.json', import.meta.url), 'utf8'));
  assert.deepEqual(committed, JSON.parse(JSON.stringify(configJsonSchema())));
});

test('the demo\'s shipped configuration is valid and declares a channel of every kind it runs', () => {
  const c = loadConfigFile(new URL('../../examples/demo.yaml', import.meta.url).pathname, {
    DATA_DIR: '/tmp/tendon-demo', PHI_KEY: 'a'.repeat(64), ERP_URL: 'http://127.0.0.1:9001', INVENTORY_URL: 'http://127.0.0.1:9002',
    BILLING_MLLP_URL: 'mllp://127.0.0.1:9004', SUPPLIER_URL: 'http://127.0.0.1:9005/x12',
    EHR_MLLP_URL: 'mllp://127.0.0.1:9007', CABINET_MLLP_URL: 'mllp://127.0.0.1:9009', PROCUREMENT_URL: 'http://127.0.0.1:9011',
  });
  assert.deepEqual(c.inbound.map((i) => i.kind), ['mllp', 'csv', 'x12']);
  assert.deepEqual(c.destinations.map((d) => [d.role, d.kind]),
    [['erp', 'http'], ['inventory', 'http'], ['billing', 'mllp'], ['supplier', 'x12'], ['procurement', 'http'], ['clinical', 'mllp'], ['clinical', 'mllp'], ['analytics', 'nats']]);
  assert.equal(c.thresholds.poConsolidationMinutes, 2, 'the demo consolidates purchase orders');
});
