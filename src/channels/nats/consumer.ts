// The JetStream consumer: a durable pull consumer with explicit acks, read one message at a time in stream order.
// The handler decides each message's fate, and the consumer tells the server only then:
//  - 'ack'  → acknowledged, and the server's confirmation awaited (a lost ack only means a redelivery);
//  - 'term' → never delivered again (input that can never be read);
//  - the handler throws → handed back with a delay (nak), together with the rest of its batch, and nothing more is
//    pulled during that delay: the server sends the handed-back messages first, so they keep their order.
// A message is in the hands of one handler at a time, so order holds across every subject the consumer reads. A
// stop hands back what it pulled but did not handle, so the next start reads it first; only a message whose ack
// wait ran out (the process died holding it) comes again after messages already read.
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type Consumer, type ConsumerConfig, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { natsConnector } from './connection.ts';

export interface ConsumerOptions {
  url: string;
  name: string;
  stream: string;
  /** Filter subjects (wildcards allowed); empty: every subject of the stream. More than one needs NATS 2.10+. */
  subjects: string[];
  durable: string;
  ackWaitMs: number;
  /** Deliveries of one message before the server gives up on it; -1: no limit. */
  maxDeliver: number;
  batch: number;
  /** How long a message whose handler failed waits before it is delivered again. */
  retryDelayMs: number;
}

export interface PulledMessage {
  subject: string;
  /** The message's sequence number in the stream. */
  seq: number;
  data: Uint8Array;
  /** The publisher's `Nats-Msg-Id`, when it set one. */
  msgId: string | null;
  /** 1 on the first delivery. */
  deliveries: number;
}

export type Handler = (message: PulledMessage) => Promise<'ack' | 'term'>;

export interface JetStreamConsumer {
  /** Stops pulling: the message in hand is finished (and acked), the rest of the pull handed back, then it closes. */
  stop(): Promise<void>;
}

/**
 * How long one pull waits for messages (1 s is the least NATS takes), and so how long a stop waits. A pull is never
 * cut short: a message the server sends while the client is leaving would be lost to it until its ack wait runs out,
 * then come after later ones. Letting the pull run out means every message sent is either handled or handed back.
 */
const PULL_WAIT_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

export function startJetStreamConsumer(
  options: ConsumerOptions, handler: Handler, report: (problem: string, error?: Error) => void,
): JetStreamConsumer {
  const connector = natsConnector({ url: options.url, name: options.name, timeoutMs: 10_000 });
  let known: { nc: NatsConnection; consumer: Consumer } | null = null; // made sure of; forgotten after any failure
  let stopping = false;
  let pull: ConsumerMessages | null = null;
  let wake: (() => void) | null = null;
  const pause = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => { clearTimeout(timer); resolve(); };
  });

  async function consumerOn(nc: NatsConnection): Promise<Consumer> {
    if (known?.nc !== nc) {
      // Adding a durable consumer that exists updates what may change (ack wait, max deliver); the server refuses
      // other changes (a new filter on NATS 2.9), and that refusal is reported until an operator resolves it.
      await (await jetstreamManager(nc)).consumers.add(options.stream, consumerConfig(options));
      known = { nc, consumer: await jetstream(nc).consumers.get(options.stream, options.durable) };
    }
    return known.consumer;
  }

  async function pullOnce(): Promise<void> {
    const nc = await connector.get();
    const messages = await (await consumerOn(nc)).fetch({ max_messages: options.batch, expires: PULL_WAIT_MS });
    let failed = false;
    const rest: JsMsg[] = [];
    pull = messages;
    for await (const m of messages) {
      if (stopping || failed) {
        rest.push(m);
        continue;
      }
      try {
        const verdict = await handler(pulled(m));
        if (verdict === 'term') m.term(); // no reason text: NATS before 2.10 takes "+TERM <reason>" for no ack at all
        else if (!(await m.ackAck().catch(() => false))) report(`ack of message ${m.seq} not confirmed; it may come again (no second effect)`);
      } catch (error) {
        report(`message ${m.seq} on ${m.subject} failed; it comes again in ${options.retryDelayMs} ms`, error as Error);
        failed = true;
        rest.push(m);
      }
    }
    pull = null;
    // Handed back: at once when stopping (the next pull, here or in the next hub, takes them); after the retry delay
    // when a handler failed, with nothing pulled meanwhile, so the server sends them again first and in order.
    for (const m of rest) m.nak(failed ? options.retryDelayMs : undefined);
    if (failed && !stopping) await pause(options.retryDelayMs);
  }

  const running = (async () => {
    let failures = 0;
    while (!stopping) {
      try {
        await pullOnce();
        failures = 0;
      } catch (error) {
        if (stopping) break;
        known = null; // the consumer or the stream may be gone: make sure of them again
        failures++;
        report(`cannot pull from stream ${options.stream} (consumer ${options.durable}); trying again`, error as Error);
        await pause(Math.min(1000 * 2 ** (failures - 1), MAX_BACKOFF_MS));
      }
    }
  })();

  return {
    async stop() {
      stopping = true;
      wake?.();
      // A pull runs out by itself while NATS answers. While NATS is out of reach it waits for the reconnection, and
      // nothing can arrive on it: then it is ended here.
      let timer: NodeJS.Timeout | undefined;
      const ranOut = await Promise.race([running.then(() => true), new Promise<false>((r) => (timer = setTimeout(r, 3 * PULL_WAIT_MS, false)))]);
      clearTimeout(timer);
      if (!ranOut) pull?.stop();
      await running;
      await connector.close();
    },
  };
}

function consumerConfig(o: ConsumerOptions): Partial<ConsumerConfig> {
  return {
    durable_name: o.durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(o.ackWaitMs), max_deliver: o.maxDeliver,
    ...(o.subjects.length === 1 ? { filter_subject: o.subjects[0] } : o.subjects.length > 1 ? { filter_subjects: o.subjects } : {}),
  };
}

function pulled(m: JsMsg): PulledMessage {
  return { subject: m.subject, seq: m.seq, data: m.data, msgId: m.headers?.get('Nats-Msg-Id') || null, deliveries: m.info.deliveryCount };
}
