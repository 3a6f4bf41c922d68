#!/usr/bin/env node
// The `tendon` command. Tendon runs on Node.js 24 (native TypeScript, node:sqlite); the project carries that
// runtime as the `node` devDependency, so when this shim is started by an older Node it re-executes itself
// with the project's own Node 24 instead of failing.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const main = join(root, 'src', 'cli', 'main.ts');
if (Number(process.versions.node.split('.')[0]) >= 24) {
  await import(main);
} else {
  const require = createRequire(import.meta.url);
  const node24 = join(dirname(require.resolve('node/package.json')), 'bin', 'node');
  const run = spawnSync(node24, [main, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
