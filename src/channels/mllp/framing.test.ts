import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Deframer, frame, FS, CR, VT } from './framing.ts';

const frames = (d: Deframer, ...chunks: Buffer[]) => chunks.flatMap((c) => d.push(c));
const text = (x: { kind: string; payload?: Buffer }) => (x.kind === 'frame' ? x.payload!.toString() : x.kind);

test('frames are found whole, several in one chunk, and split at any byte', () => {
  const wire = Buffer.concat([frame('MSH|1'), frame('MSH|2'), frame('MSH|3')]);
  assert.deepEqual(frames(new Deframer(1000), wire).map(text), ['MSH|1', 'MSH|2', 'MSH|3']);
  for (let cut = 1; cut < wire.length; cut++) {
    const d = new Deframer(1000);
    assert.deepEqual(frames(d, wire.subarray(0, cut), wire.subarray(cut)).map(text), ['MSH|1', 'MSH|2', 'MSH|3'], `cut at ${cut}`);
  }
});

test('byte by byte, including the FS/CR end marker split across chunks', () => {
  const wire = frame('MSH|^~\\&|A');
  const d = new Deframer(1000);
  const got = [...wire].flatMap((b) => d.push(Buffer.from([b])));
  assert.deepEqual(got.map(text), ['MSH|^~\\&|A']);
});

test('an FS not followed by CR is data, not the end', () => {
  const d = new Deframer(1000);
  const wire = Buffer.from([VT, 0x41, FS, 0x42, FS, CR]);
  assert.deepEqual(frames(d, wire).map((f) => (f.kind === 'frame' ? [...f.payload] : f.kind)), [[0x41, FS, 0x42]]);
});

test('bytes outside a frame are reported as garbage and dropped', () => {
  const d = new Deframer(1000);
  const got = frames(d, Buffer.concat([Buffer.from('hello'), frame('MSH|1')]));
  assert.deepEqual(got.map((f) => (f.kind === 'garbage' ? `garbage ${f.bytes}` : text(f))), ['garbage 5', 'MSH|1']);
});

test('an oversized frame is reported once and skipped to its end; the next frame still comes through', () => {
  const d = new Deframer(10);
  const big = frame('X'.repeat(50));
  const got = frames(d, big.subarray(0, 20), big.subarray(20), frame('MSH|ok'));
  assert.deepEqual(got.map((f) => (f.kind === 'oversized' ? `oversized ${f.bytes}` : text(f))), ['oversized 50', 'MSH|ok']);
  assert.equal(d.midFrame, false);
});

test('a frame that has started and not ended is visible as mid-frame (a slow or stuck sender)', () => {
  const d = new Deframer(100);
  d.push(Buffer.from([VT, 0x41]));
  assert.equal(d.midFrame, true);
});
