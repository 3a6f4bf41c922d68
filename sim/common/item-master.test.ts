// The item-master door (MFN^M16 over MLLP), over real sockets, for both sims that run it: the EHR and the cabinets.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startCabinet } from '../cabinet/server.ts';
import { startEhr } from '../ehr/server.ts';
import { buildMessage, MllpClient, mshSegment, parseMessage, parseMllpAddress, readMsh, segment, type Hl7Field } from './hl7.ts';
import type { SimHandle } from './runtime.ts';
import { get, ledger, post } from './test-client.ts';

type Entry = { event?: string; key?: string; changeId?: string; itm?: Hl7Field[] | null; pkgs?: Hl7Field[][] };

/** An MFN^M16 the way an item master feed shapes one: MFI ITM, then per item MFE, ITM and its PKG levels. */
function mfn(controlId: string, entries: Entry[], options: { type?: Hl7Field; responseLevel?: string; mfi?: boolean } = {}): string {
  const segments = [
    mshSegment({
      sendingApplication: 'TENDON', sendingFacility: 'NETWORK', receivingApplication: 'EHR', receivingFacility: 'EHR', time: '20261121101500-0500',
      messageType: options.type ?? ['MFN', 'M16', 'MFN_M16'], controlId, version: '2.7',
    }),
  ];
  if (options.mfi !== false) segments.push(segment('MFI', [['ITM', 'Inventory item master', 'HL70175'], null, 'UPD', null, null, options.responseLevel ?? 'AL']));
  for (const e of entries) {
    const key = e.key ?? 'ITM-00017';
    segments.push(segment('MFE', [e.event ?? 'MUP', e.changeId ?? 'chg-1', '20261121101500-0500', key === '' ? null : [key, 'ERP'], 'CWE']));
    if (e.itm !== null) segments.push(segment('ITM', e.itm ?? [[key, 'ERP'], 'Suture, Nylon 4-0, PS-2, 18in', 'A', 'SUP']));
    const pkgs = e.pkgs ?? [
      ['1', ['EA', 'Each'], 'N', 1, null, null, null, '00614141000012'],
      ['2', ['BX', 'Box'], 'Y', 12, null, null, null, '10614141000019'],
      ['3', ['CS', 'Case'], 'N', 10, null, null, null, '20614141000016', null, 120],
    ];
    for (const p of pkgs) segments.push(segment('PKG', p));
  }
  return buildMessage(segments);
}

const mfas = (text: string) => parseMessage(text).segments.filter((s) => s.name === 'MFA');

for (const [name, start] of [['ehr', startEhr], ['cabinet', startCabinet]] as const) {
  describe(`${name}: the item-master door`, () => {
    let sim: SimHandle;
    let client: MllpClient;
    before(async () => {
      sim = await start({ seed: 5 });
      client = new MllpClient(parseMllpAddress(sim.mllpUrl ?? ''));
    });
    after(async () => {
      client.close();
      await sim.close();
    });
    const entriesFor = async (key: string) => (await ledger(sim.url)).filter((e) => String(e.idempotencyKey).startsWith(key));

    test('an M16 update is applied and answered MFK^M16: AA for MSH-10, the MFI echoed, an MFA per MFE', async () => {
      const ack = await client.sendAndWait(mfn('dlv-item-1', [{}]), 2000);
      assert.equal(ack.code, 'AA');
      assert.equal(ack.controlId, 'dlv-item-1');
      const answer = parseMessage(ack.message);
      const head = readMsh(answer);
      assert.deepEqual([head.messageCode, head.triggerEvent, head.structure, head.sendingApplication], ['MFK', 'M16', 'MFK_M01', name.toUpperCase()]);
      assert.equal(answer.segment('MFI')?.get(1), 'ITM');
      const [mfa, more] = mfas(ack.message);
      assert.ok(mfa && !more);
      assert.deepEqual([mfa.get(1), mfa.get(2), mfa.get(4), mfa.get(5), mfa.get(5, 2), mfa.get(6)], ['MUP', 'chg-1', 'S', 'ITM-00017', 'ERP', 'CWE']);

      const item = (await get(sim.url, '/items/ITM-00017')).body;
      assert.deepEqual(item, {
        id: 'ITM-00017', description: 'Suture, Nylon 4-0, PS-2, 18in', uom: 'EA', gtin: '00614141000012', status: 'active',
        packaging: [{ uom: 'BX', quantity: 12, gtin: '10614141000019' }, { uom: 'CS', quantity: 120, gtin: '20614141000016' }],
      });
      const [entry] = await entriesFor('dlv-item-1');
      assert.equal(entry.kind, 'item');
      assert.equal(entry.id, ack.text);
      assert.deepEqual(entry.body, {
        ...item, event: 'MUP', changeId: 'chg-1', reference: { deliveryId: 'dlv-item-1', eventId: null, correlationId: null }, via: 'mllp',
      });
    });

    test('the same MSH-10 again gets the same answer and has no second effect', async () => {
      const first = await client.sendAndWait(mfn('dlv-item-dup', [{ key: 'ITM-00020' }]), 2000);
      const again = await client.sendAndWait(mfn('dlv-item-dup', [{ key: 'ITM-00020', itm: [['ITM-00020'], 'Changed in between', 'A'] }]), 2000);
      assert.equal(again.message, first.message);
      assert.equal((await entriesFor('dlv-item-dup')).length, 1);
      assert.equal((await get(sim.url, '/items/ITM-00020')).body.description, 'Suture, Nylon 4-0, PS-2, 18in');
    });

    test('MDC deactivates a known item, with or without its ITM; an unknown one without ITM is AE 204', async () => {
      await client.sendAndWait(mfn('dlv-item-30', [{ key: 'ITM-00030' }]), 2000);
      const off = await client.sendAndWait(mfn('dlv-item-30-off', [{ event: 'MDC', key: 'ITM-00030', itm: null, pkgs: [] }]), 2000);
      assert.equal(off.code, 'AA');
      assert.equal(mfas(off.message)[0]?.get(1), 'MDC');
      const item = (await get(sim.url, '/items/ITM-00030')).body;
      assert.equal(item.status, 'inactive');
      assert.equal(item.uom, 'EA', 'the rest of the record is kept');
      const unknown = await client.sendAndWait(mfn('dlv-item-31-off', [{ event: 'MDC', key: 'ITM-00031', itm: null, pkgs: [] }]), 2000);
      assert.deepEqual([unknown.code, unknown.error?.code, unknown.error?.location], ['AE', '204', 'MFE-1-4']);
      const withItm = await client.sendAndWait(mfn('dlv-item-31-off2', [{ event: 'MDC', key: 'ITM-00031' }]), 2000);
      assert.equal(withItm.code, 'AA');
      assert.equal((await get(sim.url, '/items/ITM-00031')).body.status, 'inactive');
    });

    test('another message type is AR; so is another MFN event', async () => {
      const adt = await client.sendAndWait(mfn('dlv-adt', [{}], { type: ['ADT', 'A01'] }), 2000);
      assert.deepEqual([adt.code, adt.error?.code, adt.error?.location], ['AR', '200', 'MSH-1-9']);
      assert.match(adt.text, /takes MFN\^M16, not ADT/);
      const m04 = await client.sendAndWait(mfn('dlv-m04', [{}], { type: ['MFN', 'M04'] }), 2000);
      assert.deepEqual([m04.code, m04.error?.code], ['AR', '201']);
      assert.equal(readMsh(parseMessage(m04.message)).messageCode, 'ACK');
      assert.equal((await entriesFor('dlv-adt')).length + (await entriesFor('dlv-m04')).length, 0);
    });

    test('a malformed MFN is AE naming the segment or field, its MFAs U, nothing applied; fixed, the same MSH-10 is taken', async () => {
      const noMfe = await client.sendAndWait(mfn('dlv-bad-1', []), 2000);
      assert.deepEqual([noMfe.code, noMfe.error?.code, noMfe.error?.location], ['AE', '100', 'MFE-1']);
      assert.equal(readMsh(parseMessage(noMfe.message)).messageCode, 'MFK');
      const noMfi = await client.sendAndWait(mfn('dlv-bad-2', [{}], { mfi: false }), 2000);
      assert.deepEqual([noMfi.code, noMfi.error?.location], ['AE', 'MFI-1']);

      const noKey = await client.sendAndWait(mfn('dlv-bad-3', [{ key: 'ITM-00040' }, { key: '' }]), 2000);
      assert.deepEqual([noKey.code, noKey.error?.code, noKey.error?.location], ['AE', '101', 'MFE-2-4']);
      assert.deepEqual(mfas(noKey.message).map((m) => m.get(4)), ['U', 'U']);
      const badQty = await client.sendAndWait(mfn('dlv-bad-4', [{ key: 'ITM-00040', pkgs: [['1', 'EA', null, 'one']] }]), 2000);
      assert.deepEqual([badQty.code, badQty.error?.code, badQty.error?.location], ['AE', '102', 'PKG-1-4']);
      const noItm = await client.sendAndWait(mfn('dlv-bad-5', [{ key: 'ITM-00040', itm: null }]), 2000);
      assert.deepEqual([noItm.code, noItm.error?.code, noItm.error?.location], ['AE', '100', 'ITM-1']);
      assert.equal((await get(sim.url, '/items/ITM-00040')).status, 404);
      assert.equal((await entriesFor('dlv-bad-')).length, 0);

      const fixed = await client.sendAndWait(mfn('dlv-bad-3', [{ key: 'ITM-00040' }, { key: 'ITM-00041' }]), 2000);
      assert.equal(fixed.code, 'AA');
      assert.deepEqual(mfas(fixed.message).map((m) => [m.get(4), m.get(5)]), [['S', 'ITM-00040'], ['S', 'ITM-00041']]);
      assert.deepEqual((await entriesFor('dlv-bad-3')).map((e) => e.idempotencyKey), ['dlv-bad-3:1', 'dlv-bad-3:2']);
    });

    test('MFI-6 decides which MFAs come back: ER only the unsuccessful ones, NE none', async () => {
      const quiet = await client.sendAndWait(mfn('dlv-er', [{ key: 'ITM-00050' }], { responseLevel: 'ER' }), 2000);
      assert.equal(quiet.code, 'AA');
      assert.equal(mfas(quiet.message).length, 0);
      const refused = await client.sendAndWait(mfn('dlv-er-2', [{ key: '' }], { responseLevel: 'ER' }), 2000);
      assert.equal(mfas(refused.message).length, 1);
      const never = await client.sendAndWait(mfn('dlv-ne', [{ key: '' }], { responseLevel: 'NE' }), 2000);
      assert.deepEqual([never.code, mfas(never.message).length], ['AE', 0]);
    });

    test('faults: down drops the connection, errorRate closes it without an answer; healed, the resend is applied once', async () => {
      await post(sim.url, '/_sim/faults', { down: true });
      await assert.rejects(client.sendAndWait(mfn('dlv-fault', [{ key: 'ITM-00060' }]), 1000), /lost|could not connect/);
      await post(sim.url, '/_sim/faults', { reset: true, errorRate: 1 });
      await assert.rejects(client.sendAndWait(mfn('dlv-fault', [{ key: 'ITM-00060' }]), 1000), /lost/);
      assert.equal((await entriesFor('dlv-fault')).length, 0);
      await post(sim.url, '/_sim/faults', { reset: true });
      assert.equal((await client.sendAndWait(mfn('dlv-fault', [{ key: 'ITM-00060' }]), 2000)).code, 'AA');
      assert.equal((await client.sendAndWait(mfn('dlv-fault', [{ key: 'ITM-00060' }]), 2000)).code, 'AA');
      assert.equal((await entriesFor('dlv-fault')).length, 1);
    });
  });
}
