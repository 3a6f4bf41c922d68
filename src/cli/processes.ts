// Child processes the CLI runs beside the hub: the simulated hospital network lives in sim/ and is started as its
// own process (Tendon imports nothing from sim/: it talks to the simulators only over HTTP, like any hospital's).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const SIM_MAIN = fileURLToPath(new URL('../../sim/main.ts', import.meta.url));

/** Starts `node sim/main.ts args…` and resolves with the first JSON line it prints (its URLs). */
export function spawnSim(args: string[], timeoutMs = 30_000): Promise<{ child: ChildProcess; ready: Record<string, string> }> {
  const child = spawn(process.execPath, [SIM_MAIN, '--exit-with-parent', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the simulators did not start in time')), timeoutMs);
    const lines = createInterface({ input: child.stdout! });
    let ready = false;
    lines.on('line', (line) => {
      if (ready) return void process.stdout.write(`[sim] ${line}\n`);
      try {
        const parsed = JSON.parse(line) as Record<string, string>;
        ready = true;
        clearTimeout(timer);
        resolve({ child, ready: parsed });
      } catch {
        process.stdout.write(`[sim] ${line}\n`);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`the simulators exited with code ${code} before they were ready`));
    });
  });
}

export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
