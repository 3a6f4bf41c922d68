// The simulated hospital network must stay outside Tendon: Tendon talks to it only over HTTP, as it would to a
// real hospital's systems, and the simulators know nothing of Tendon's internals. Also keeps the layering of
// design.md: no folder of src/ imports a folder above it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const root = resolve(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Every relative import of a file, resolved to a path from the project root. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  // Statements start a line (an import written inside a string, as a lint test's sample, is not one).
  const specs = [...text.matchAll(/^(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)]
    .map((m) => m[1] ?? m[2]!)
    .filter((s) => s.startsWith('.'));
  return specs.map((s) => relative(root, resolve(dirname(file), s)));
}

test('Tendon (src/) imports nothing from sim/', () => {
  const offenders = files(join(root, 'src')).flatMap((f) => importsOf(f).filter((i) => i.startsWith('sim')).map((i) => `${relative(root, f)} → ${i}`));
  assert.deepEqual(offenders, []);
});

test('the simulators (sim/) import nothing from src/', () => {
  const offenders = files(join(root, 'sim')).flatMap((f) => importsOf(f).filter((i) => i.startsWith('src')).map((i) => `${relative(root, f)} → ${i}`));
  assert.deepEqual(offenders, []);
});

// Lower layers first: a folder may import only folders at or below its own level.
const LAYERS = ['core', 'model', 'security', 'store', 'masterdata', 'flows', 'workflows', 'exceptions', 'config', 'monitoring', 'codecs', 'channels', 'engine', 'api', 'console', 'cli'];

test('no folder of src/ imports a folder above it', () => {
  const offenders: string[] = [];
  for (const f of files(join(root, 'src'))) {
    const from = relative(join(root, 'src'), f).split('/')[0]!;
    for (const i of importsOf(f)) {
      const to = i.split('/')[1];
      if (!i.startsWith('src/') || !to || !LAYERS.includes(to) || !LAYERS.includes(from)) continue;
      if (LAYERS.indexOf(to) > LAYERS.indexOf(from)) offenders.push(`${relative(root, f)} → ${i}`);
    }
  }
  assert.deepEqual(offenders, []);
});
