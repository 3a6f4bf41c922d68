// The MLLP part of the benchmark: ingest with durable commit and ACK over several connections, ACK latency at a
// fixed offered rate, and the raw MLLP echo rate (framing and ACK, no storage) of the same listener code.
import { MllpTestClient, field } from '../test/support/mllp-client.ts';
import { startMllpListener } from '../src/channels/mllp/inbound.ts';

export interface DftFixture {
  facility: string;
  location: string;
  item: string;
}

/** A segment from its fields by number (HL7 counts from 1 after the name): no pipes to count by hand. */
function segment(name: string, fields: Record<number, string>): string {
  const last = Math.max(...Object.keys(fields).map(Number));
  return [name, ...Array.from({ length: last }, (_, i) => fields[i + 1] ?? '')].join('|');
}

/**
 * One use of a chargeable implant, with lot and serial, patient and account, as a perioperative system sends it:
 * accepted, so its commit holds the message, the event, its deliveries (ERP, inventory, billing) and the stock move.
 */
export function dft(f: DftFixture, id: string): string {
  return [
    `MSH|^~\\&|OPTIME|${f.facility}|TENDON|NET|20261121091500-0500||DFT^P03|${id}|P|2.5.1`,
    segment('PID', { 1: '1', 3: `MRN${id.slice(-8)}^^^H^MR`, 5: 'DOE^J', 18: `ENC-${id}` }),
    segment('PV1', { 1: '1', 2: 'O', 3: f.location, 19: `CASE-${id}` }),
    segment('ZPA', { 1: f.location }),
    segment('FT1', { 1: '1', 4: '20261121091400-0500', 6: 'CG', 7: 'CDM', 10: '1', 13: 'SURG', 23: `CASE-${id}`, 34: `${f.item}^^erp` }),
    segment('ZQD', { 1: `SN-${id}`, 2: `LOT-${id}`, 3: '20290131' }),
  ].join('\r');
}

/**
 * `connections` senders with up to `window` messages each awaiting an ACK (1: the classic send-and-wait sender;
 * more: a sender that streams and reads ACKs as they come): messages per second acknowledged.
 */
export async function mllpIngest(port: number, f: DftFixture, total: number, connections: number, tag: string, window = 1): Promise<number> {
  const clients = await Promise.all(Array.from({ length: connections }, () => MllpTestClient.connect(port)));
  let next = 0;
  const started = performance.now();
  await Promise.all(clients.map(async (c) => {
    let inFlight = 0;
    while (next < total || inFlight > 0) {
      while (inFlight < window && next < total) {
        c.send(dft(f, `${tag}-${next++}`));
        inFlight++;
      }
      const ack = await c.next();
      inFlight--;
      if (field(ack, 'MSA', 1) !== 'AA') throw new Error(`not accepted: ${ack}`);
    }
  }));
  const rate = total / ((performance.now() - started) / 1000);
  clients.forEach((c) => c.close());
  return rate;
}

/** Offered `rate` messages/s spread over `connections` for `seconds`: the ACK latency of each, sorted (ms). */
export async function mllpLatency(port: number, f: DftFixture, rate: number, seconds: number, connections: number, tag: string): Promise<number[]> {
  const clients = await Promise.all(Array.from({ length: connections }, () => MllpTestClient.connect(port)));
  const perConnection = rate / connections;
  const latencies: number[] = [];
  const start = performance.now();
  await Promise.all(clients.map(async (c, k) => {
    for (let i = 0; i < perConnection * seconds; i++) {
      const due = start + (i / perConnection) * 1000 + (k * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const sent = performance.now();
      await c.request(dft(f, `${tag}-${k}-${i}`));
      latencies.push(performance.now() - sent);
    }
  }));
  clients.forEach((c) => c.close());
  return latencies.sort((a, b) => a - b);
}

/** The same listener code answering a fixed ACK without decoding or storing: the framing-and-ACK ceiling. */
export async function rawMllpEcho(total: number, connections: number): Promise<number> {
  const ack = 'MSH|^~\\&|TENDON||OPTIME||20261121091500||ACK^P03^ACK|1|P|2.5.1\rMSA|AA|1\r';
  const listener = await startMllpListener(
    { host: '127.0.0.1', port: 0, maxFrameBytes: 1 << 20, stalledFrameMs: 30_000, idleMs: 60_000 },
    { message: async () => [ack], oversized: () => [ack] },
  );
  const clients = await Promise.all(Array.from({ length: connections }, () => MllpTestClient.connect(listener.port)));
  const message = dft({ facility: 'F', location: 'L', item: 'I' }, 'echo');
  let sent = 0;
  const started = performance.now();
  await Promise.all(clients.map(async (c) => {
    while (sent++ < total) await c.request(message);
  }));
  const rate = total / ((performance.now() - started) / 1000);
  clients.forEach((c) => c.close());
  await listener.close();
  return rate;
}
