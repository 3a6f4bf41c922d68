// The folder transport on a real temporary folder: when a file counts as complete, where it goes, and that a
// file never leaves the inbox before its handler resolved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderWatch } from '../../config/schema.ts';
import { startFolderWatcher, type FolderHandlers, type FolderOutcome } from './watcher.ts';
import { writeFileAtomic } from './files.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, probe: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function setup(over: Record<string, unknown> = {}, decide: (name: string, bytes: Buffer) => FolderOutcome | Promise<FolderOutcome> = () => ({ result: 'success' })) {
  const path = join(mkdtempSync(join(tmpdir(), 'tendon-folder-')), 'inbox');
  const seen: { name: string; text: string }[] = [];
  const failures: string[] = [];
  const handlers: FolderHandlers = {
    async file({ name, bytes }) {
      seen.push({ name, text: bytes.toString() });
      return decide(name, bytes);
    },
    async oversized({ name, size }) {
      seen.push({ name, text: `oversized ${size}` });
      return { result: 'error', report: { suffix: '.why.txt', content: `too big: ${size}` } };
    },
    failed: (error, name) => failures.push(`${name}: ${error.message}`),
  };
  const options = FolderWatch.parse({ path, stableMs: 150, pollMs: 20, ...over });
  return { path, seen, failures, start: () => startFolderWatcher(options, handlers) };
}
const ls = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);

test('a complete file is handed over whole and archived; files being written and temp names are left alone', async () => {
  const { path, seen, start } = setup({ stableMs: 500 });
  const watcher = await start();
  try {
    writeFileSync(join(path, '.hidden.csv'), 'x');
    writeFileSync(join(path, 'upload.csv.part'), 'x');
    writeFileSync(join(path, 'upload.tmp'), 'x');
    writeFileSync(join(path, 'growing.csv'), 'line 1\n');
    for (let i = 2; i <= 8; i++) { // it keeps growing for longer than stableMs
      await sleep(50);
      assert.deepEqual(seen, [], 'nothing is taken while the file still changes');
      appendFileSync(join(path, 'growing.csv'), `line ${i}\n`);
    }
    await until('the file to be taken', () => seen.length === 1);
    await until('the file to be archived', () => ls(join(path, 'archive')).length === 1);
    assert.equal(seen[0]!.text.split('\n').length, 9, 'all eight lines');
    assert.deepEqual(ls(path), ['.hidden.csv', 'archive', 'error', 'upload.csv.part', 'upload.tmp']);
  } finally {
    await watcher.close();
  }
});

test('done-marker mode: taken only once NAME.done exists; the marker goes with it', async () => {
  const { path, seen, start } = setup({ completeWhen: 'done-marker' });
  const watcher = await start();
  try {
    writeFileSync(join(path, 'counts.csv'), 'a,b\n');
    await sleep(400); // long past stableMs: stability alone does not count in this mode
    assert.deepEqual(seen, []);
    writeFileSync(join(path, 'counts.csv.done'), '');
    await until('the file to be archived', () => ls(join(path, 'archive')).length === 1);
    await until('the marker to go', () => !existsSync(join(path, 'counts.csv.done')));
    writeFileSync(join(path, 'left-by-a-crash.csv.done'), ''); // a marker whose file was already moved
    await until('the orphan marker to go', () => !existsSync(join(path, 'left-by-a-crash.csv.done')));
  } finally {
    await watcher.close();
  }
});

test('outcomes: partial is archived with its report; error goes to the error folder with it; a reused name never overwrites', async () => {
  const outcome = (name: string): FolderOutcome =>
    name.startsWith('bad') ? { result: 'error', report: { suffix: '.errors.csv', content: 'why' } }
      : name.startsWith('mixed') ? { result: 'partial', report: { suffix: '.errors.csv', content: 'rows' } } : { result: 'success' };
  const { path, start } = setup({ stableMs: 0 }, (name) => outcome(name));
  const watcher = await start();
  try {
    for (const [name, text] of [['mixed.csv', '1'], ['bad.csv', '2'], ['dispense.csv', 'first'], ['mixed.csv', '3'], ['dispense.csv', 'second']]) {
      await writeFileAtomic(path, name!, text!);
      await until(`${name} to be taken`, () => !existsSync(join(path, name!)));
    }
    assert.deepEqual(ls(join(path, 'archive')), ['dispense.1.csv', 'dispense.csv', 'mixed.1.csv', 'mixed.csv']);
    assert.deepEqual(ls(join(path, 'error')), ['bad.csv', 'bad.csv.errors.csv', 'mixed.1.csv.errors.csv', 'mixed.csv.errors.csv']);
    assert.equal(readFileSync(join(path, 'archive', 'dispense.1.csv'), 'utf8'), 'second');
    assert.equal(readFileSync(join(path, 'error', 'bad.csv.errors.csv'), 'utf8'), 'why');
  } finally {
    await watcher.close();
  }
});

test('a handler that fails leaves the file in the inbox, and it is tried again until it succeeds', async () => {
  let failuresLeft = 3;
  const { path, seen, failures, start } = setup({ stableMs: 0 }, () => {
    if (failuresLeft-- > 0) throw new Error('store unavailable');
    return { result: 'success' };
  });
  const watcher = await start();
  try {
    writeFileSync(join(path, 'usage.csv'), 'x');
    await until('the file to be archived', () => ls(join(path, 'archive')).length === 1);
    assert.equal(seen.length, 4);
    assert.deepEqual(failures, Array(3).fill('usage.csv: store unavailable'));
  } finally {
    await watcher.close();
  }
});

test('a file over maxFileBytes is not read; it goes to the error folder with the report', async () => {
  const { path, seen, start } = setup({ stableMs: 0, maxFileBytes: 1024 });
  const watcher = await start();
  try {
    writeFileSync(join(path, 'huge.csv'), 'x'.repeat(2048));
    await until('the file to be refused', () => ls(join(path, 'error')).length === 2);
    assert.deepEqual(seen, [{ name: 'huge.csv', text: 'oversized 2048' }]);
    assert.equal(readFileSync(join(path, 'error', 'huge.csv.why.txt'), 'utf8'), 'too big: 2048');
  } finally {
    await watcher.close();
  }
});

test('close waits for the file being handled: its commit and its move', async () => {
  let release!: () => void;
  const { path, seen, start } = setup({ stableMs: 0 }, () => new Promise((r) => { release = () => r({ result: 'success' }); }));
  const watcher = await start();
  writeFileSync(join(path, 'slow.csv'), 'x');
  await until('the handler to start', () => seen.length === 1);
  const closed = watcher.close();
  await sleep(50);
  assert.ok(existsSync(join(path, 'slow.csv')), 'not moved before the handler resolved');
  release();
  await closed;
  assert.deepEqual(ls(join(path, 'archive')), ['slow.csv']);
});
