import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import {
  buildAck,
  buildMessage,
  frame,
  hl7Time,
  MllpClient,
  MllpDeframer,
  mshSegment,
  parseMessage,
  parseMllpAddress,
  readErr,
  readMsa,
  readMsh,
  segment,
  startMllpServer,
  unescapeHl7,
  type MllpHandler,
} from './hl7.ts';

const msh = (controlId: string) =>
  mshSegment({ sendingApplication: 'APP', sendingFacility: 'FAC-A', time: '20261121091403-0500', messageType: ['DFT', 'P03', 'DFT_P03'], controlId });

test('segments escape every delimiter, and the reader gives the text back after splitting', () => {
  const tricky = 'Stent | 3.0^18 mm & sheath ~ \\ kit';
  const text = buildMessage([msh('C1'), segment('FT1', ['1', null, null, null, null, 'CG', null, tricky, null, 2, null, [['12.50', 'USD']]])]);
  assert.match(text, /\\F\\ 3\.0\\S\\18 mm \\T\\ sheath \\R\\ \\E\\ kit/);
  const ft1 = parseMessage(text).segment('FT1');
  assert.ok(ft1);
  assert.equal(ft1.get(8), tricky);
  assert.equal(ft1.get(10), '2');
  assert.equal(ft1.get(12, 1, 1), '12.50');
  assert.equal(ft1.get(12, 1, 2), 'USD');
  assert.equal(ft1.get(99), '');
  assert.equal(ft1.fields.length, 13, 'trailing empty fields are not written');
});

test('the reader splits fields, components, repetitions; takes LF or CRLF and the message own delimiters', () => {
  const text = 'MSH#*~\\!#EHR#FAC-B##X#20261121#\r\nPID#1##A1*^^*X!Y~MRN9****MR##\n\nZQD#SN1#L1#20281231';
  const m = parseMessage(text);
  assert.equal(m.delimiters.field, '#');
  const pid = m.segment('PID');
  assert.ok(pid);
  assert.equal(pid.repetitions(3), 2);
  assert.equal(pid.get(3, 1, 1, 0), 'A1');
  assert.equal(pid.get(3, 3, 2, 0), 'Y');
  assert.equal(pid.get(3, 2, 1, 0), '^^');
  assert.equal(pid.get(3, 5, 1, 1), 'MR');
  assert.equal(m.segments.length, 3);
  assert.equal(readMsh(m).sendingFacility, 'FAC-B');
  assert.equal(m.segment('MSH')?.get(1), '#');
  assert.throws(() => parseMessage('PID|1'), /does not start with MSH/);
  assert.equal(unescapeHl7('a\\X0D0A\\b\\.br\\c\\H\\d'), 'a\r\nb\nc' + 'd');
});

test('hl7Time keeps the local time and offset of an ISO instant', () => {
  assert.equal(hl7Time('2026-11-21T09:14:03.000-05:00'), '20261121091403-0500');
  assert.equal(hl7Time('2026-07-01T06:00:00Z'), '20260701060000+0000');
  assert.equal(hl7Time(Date.parse('2026-07-01T06:00:00Z')), '20260701060000+0000');
  assert.throws(() => hl7Time('2026-07-01'));
});

test('buildAck answers MSH-10 in MSA-2, swaps the applications and reads back with readMsa/readErr', () => {
  const inbound = readMsh(parseMessage(buildMessage([msh('CASE-1')])));
  const ack = parseMessage(
    buildAck(inbound, {
      code: 'AE', controlId: 'ACK-1', time: '20261121091500+0000', sendingApplication: 'BILLING', sendingFacility: 'B',
      text: 'account ENC-1-C is closed',
      error: { code: '207', codeText: 'Application internal error', location: ['PID', 1, 18], message: 'account ENC-1-C is closed' },
    }),
  );
  const head = readMsh(ack);
  assert.deepEqual([head.messageCode, head.triggerEvent, head.receivingApplication, head.receivingFacility, head.controlId], ['ACK', 'P03', 'APP', 'FAC-A', 'ACK-1']);
  assert.deepEqual(readMsa(ack), { code: 'AE', controlId: 'CASE-1', text: 'account ENC-1-C is closed' });
  assert.deepEqual(readErr(ack), {
    location: 'PID-1-18', code: '207', codeText: 'Application internal error', severity: 'E', message: 'account ENC-1-C is closed',
  });
});

test('the deframer cuts frames across chunks, ignores bytes outside frames and restarts on a stray VT', () => {
  const d = new MllpDeframer(64);
  const two = Buffer.concat([Buffer.from('noise'), frame('MSH|A'), frame('MSH|B')]);
  assert.deepEqual(d.push(two), ['MSH|A', 'MSH|B']);
  const f = frame('MSH|^~\\&|é');
  assert.deepEqual(d.push(f.subarray(0, 4)), []);
  assert.deepEqual(d.push(f.subarray(4, f.length - 2)), []);
  assert.deepEqual(d.push(f.subarray(f.length - 2)), ['MSH|^~\\&|é']);
  assert.deepEqual(d.push(Buffer.concat([Buffer.from([0x0b]), Buffer.from('half'), frame('MSH|C')])), ['MSH|C']);
  assert.throws(() => d.push(frame('x'.repeat(100))), /larger than 64 bytes/);
  assert.deepEqual(d.push(frame('MSH|D')), ['MSH|D'], 'usable after an oversized frame');
});

test('parseMllpAddress', () => {
  assert.deepEqual(parseMllpAddress('127.0.0.1:2575'), { host: '127.0.0.1', port: 2575 });
  assert.deepEqual(parseMllpAddress('mllp://localhost:2575'), { host: 'localhost', port: 2575 });
  assert.deepEqual(parseMllpAddress('[::1]:7'), { host: '::1', port: 7 });
  assert.throws(() => parseMllpAddress('localhost'), /HOST:PORT/);
});

/** A tiny server: answers each message per `plan` (AA, silence, a stray ACK first, a dropped connection). */
async function tinyServer(plan: (controlId: string, n: number) => 'aa' | 'silent' | 'stray-then-aa' | 'drop') {
  let n = 0;
  const seen: string[] = [];
  const handle: MllpHandler = (text, conn) => {
    const inbound = readMsh(parseMessage(text));
    seen.push(inbound.controlId);
    const ack = (controlId: string) =>
      buildAck({ ...inbound, controlId }, { code: 'AA', controlId: `A${n}`, time: '20261121000000+0000', sendingApplication: 'T', sendingFacility: 'T' });
    const action = plan(inbound.controlId, n++);
    if (action === 'silent') return undefined;
    if (action === 'drop') return void conn.destroy();
    if (action === 'stray-then-aa') return ack('SOMETHING-ELSE') + '\u001c\r\u000b' + ack(inbound.controlId); // two frames in one write
    return ack(inbound.controlId);
  };
  return { server: await startMllpServer({ handle }), seen };
}

test('MllpClient: sendAndWait matches the ACK by MSA-2 and ignores stray ACKs', async () => {
  const { server, seen } = await tinyServer((_, n) => (n === 0 ? 'stray-then-aa' : 'aa'));
  const client = new MllpClient({ host: '127.0.0.1', port: server.port });
  try {
    const ack = await client.sendAndWait(buildMessage([msh('M-1')]), 2000);
    assert.deepEqual([ack.code, ack.controlId], ['AA', 'M-1']);
    assert.equal((await client.sendAndWait(buildMessage([msh('M-2')]), 2000)).controlId, 'M-2');
    assert.deepEqual(seen, ['M-1', 'M-2']);
  } finally {
    client.close();
    await server.close();
  }
});

test('MllpClient: a timeout or a dropped connection rejects, and the next send reconnects', async () => {
  const { server, seen } = await tinyServer((_, n) => (n === 0 ? 'silent' : n === 1 ? 'drop' : 'aa'));
  const client = new MllpClient({ host: '127.0.0.1', port: server.port });
  try {
    const message = buildMessage([msh('M-9')]);
    await assert.rejects(client.sendAndWait(message, 100), /no ACK for M-9 within 100 ms/);
    await assert.rejects(client.sendAndWait(message, 2000), /connection .* lost/);
    assert.equal((await client.sendAndWait(message, 2000)).code, 'AA');
    assert.deepEqual(seen, ['M-9', 'M-9', 'M-9']);
    await assert.rejects(client.sendAndWait('PID|1', 100), /MSH/);
  } finally {
    client.close();
    await server.close();
  }
  // Nobody listening any more: a connection error, not a hang.
  await assert.rejects(new MllpClient({ host: '127.0.0.1', port: server.port }).sendAndWait(buildMessage([msh('M-10')]), 2000));
});

test('startMllpServer: accept() false drops connections; replies go back in order on one connection', async () => {
  let open = false;
  const server = await startMllpServer({ handle: (text) => `${text}!`, accept: () => open });
  try {
    const dropped = await new Promise<boolean>((resolve) => {
      const s = connect(server.port, '127.0.0.1');
      s.on('close', () => resolve(true));
      s.on('error', () => {});
    });
    assert.ok(dropped);
    open = true;
    assert.match(server.url, /^mllp:\/\/127\.0\.0\.1:\d+$/);
    const replies = await new Promise<string[]>((resolve) => {
      const s = connect(server.port, '127.0.0.1');
      const d = new MllpDeframer();
      const got: string[] = [];
      s.on('data', (chunk: Buffer) => {
        got.push(...d.push(chunk));
        if (got.length === 3) {
          s.destroy();
          resolve(got);
        }
      });
      s.write(Buffer.concat([frame('1'), frame('2'), frame('3')]));
    });
    assert.deepEqual(replies, ['1!', '2!', '3!']);
  } finally {
    await server.close();
  }
});
