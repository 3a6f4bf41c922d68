// The MLLP part of the benchmark: ingest with durable commit and ACK over several connections, ACK latency at a
// fixed offered rate, and the raw MLLP echo rate (framing and ACK, no storage) of the same listener code.
import { MllpTestClient, field } from '../test/support/mllp-client.ts';
import { startMllpListener } from '../src/channels/mllp/inbound.ts';

export interface DftFixture {
  facility: string;
  location: string;
  item: string;
}

/** One supply use of an implant, with lot and serial, as a perioperative system sends it. */
export function dft(f: DftFixture, id: string): string {
  return [
    `MSH|^~\\&|OPTIME|${f.facility}|TENDON|NET|20261121091500-0500||DFT^P03|${id}|P|2.5.1`,
    `PID|1||MRN${id.slice(-8)}^^^H^MR||DOE^J||||||||||||ENC-${id}`,
    `PV1|1|O|${f.location}||||||||||||||||CASE-${id}`,
    `ZPA|${f.location}`,
    `FT1|1|||20261121091400-0500||CG|CDM|||1|||SURG||||||||||CASE-${id}||||||||||||${f.item}^^erp`,
    `ZQD|SN-${id}|LOT-${id}|20290131`,
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
