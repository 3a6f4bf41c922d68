// The JetStream consumer against the real NATS server on 127.0.0.1:4222, on a stream unique to this run: the handler
// decides each message's fate, and order holds through a failed handler and through a stop.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { startJetStreamConsumer, type ConsumerOptions, type PulledMessage } from './consumer.ts';

const URL = 'nats://127.0.0.1:4222';
const STREAM = `TENDON_CONSUMER_${process.pid}_${randomBytes(4).toString('hex')}`;
let nc: NatsConnection;
let jsm: JetStreamManager;

before(async () => {
  nc = await connect({ servers: URL });
  jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: STREAM, subjects: [`${STREAM}.>`] });
});
after(async () => {
  await jsm.streams.delete(STREAM);
  await nc.close();
});

const options = (durable: string, subject: string): ConsumerOptions => ({
  url: URL, name: 'test', stream: STREAM, subjects: [`${STREAM}.${subject}`], durable,
  ackWaitMs: 60_000, maxDeliver: -1, batch: 10, retryDelayMs: 200,
});
const publish = async (subject: string, bodies: string[]) => {
  for (const b of bodies) await jetstream(nc).publish(`${STREAM}.${subject}`, b);
};
const until = async (what: string, done: () => boolean) => {
  for (const end = Date.now() + 20_000; !done(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
  }
};
const text = (m: PulledMessage) => Buffer.from(m.data).toString();

test('a failing handler hands its message back with the rest of its pull: they come again, in stream order', async () => {
  await publish('fail', ['m1', 'm2', 'm3', 'm4', 'm5']);
  const handled: string[] = [];
  const seen: string[] = [];
  const consumer = startJetStreamConsumer(options('fail', 'fail'), async (m) => {
    seen.push(`${text(m)}#${m.deliveries}`);
    if (text(m) === 'm2' && m.deliveries === 1) throw new Error('the store is unavailable');
    handled.push(text(m));
    return 'ack';
  }, () => {});
  await until('every message handled', () => handled.length === 5);
  await consumer.stop();
  assert.deepEqual(handled, ['m1', 'm2', 'm3', 'm4', 'm5']);
  assert.deepEqual(seen.slice(0, 3), ['m1#1', 'm2#1', 'm2#2'], 'm2 came again before m3');
  const info = await jsm.consumers.info(STREAM, 'fail');
  assert.equal(info.num_ack_pending + info.num_pending, 0);
});

test('a terminated message is never delivered again', async () => {
  await publish('term', ['bad', 'good']);
  const seen: string[] = [];
  const consumer = startJetStreamConsumer(options('term', 'term'), async (m) => {
    seen.push(text(m));
    return text(m) === 'bad' ? 'term' : 'ack';
  }, () => {});
  await until('both messages', () => seen.length === 2);
  await consumer.stop();
  const info = await jsm.consumers.info(STREAM, 'term');
  assert.equal(info.num_ack_pending + info.num_pending + info.num_redelivered, 0);
});

test('a stop finishes the message in hand and hands the rest back at once, not after the ack wait', async () => {
  await publish('stop', ['s1', 's2', 's3', 's4']);
  let release: () => void = () => {};
  const first: string[] = [];
  const one = startJetStreamConsumer(options('stop', 'stop'), async (m) => {
    first.push(text(m));
    await new Promise<void>((r) => (release = r)); // s1 is in hand when the stop comes
    return 'ack';
  }, () => {});
  await until('s1 in hand', () => first.length === 1);
  const stopped = one.stop();
  release();
  await stopped;
  assert.deepEqual(first, ['s1']);

  const second: string[] = [];
  const two = startJetStreamConsumer(options('stop', 'stop'), async (m) => (second.push(text(m)), 'ack'), () => {});
  await until('the rest, well within the 60 s ack wait', () => second.length === 3);
  await two.stop();
  assert.deepEqual(second, ['s2', 's3', 's4']);
});

test('a stream that does not exist yet is waited for, and read once it does', async () => {
  const late = `${STREAM}_LATE`;
  const problems: string[] = [];
  const seen: string[] = [];
  const consumer = startJetStreamConsumer({ ...options('late', 'x'), stream: late, subjects: [] }, async (m) => (seen.push(text(m)), 'ack'), (p) => problems.push(p));
  await until('the missing stream reported', () => problems.length > 0);
  assert.match(problems[0]!, new RegExp(`cannot pull from stream ${late}`));
  await jsm.streams.add({ name: late, subjects: [`${late}.>`] });
  try {
    await jetstream(nc).publish(`${late}.x`, 'first');
    await until('the message read', () => seen.length === 1);
  } finally {
    await consumer.stop();
    await jsm.streams.delete(late);
  }
});
