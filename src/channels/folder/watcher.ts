// The folder transport, for any file format: polls an inbox, hands each complete file to the caller as bytes and a
// name, and moves it where the caller's outcome says, only after the caller's promise resolves (which for Tendon is
// after the commit). Nothing is deleted: read files go to the archive, refused ones to the error folder, each
// under a name no other file has there, with the caller's report beside it in the error folder.
//
// A file is complete when its size and mtime have not changed for `stableMs` (`completeWhen: stable`), or when a
// `NAME.done` marker sits beside it (`done-marker`, for senders that can write one after the file). Names a sender
// is still writing under are skipped: dotfiles, `.tmp`, `.part`, `.filepart`, and the markers themselves.
//
// Crash safety: a file leaves the inbox only after the caller resolved. A crash before the move leaves it there, and
// it is read again at the next start; the caller's idempotency makes that a duplicate without effect.
import { mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FolderWatchConfig } from '../../config/schema.ts';
import { freeName, moveFile, writeFileAtomic } from './files.ts';

export const DONE_SUFFIX = '.done';

/** What became of a file: success → archive; partial → archive, report in the error folder; error → error folder. */
export interface FolderOutcome {
  result: 'success' | 'partial' | 'error';
  /** Written into the error folder as `<final name><suffix>` before the file moves, e.g. `.errors.csv`. */
  report?: { suffix: string; content: string };
}

export interface FolderHandlers {
  /** A complete file. Resolve only when what it carries is durable: the file is moved right after. */
  file(file: { name: string; bytes: Buffer }): Promise<FolderOutcome>;
  /** A file over `maxFileBytes`: it is not read; say what to do with it (usually an error with a report). */
  oversized(file: { name: string; size: number }): Promise<FolderOutcome>;
  /** The file moved out of the inbox. */
  moved?(name: string, to: string): void;
  /** Reading, handling or moving failed: the file stays in the inbox and is tried again at the next poll. */
  failed?(error: Error, name: string): void;
}

export interface FolderWatcher {
  folders: { inbox: string; archive: string; error: string };
  close(): Promise<void>;
}

const SKIPPED = /^\.|\.(tmp|part|filepart)$|~$/i;

interface Sighting { size: number; mtimeMs: number; since: number }

export async function startFolderWatcher(options: FolderWatchConfig, handlers: FolderHandlers): Promise<FolderWatcher> {
  const folders = {
    inbox: resolve(options.path),
    archive: resolve(options.archiveDir ?? join(options.path, 'archive')),
    error: resolve(options.errorDir ?? join(options.path, 'error')),
  };
  for (const dir of Object.values(folders)) await mkdir(dir, { recursive: true });
  const markers = options.completeWhen === 'done-marker';
  const sightings = new Map<string, Sighting>();
  // Files whose content is committed but whose move failed (a full or read-only archive): moved again without
  // being handled again, as long as they did not change.
  const unmoved = new Map<string, { outcome: FolderOutcome; size: number; mtimeMs: number }>();

  async function scan(): Promise<void> {
    const entries = await readdir(folders.inbox, { withFileTypes: true });
    const names = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
    const now = Date.now();
    const ready: { name: string; size: number; mtimeMs: number }[] = [];
    for (const name of names) {
      if (name.endsWith(DONE_SUFFIX)) {
        if (markers && !names.has(name.slice(0, -DONE_SUFFIX.length))) await dropOrphanMarker(name, now);
        else sightings.delete(name);
        continue;
      }
      if (SKIPPED.test(name)) continue;
      const st = await stat(join(folders.inbox, name)).catch(() => null);
      if (!st) continue; // gone since the listing
      const previous = sightings.get(name);
      const same = previous && previous.size === st.size && previous.mtimeMs === st.mtimeMs;
      const sighting = same ? previous : { size: st.size, mtimeMs: st.mtimeMs, since: now };
      sightings.set(name, sighting);
      const complete = markers ? names.has(name + DONE_SUFFIX) : now - sighting.since >= options.stableMs;
      if (complete) ready.push({ name, size: st.size, mtimeMs: st.mtimeMs });
    }
    for (const name of sightings.keys()) if (!names.has(name)) sightings.delete(name);
    // Oldest first: a sender's files are read in the order it wrote them.
    ready.sort((a, b) => a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name));
    for (const file of ready) {
      if (stopped) return;
      await take(file);
    }
  }

  /**
   * A marker whose file is gone was left by a crash between the file's move and the marker's removal. It is removed
   * once it has been an orphan for stableMs, so that a sender that wrongly writes the marker first is not raced.
   */
  async function dropOrphanMarker(name: string, now: number): Promise<void> {
    const sighting = sightings.get(name) ?? { size: 0, mtimeMs: 0, since: now };
    sightings.set(name, sighting);
    if (now - sighting.since >= options.stableMs) await unlink(join(folders.inbox, name)).catch(() => {});
  }

  async function take(file: { name: string; size: number; mtimeMs: number }): Promise<void> {
    const path = join(folders.inbox, file.name);
    try {
      const pending = unmoved.get(file.name);
      if (pending && pending.size === file.size && pending.mtimeMs === file.mtimeMs) return await dispose(file.name, pending.outcome);
      unmoved.delete(file.name);
      let outcome: FolderOutcome;
      if (file.size > options.maxFileBytes) {
        outcome = await handlers.oversized({ name: file.name, size: file.size });
      } else {
        const bytes = await readFile(path);
        const after = await stat(path);
        if (after.size !== bytes.length || after.mtimeMs !== file.mtimeMs) {
          sightings.delete(file.name); // it changed while being read: not complete after all
          return;
        }
        outcome = await handlers.file({ name: file.name, bytes });
      }
      unmoved.set(file.name, { outcome, size: file.size, mtimeMs: file.mtimeMs });
      await dispose(file.name, outcome);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // taken away by someone else
      handlers.failed?.(error as Error, file.name);
    }
  }

  async function dispose(name: string, outcome: FolderOutcome): Promise<void> {
    const target = outcome.result === 'error' ? folders.error : folders.archive;
    const { report } = outcome;
    const final = await freeName(target, name, report ? [{ dir: folders.error, suffix: report.suffix }] : []);
    if (report) await writeFileAtomic(folders.error, final + report.suffix, report.content); // before the move: never a moved file without its report
    await moveFile(join(folders.inbox, name), join(target, final));
    unmoved.delete(name);
    sightings.delete(name);
    if (markers) await unlink(join(folders.inbox, name + DONE_SUFFIX)).catch(() => {});
    handlers.moved?.(name, join(target, final));
  }

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let scanning: Promise<void> = Promise.resolve();
  const loop = () => {
    scanning = scan()
      .catch((error: Error) => handlers.failed?.(error, folders.inbox))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, options.pollMs);
      });
  };
  loop();

  return {
    folders,
    async close() {
      stopped = true;
      clearTimeout(timer);
      await scanning; // a file being handled finishes: its commit and its move
    },
  };
}
