import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { buildAck, hl7Time, parseMessage, readMsh, startMllpServer, type Hl7Segment } from '../common/hl7.ts';
import { buildNetwork } from '../network/build.ts';
import { caseToDft, splitForHl7, type DftCase } from './dft.ts';
import type { CanonicalEvent } from './events.ts';
import { createTrafficState, nextBatch } from './generator.ts';
import { runTraffic } from './poster.ts';

const network = buildNetwork(31);
const NOW = Date.parse('2026-11-21T14:00:00Z');
const items = new Map(network.master.items.map((i) => [i.id, i]));
const cdm = new Map(network.master.chargemaster.map((c) => [c.itemId, c.chargeCode]));

/** Scenarios of the generator, each split the way the MLLP sender splits it. */
function scenarios(n: number, badRate: number) {
  const state = createTrafficState({ seed: 31, network, badRate, now: () => NOW });
  return Array.from({ length: n }, () => {
    const events = nextBatch(state);
    return { events, ...splitForHl7(events, network) };
  });
}

/** The FT1 segments of a message, each with the segments of its group (up to the next FT1). */
function lines(segments: Hl7Segment[]) {
  const starts = segments.flatMap((s, i) => (s.name === 'FT1' ? [i] : []));
  return starts.map((start, k) => ({ ft1: segments[start] as Hl7Segment, group: segments.slice(start + 1, starts[k + 1] ?? segments.length) }));
}

test('caseToDft: one DFT^P03 per case, every ehr-optime use one FT1, read back field by field', () => {
  let checked = 0;
  for (const s of scenarios(400, 0)) {
    assert.ok(s.json.every((e) => e.source.system !== 'ehr-optime'), 'no EHR event left for JSON');
    const uses = s.events.filter((e) => e.source.system === 'ehr-optime' && e.type === 'supply.used');
    const dfts = s.cases.filter((c) => !c.controlId.includes('-R'));
    if (uses.length === 0) continue;
    assert.equal(dfts.length, 1);
    const c = dfts[0] as DftCase;
    const first = uses[0] as CanonicalEvent;
    const m = parseMessage(caseToDft(c));
    const msh = readMsh(m);
    assert.deepEqual(
      [msh.sendingApplication, msh.sendingFacility, msh.messageCode, msh.triggerEvent, msh.structure, msh.controlId],
      ['OPTIME', first.facility, 'DFT', 'P03', 'DFT_P03', first.correlationId],
    );
    const p = first.payload as Record<string, any>;
    const pid = m.segment('PID') as Hl7Segment;
    assert.deepEqual([pid.get(3, 1), pid.get(3, 4), pid.get(3, 5), pid.get(18)], [p.patient.identifier, 'HOSP', 'MR', p.encounter]);
    assert.equal(m.segment('PV1')?.get(19), p.caseId);
    const firstFt1 = m.segments.findIndex((x) => x.name === 'FT1');
    assert.deepEqual(m.segments.slice(0, firstFt1).filter((x) => x.name === 'ZPA').map((x) => x.get(1)), [p.location]);
    const read = lines(m.segments);
    assert.equal(read.length, uses.length);
    read.forEach(({ ft1, group }, i) => {
      const e = uses[i] as CanonicalEvent;
      const q = e.payload as Record<string, any>;
      const item = items.get(q.item.code);
      assert.equal(ft1.get(1), String(i + 1));
      assert.equal(ft1.get(4), hl7Time(e.occurredAt));
      assert.match(ft1.get(4), /^\d{14}[+-]\d{4}$/);
      assert.equal(ft1.get(6), 'CG');
      assert.equal(ft1.get(7), cdm.get(q.item.code) ?? '');
      assert.equal(Number(ft1.get(10)), q.quantity.value);
      const surgeon = `${ft1.get(20, 3)} ${ft1.get(20, 2)}`;
      assert.equal(ft1.get(20, 1), q.surgeon.id);
      assert.equal(`Dr ${surgeon}`, q.surgeon.name);
      assert.equal(ft1.get(23), q.caseId);
      assert.equal(ft1.get(25), q.procedureCode);
      assert.deepEqual([ft1.get(34, 1), ft1.get(34, 2), ft1.get(34, 3)], [q.item.code, item?.description, 'erp']);
      const zqd = group.find((x) => x.name === 'ZQD');
      if (item?.implant) assert.ok(zqd, 'a ZQD after every implant');
      if (zqd) assert.deepEqual([zqd.get(1), zqd.get(2), zqd.get(3)], [q.serial ?? '', q.lot ?? '', (q.expiry ?? '').replaceAll('-', '')]);
      assert.ok(!group.some((x) => x.name === 'ZPA'), 'good lines share the case location');
      checked++;
    });
  }
  assert.ok(checked > 200, `checked ${checked} lines`);
});

test('bad data reaches the DFT: unknown item, implant without lot, a line at an unknown location', () => {
  const seen = { unknownItem: 0, noLot: 0, elsewhere: 0 };
  for (const s of scenarios(600, 0.3)) {
    for (const c of s.cases) {
      for (const { ft1, group } of lines(parseMessage(caseToDft(c)).segments)) {
        const item = items.get(ft1.get(34));
        if (!item) {
          seen.unknownItem++;
          assert.match(ft1.get(34), /^ITM-9\d{4}$/);
          assert.equal(ft1.get(7), '', 'an unknown item has no charge code');
        }
        const zqd = group.find((x) => x.name === 'ZQD');
        if (item?.implant && zqd?.get(2) === '') {
          seen.noLot++;
          assert.equal(zqd.get(1), '');
        }
        const zpa = group.find((x) => x.name === 'ZPA');
        if (zpa) {
          seen.elsewhere++;
          assert.match(zpa.get(1), /-ZZ\d{2}$/);
        }
      }
    }
  }
  assert.ok(seen.unknownItem > 0 && seen.noLot > 0 && seen.elsewhere > 0, JSON.stringify(seen));
});

test('a return of a documented use is its own DFT: one CD line, control id <case>-R<line>, reason in FT1-8', () => {
  const returns = scenarios(1500, 0).flatMap((s) => s.cases.filter((c) => c.controlId.includes('-R')).map((c) => ({ c, s })));
  assert.ok(returns.length > 0);
  for (const { c, s } of returns) {
    const event = s.events[0] as CanonicalEvent;
    assert.equal(event.type, 'supply.returned');
    const m = parseMessage(caseToDft(c));
    assert.equal(readMsh(m).controlId, `${event.correlationId}-R${/:(\d+):return$/.exec(event.idempotencyKey)?.[1]}`);
    const [line] = lines(m.segments);
    assert.equal(line?.ft1.get(6), 'CD');
    assert.equal(line?.ft1.get(8), event.payload.reason);
  }
});

test('caseToDft writes exactly this (the README example)', () => {
  const c: DftCase = {
    controlId: 'CASE-000123', facility: 'FAC-A', caseId: 'CASE-000123', mrn: 'MRN00012345', encounter: 'ENC-7781234',
    procedureCode: '27447', surgeon: { npi: 'NPI1683715576', family: 'Gerhold', given: 'Louis' }, location: 'LOC-A-OR1',
    lines: [
      { transactionType: 'CG', occurredAt: '2026-11-21T09:14:03.000-05:00', itemId: 'ITM-00001', description: 'Total Knee Femoral Component, Size 3 & 4',
        chargeCode: 'CDM27800001', quantity: 1, location: 'LOC-A-OR1', lot: 'L2406A', serial: 'SN12345678', expiry: '2028-11-30', implant: true, reason: null },
      { transactionType: 'CG', occurredAt: '2026-11-21T09:20:41.000-05:00', itemId: 'ITM-00120', description: 'Suture Kit',
        chargeCode: null, quantity: 2, location: 'LOC-A-ZZ07', lot: 'L2503C', serial: null, expiry: null, implant: false, reason: null },
    ],
  };
  assert.equal(
    caseToDft(c),
    [
      'MSH|^~\\&|OPTIME|FAC-A|TENDON|TENDON|20261121092041-0500||DFT^P03^DFT_P03|CASE-000123|P|2.5.1',
      'EVN|P03|20261121092041-0500',
      'PID|1||MRN00012345^^^HOSP^MR|||||||||||||||ENC-7781234',
      'PV1|1|O|LOC-A-OR1^^^FAC-A||||||||||||||||CASE-000123',
      'ZPA|LOC-A-OR1',
      'FT1|1|||20261121091403-0500||CG|CDM27800001|||1||||||||||NPI1683715576^Gerhold^Louis|||CASE-000123||27447|||||||||ITM-00001^Total Knee Femoral Component, Size 3 \\T\\ 4^erp',
      'ZQD|SN12345678|L2406A|20281130',
      'FT1|2|||20261121092041-0500||CG||||2||||||||||NPI1683715576^Gerhold^Louis|||CASE-000123||27447|||||||||ITM-00120^Suture Kit^erp',
      'ZQD||L2503C',
      'ZPA|LOC-A-ZZ07',
      '',
    ].join('\r'),
  );
});

test('over MLLP: every case is sent until acknowledged, with the same MSH-10; AE is logged, not resent', async () => {
  // The hub's JSON API, taking everything.
  const json: CanonicalEvent[] = [];
  const hub = Fastify({ logger: false });
  hub.post('/v1/events', async (req, reply) => {
    const events = req.body as CanonicalEvent[];
    json.push(...events);
    return reply.code(202).send({ results: events.map((e, i) => ({ id: `e${json.length}-${i}`, correlationId: e.correlationId ?? null, duplicate: false })) });
  });
  await hub.listen({ host: '127.0.0.1', port: 0 });
  // The hub's MLLP listener: drops the first connection, stays silent once, refuses the third case.
  const received: { controlId: string; text: string }[] = [];
  const answered = new Map<string, string>();
  let n = 0;
  const listener = await startMllpServer({
    handle: (text, conn) => {
      const msh = readMsh(parseMessage(text));
      received.push({ controlId: msh.controlId, text });
      const step = n++;
      if (step === 0) return void conn.destroy();
      if (step === 2) return undefined;
      const code = answered.size === 2 && !answered.has(msh.controlId) ? 'AE' : (answered.get(msh.controlId) ?? 'AA');
      answered.set(msh.controlId, code as string);
      return buildAck(msh, {
        code: code as 'AA' | 'AE', controlId: `ACK${step}`, time: '20261121000000+0000', sendingApplication: 'TENDON', sendingFacility: 'T',
        ...(code === 'AE' ? { error: { code: '101', codeText: 'Required field missing', message: 'no item' } } : {}),
      });
    },
  });
  const logs: string[] = [];
  try {
    const { port } = hub.server.address() as { port: number };
    const stats = await runTraffic({
      hubUrl: `http://127.0.0.1:${port}`, token: 't', seed: 31, network, rate: 2000, count: 80, skipCounts: true,
      mllp: `127.0.0.1:${listener.port}`, ackTimeoutMs: 150, log: (l) => logs.push(l),
    });
    assert.equal(json.filter((e) => e.source.system === 'ehr-optime').length, 0, 'EHR cases go over MLLP only');
    assert.ok(json.some((e) => e.source.system === 'cabinet-omnicell'), 'cabinets stay JSON');
    // Nothing dropped: every generated event went out one way or the other.
    assert.equal(stats.posted + stats.hl7.lines, stats.generator.events);
    assert.equal(stats.hl7.messages, answered.size);
    assert.equal(stats.hl7.refused, 1);
    assert.ok(stats.hl7.retries >= 2, `retries ${stats.hl7.retries}`);
    assert.ok(logs.some((l) => /refused HL7 .* \(AE\): no item/.test(l)));
    // The dropped and the unanswered message were re-sent as they were, same MSH-10, until answered.
    const [a1, a2, b1, b2, c1] = received;
    assert.ok(a1 && a2 && b1 && b2 && c1);
    assert.deepEqual([a2.controlId, a2.text], [a1.controlId, a1.text]);
    assert.deepEqual([b2.controlId, b2.text], [b1.controlId, b1.text]);
    assert.notEqual(a1.controlId, b1.controlId);
    assert.equal(answered.get(c1.controlId), 'AE');
    // Apart from those resends, each case went once; a refused one was not resent.
    assert.equal(new Set(received.map((r) => r.controlId)).size, answered.size);
    assert.equal(received.length, answered.size + stats.hl7.retries);
  } finally {
    await listener.close();
    await hub.close();
  }
});
