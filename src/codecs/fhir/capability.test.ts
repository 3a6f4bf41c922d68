// The CapabilityStatement is valid R4 and promises exactly what the codec does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capabilityStatement, SUPPORTED_TYPES, validateR4 } from './index.ts';

const input = { baseUrl: 'https://tendon.example.org/fhir', software: { name: 'Tendon', version: '0.1.0' }, now: '2026-05-12T14:00:00-05:00' };
type Rest = { mode: string; resource: { type: string; interaction: { code: string }[] }[]; interaction: { code: string }[] };

test('it passes the R4 validator (structure, invariants, required bindings), which does catch a statement that breaks them', () => {
  assert.deepEqual(validateR4(capabilityStatement(input)), []);
  const broken = structuredClone(capabilityStatement(input)) as Record<string, any>;
  delete broken.implementation; // kind = instance needs it (cpb-14)
  broken.rest[0].resource[0].interaction[0].code = 'upsert'; // not a restful interaction
  assert.deepEqual(validateR4(broken).map((i) => [i.code, i.expression?.[0]]), [
    ['invariant', 'CapabilityStatement'], ['code-invalid', 'CapabilityStatement.rest[0].resource[0].interaction[0].code'],
  ]);
});

test('an active instance statement of FHIR 4.0.1 in JSON, for this deployment at its base URL', () => {
  const cs = capabilityStatement(input);
  assert.deepEqual(
    [cs.status, cs.kind, cs.fhirVersion, cs.format, cs.date, cs.software, (cs.implementation as { url: string }).url],
    ['active', 'instance', '4.0.1', ['json'], input.now, { name: 'Tendon', version: '0.1.0' }, input.baseUrl],
  );
});

test('a server that creates SupplyDelivery, SupplyRequest and ChargeItem, and takes batch and transaction Bundles', () => {
  const [rest, ...more] = capabilityStatement(input).rest as Rest[];
  assert.equal(more.length, 0);
  assert.equal(rest!.mode, 'server');
  assert.deepEqual(rest!.resource.map((r) => [r.type, r.interaction.map((i) => i.code)]), SUPPORTED_TYPES.map((t) => [t, ['create']]));
  assert.deepEqual(rest!.interaction.map((i) => i.code), ['batch', 'transaction']);
});

test('the same input gives the same statement (nothing read from a clock)', () => {
  assert.deepEqual(capabilityStatement(input), capabilityStatement(input));
  assert.equal(capabilityStatement({ ...input, now: '2027-01-01T00:00:00Z' }).date, '2027-01-01T00:00:00Z');
});
