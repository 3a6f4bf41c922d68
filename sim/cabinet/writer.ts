// The cabinet server's export job: every interval, one dispense export file into a folder, the way a hub finds it
// complete. `rename`: written as a dotfile and renamed (the reader never sees part of it); `done-marker`: written
// under its own name, then NAME.done beside it once it is whole.
import { mkdir, open, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCabinetState, nextExport, type CabinetOptions, type CabinetStats } from './export.ts';

export type CabinetExportOptions = CabinetOptions & {
  folder: string;
  /** How often a file is written (default 10 s). */
  intervalMs?: number;
  /** Rows per file: a number, or a range drawn per file (default 5 to 20). */
  rows?: number | [number, number];
  completion?: 'rename' | 'done-marker';
  now?: () => number;
};

export type CabinetExporter = {
  stats: CabinetStats;
  /** Writes the next file now; resolves with its name once it is complete in the folder. */
  writeNext(): Promise<string>;
  close(): Promise<void>;
};

export async function startCabinetExports(options: CabinetExportOptions): Promise<CabinetExporter> {
  await mkdir(options.folder, { recursive: true });
  const state = createCabinetState(options);
  const intervalMs = options.intervalMs ?? 10_000;
  const [min, max] = typeof options.rows === 'number' ? [options.rows, options.rows] : (options.rows ?? [5, 20]);
  const now = options.now ?? Date.now;
  let writing: Promise<unknown> = Promise.resolve();

  async function writeNext(): Promise<string> {
    const file = nextExport(state, now(), state.rng.int(min, max), intervalMs);
    const path = join(options.folder, file.name);
    if (options.completion === 'done-marker') {
      await writeDurably(path, file.text);
      await writeFile(`${path}.done`, '');
    } else {
      const temp = join(options.folder, `.${file.name}.tmp`);
      await writeDurably(temp, file.text);
      await rename(temp, path);
    }
    return file.name;
  }

  // One file at a time, in order, whether written by the timer or asked for.
  const queued = (): Promise<string> => {
    const next = writing.then(writeNext);
    writing = next.catch(() => {});
    return next;
  };
  const timer = setInterval(() => {
    queued().catch((error: Error) => process.stderr.write(`sim cabinet: export failed: ${error.message}\n`));
  }, intervalMs);
  return {
    stats: state.stats,
    writeNext: queued,
    async close() {
      clearInterval(timer);
      await writing;
    },
  };
}

async function writeDurably(path: string, text: string): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
