// Test support for NATS JetStream: the real server on 127.0.0.1:4222, streams with names unique to this test run
// (test files run in parallel against the one server), and a view of what the hub answers on the wire: every ack,
// nak and term a consumer sends goes to a `$JS.ACK.…` subject, and a plain subscriber sees it too.
import { randomBytes } from 'node:crypto';
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager, type StoredMsg } from '@nats-io/jetstream';
import { waitFor } from './hub.ts';

export const NATS_URL = 'nats://127.0.0.1:4222';

/** A stream or subject name no other test run uses: `<prefix>_<pid>_<random>`. */
export const uniqueName = (prefix: string): string => `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;

/** What a consumer answered for one message: `+ACK`, `+TERM`, `-NAK …` (the first word of the ack message). */
export type WireAnswer = '+ACK' | '+TERM' | '-NAK' | '+WPI' | string;

export interface NatsPeer {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** Creates a stream taking `<subjectRoot>.>`; it is deleted by close(). */
  stream(name: string, subjectRoot: string, duplicateWindowMs?: number): Promise<void>;
  /** Every message of a stream, in order. */
  messages(stream: string): Promise<StoredMsg[]>;
  /** Publishes, and resolves with the consumer's first answer to that message. */
  publishAndAnswer(stream: string, durable: string, subject: string, body: string, timeoutMs?: number): Promise<WireAnswer>;
  /** Every answer seen so far from a consumer, by stream sequence (in the order they were seen). */
  answers(stream: string, durable: string): Map<number, WireAnswer[]>;
  close(): Promise<void>;
}

export async function natsPeer(): Promise<NatsPeer> {
  const nc = await connect({ servers: NATS_URL });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const made: string[] = [];
  const seen = new Map<string, Map<number, WireAnswer[]>>(); // "stream/consumer" → seq → answers
  const acks: Subscription = nc.subscribe('$JS.ACK.>', {
    callback: (_error, m) => {
      const a = parseAckSubject(m.subject);
      if (!a) return;
      const key = `${a.stream}/${a.consumer}`;
      if (!seen.has(key)) seen.set(key, new Map());
      const bySeq = seen.get(key)!;
      bySeq.set(a.seq, [...(bySeq.get(a.seq) ?? []), m.string().split(' ')[0]!]);
    },
  });
  await nc.flush(); // the subscription is in place before anything is published

  const answers = (stream: string, durable: string) => seen.get(`${stream}/${durable}`) ?? new Map<number, WireAnswer[]>();
  return {
    nc, js, jsm, answers,
    async stream(name, subjectRoot, duplicateWindowMs = 120_000) {
      await jsm.streams.add({ name, subjects: [`${subjectRoot}.>`], duplicate_window: duplicateWindowMs * 1_000_000 });
      made.push(name);
    },
    async messages(stream) {
      const { state } = await jsm.streams.info(stream);
      const out: StoredMsg[] = [];
      for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
        const m = await jsm.streams.getMessage(stream, { seq });
        if (m) out.push(m);
      }
      return out;
    },
    async publishAndAnswer(stream, durable, subject, body, timeoutMs = 30_000) {
      const { seq } = await js.publish(subject, body);
      return waitFor(`an answer to stream sequence ${seq}`, async () => answers(stream, durable).get(seq)?.[0], timeoutMs, 20);
    },
    async close() {
      acks.unsubscribe();
      for (const name of made) await jsm.streams.delete(name).catch(() => {});
      await nc.close();
    },
  };
}

/**
 * `$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<time>.<pending>` (NATS before 2.10), or the
 * newer form with a domain and an account hash after `$JS.ACK` and a random token at the end.
 */
function parseAckSubject(subject: string): { stream: string; consumer: string; seq: number } | null {
  const t = subject.split('.');
  if (t.length === 9) return { stream: t[2]!, consumer: t[3]!, seq: Number(t[5]) };
  if (t.length >= 11) return { stream: t[4]!, consumer: t[5]!, seq: Number(t[7]) };
  return null;
}

/** A TCP proxy to a local port that the test can cut (listener closed, connections dropped) and restore on the same port. */
export function tcpProxy(targetPort: number) {
  let server: Server | null = null;
  let port = 0;
  const sockets = new Set<Socket>();
  return {
    get port() {
      return port;
    },
    async open() {
      server = createServer((client) => {
        const upstream = tcpConnect(targetPort, '127.0.0.1');
        const drop = () => (client.destroy(), upstream.destroy());
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', drop).on('close', () => (sockets.delete(s), drop()));
        }
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    },
    async cut() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
      server = null;
    },
    restore() {
      return this.open();
    },
  };
}
