// The MLLP destination chooses its HL7 message by the delivery's action — a charge a DFT^P03, an item master change an
// MFN^M16, a chargemaster line an MFN^M04 — against a receiver written here from the framing rules (VT … FS CR), not
// from Tendon's framing code. Its MFK answers decide the outcome like an ACK; what HL7 has no message for (an action
// it does not know, the reversal of a master-file update) is an EncodeError, and nothing is sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { EncodeError, type EncodeContext } from '../src/codecs/rest/index.ts';
import { DestinationConfig } from '../src/config/schema.ts';
import type { Delivery } from '../src/core/types.ts';
import { createMllpOutbound } from '../src/engine/outbound/mllp.ts';
import { field } from './support/mllp-client.ts';

const START = Buffer.from([0x0b]);
const END = Buffer.from([0x1c, 0x0d]);

/** Receives framed messages, keeps them, and answers each with `answer(message)` (null: no answer at all). */
async function receiver(answer: (message: string) => string | null) {
  const got: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const start = buffer.indexOf(START);
        const end = buffer.indexOf(END, start + 1);
        if (start === -1 || end === -1) return;
        const message = buffer.subarray(start + 1, end).toString('utf8');
        buffer = buffer.subarray(end + END.length);
        got.push(message);
        const reply = answer(message);
        if (reply !== null) socket.write(Buffer.concat([START, Buffer.from(reply, 'utf8'), END]));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const close = () => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
  return { url: `mllp://127.0.0.1:${port}`, got, close };
}

/** The answer a receiving system sends: MFK^<event> (MSA, MFI, MFA) for a master file, else ACK^<event>. */
function answer(message: string, msa: string, err = ''): string {
  const [type, event] = (field(message, 'MSH', 9) ?? '').split('^');
  const controlId = field(message, 'MSH', 10);
  const master = type === 'MFN';
  const head = `MSH|^~\\&|RECEIVER|FAC-A|TENDON|NET|20261121091501||${master ? 'MFK' : 'ACK'}^${event}^${master ? 'MFK_M01' : 'ACK'}|R-1|P|2.7\r`;
  const mfk = master ? `MFI|${field(message, 'MFI', 1)}||UPD|||AL\rMFA|${field(message, 'MFE', 1)}|||${msa === 'AA' ? 'S' : 'U'}|${field(message, 'MFE', 4)}|CWE\r` : '';
  return `${head}MSA|${msa}|${controlId}\r${err}${mfk}`;
}

const destination = (url: string) => DestinationConfig.parse({ name: 'ehr-items', role: 'clinical', kind: 'mllp', url, timeoutMs: 300, concurrency: 1 });
const ctx: EncodeContext = { revealed: new Map() };

function delivery(action: string, body: Record<string, unknown>, over: Partial<Delivery> = {}): Delivery {
  return {
    id: 'd-1', seq: 1, eventId: 'e-1', correlationId: 'c-1', destination: 'ehr-items', action, partitionKey: 'p', priority: 1,
    idempotencyKey: 'tdn-d-1', status: 'pending', attempts: 0, nextAttemptAt: 0, createdAt: '2026-11-21T15:04:05.000Z',
    updatedAt: '2026-11-21T15:04:05.000Z', body, reverses: null, remoteRef: null, lastError: null, ...over,
  };
}

const item = {
  id: 'ITM-300051', updatedAt: '2026-11-20T10:00:00Z', description: 'Gauze sponge 4x4', uom: 'EA', gtin: '00885556100011',
  packaging: [{ uom: 'BX', quantity: 10, gtin: '10885556100018' }], manufacturer: 'Acme', catalogNumber: 'GZ-44', supplierId: 'SUP-0007',
  implant: false, lotControlled: false, serialControlled: false, expiryControlled: true, chargeable: false, status: 'active',
};
const line = { itemId: 'ITM-100234', chargeCode: 'CDM-2780011', revenueCode: '0278', hcpcs: 'C1776', description: 'KNEE FEM COMP', price: '9850.00', status: 'active' };
const charge = {
  account: 'ACCT-778812', patient: { token: 'pt_x' }, facilityId: 'FAC-NORTH', chargeCode: 'CDM-2780011', quantity: 1,
  serviceDate: '2026-05-12', itemId: 'ITM-100234', revenueCode: '0278', unitPrice: '9850.00',
};

test('an item master change is sent as an MFN^M16 keyed by the delivery; unanswered it is sent again with the same key, and MFK AA delivers it', async () => {
  let answers = 0;
  const r = await receiver((m) => (answers++ === 0 ? null : answer(m, 'AA')));
  const out = createMllpOutbound(destination(r.url));
  try {
    const d = delivery('item.master', { item });
    const first = await out.deliver(d, ctx);
    assert.equal(first.outcome, 'retryable', 'no MFK in time: tried again later');
    const second = await out.deliver(d, ctx);
    assert.deepEqual([second.outcome, second.remoteRef, second.reason], ['success', 'tdn-d-1', null]);
    assert.equal(r.got.length, 2);
    for (const m of r.got) {
      assert.deepEqual([field(m, 'MSH', 9), field(m, 'MSH', 10), field(m, 'MFE', 1), field(m, 'ITM', 2)],
        ['MFN^M16^MFN_M16', 'tdn-d-1', 'MUP', 'Gauze sponge 4x4']);
    }
  } finally {
    await out.close();
    await r.close();
  }
});

test('a chargemaster line is sent as an MFN^M04; an MFK AE rejects it with the receiver\'s reason', async () => {
  const r = await receiver((m) => answer(m, 'AE', 'ERR||PRC^1^14|102^Data type error^HL70357|E||||PRC-14 revenue code "0278" is closed\r'));
  const out = createMllpOutbound(destination(r.url));
  try {
    const result = await out.deliver(delivery('chargemaster.update', { charge: line }), ctx);
    assert.deepEqual([result.outcome, result.reason, result.remoteRef], ['rejected', 'AE: PRC-14 revenue code "0278" is closed', null]);
    assert.deepEqual([field(r.got[0]!, 'MSH', 9), field(r.got[0]!, 'MFI', 1), field(r.got[0]!, 'CDM', 1), field(r.got[0]!, 'PRC', 5)],
      ['MFN^M04^MFN_M04', 'CDM^Charge description master^HL70175', 'CDM-2780011', '9850.00&USD']);
  } finally {
    await out.close();
    await r.close();
  }
});

test('a charge is still a DFT^P03, and an MFK answering another control id is not taken as this one\'s answer', async () => {
  const r = await receiver((m) => (field(m, 'MSH', 9)!.startsWith('DFT') ? answer(m, 'AA') : answer(m, 'AA').replace('MSA|AA|tdn-d-2', 'MSA|AA|tdn-other')));
  const out = createMllpOutbound(destination(r.url));
  try {
    const posted = await out.deliver(delivery('charge.post', charge), ctx);
    assert.deepEqual([posted.outcome, field(r.got[0]!, 'MSH', 9), field(r.got[0]!, 'FT1', 6)], ['success', 'DFT^P03^DFT_P03', 'CG']);
    const stray = await out.deliver(delivery('item.master', { item }, { idempotencyKey: 'tdn-d-2' }), ctx);
    assert.deepEqual([stray.outcome, stray.reason], ['retryable', 'ACK for tdn-other, not tdn-d-2']);
  } finally {
    await out.close();
    await r.close();
  }
});

test('an action HL7 has no message for, or the reversal of a master-file update, is an EncodeError and sends nothing', async () => {
  const r = await receiver((m) => answer(m, 'AA'));
  const out = createMllpOutbound(destination(r.url));
  try {
    await assert.rejects(out.deliver(delivery('item.upsert', { item }), ctx),
      (err: Error) => err instanceof EncodeError && /ehr-items .*has no message for item\.upsert/.test(err.message));
    const reversal = delivery('reverse', {}, { reverses: 'd-0' });
    await assert.rejects(out.deliver(reversal, { ...ctx, reversed: { action: 'item.master', remoteRef: 'tdn-d-0', body: { item } } }),
      (err: Error) => err instanceof EncodeError && /master-file updates are not reversed.*the next update replaces them/.test(err.message));
    await assert.rejects(out.deliver(reversal, { ...ctx, reversed: { action: 'chargemaster.update', remoteRef: 'tdn-d-0', body: { charge: line } } }), EncodeError);
    await assert.rejects(out.deliver(reversal, ctx), /a reversal needs the delivery it reverses/);
    assert.equal(r.got.length, 0);
    const credit = await out.deliver(reversal, { ...ctx, reversed: { action: 'charge.post', remoteRef: 'tdn-d-0', body: charge } });
    assert.deepEqual([credit.outcome, field(r.got[0]!, 'FT1', 6)], ['success', 'CD'], 'a charge is still reversed by a credit');
  } finally {
    await out.close();
    await r.close();
  }
});
