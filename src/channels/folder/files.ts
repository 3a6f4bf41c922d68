// File operations every folder channel needs, each safe against a crash at any instant: a file appears whole or
// not at all (temp, fsync, rename, fsync of the folder), a move never overwrites, and a move across file systems
// copies durably before it deletes.
import { constants } from 'node:fs';
import { copyFile, open, rename, stat, unlink } from 'node:fs/promises';
import { extname, join } from 'node:path';

/** Writes `<dir>/<name>` atomically: readers see the old file or the whole new one, never a part. */
export async function writeFileAtomic(dir: string, name: string, content: string | Uint8Array): Promise<void> {
  const temp = join(dir, `.${name}.tmp`); // a dotfile: folder watchers (this one included) skip it
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, join(dir, name));
  await syncDir(dir);
}

/** Makes a rename in `dir` durable: without it a power loss can undo the rename after it returned. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const exists = (path: string) => stat(path).then(() => true, () => false);

/**
 * A name in `dir` that no file has yet: the name itself, else `stem.1.ext`, `stem.2.ext`, … Senders often reuse
 * one name (`dispense.csv` every hour), and an archive must keep every file. `companions` are suffixes of files
 * that will sit beside it elsewhere (an errors report in the error folder) and must be free too.
 */
export async function freeName(dir: string, name: string, companions: { dir: string; suffix: string }[] = []): Promise<string> {
  const ext = extname(name);
  const stem = ext ? name.slice(0, -ext.length) : name;
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? name : `${stem}.${n}${ext}`;
    const taken = (await exists(join(dir, candidate))) || (await Promise.all(companions.map((c) => exists(join(c.dir, candidate + c.suffix))))).some(Boolean);
    if (!taken) return candidate;
  }
}

/** Moves a file; across file systems (EXDEV) it copies, syncs, then deletes, so the file exists throughout. */
export async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(from, to, constants.COPYFILE_EXCL);
    const handle = await open(to, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await unlink(from);
  }
}
