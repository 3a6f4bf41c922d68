// CSV files for analytics, outbound: each accepted canonical event becomes one file `<dir>/<event id>.csv` with a
// header row and the event's row, written atomically (`.<name>.tmp`, fsync, rename, fsync of the folder), so a
// reader polling the folder never sees half a file. The name comes from the event id: a retry or a redelivery
// rewrites the same file with the same content, never a second one. A reversal (after a reprocess) writes
// `<event id>.retracted.csv`, the event with `retracted` true. One file per event keeps every write independent
// and idempotent; a consumer that wants one file per hour concatenates them (every file has the same header).
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../channels/folder/files.ts';
import { encodeEventsCsv } from '../../codecs/csv/index.ts';
import { EncodeError } from '../../codecs/rest/index.ts';
import type { DestinationConfig } from '../../config/schema.ts';
import type { Outbound } from './index.ts';
import { publishedEvent } from './published.ts';

export function createCsvOutbound(cfg: DestinationConfig): Outbound {
  const dir = fileURLToPath(cfg.url);
  let folder: Promise<unknown> | undefined;
  return {
    async deliver(d, ctx) {
      const started = performance.now();
      const event = publishedEvent(d, ctx); // the published event; a reversal's carries retracted: true
      if (typeof event.id !== 'string' || !/^[A-Za-z0-9._-]{1,200}$/.test(event.id)) throw new EncodeError(`event id ${String(event.id)} cannot name a file`);
      const retracted = event.retracted === true;
      const name = `${event.id}${retracted ? '.retracted' : ''}.csv`;
      try {
        folder ??= mkdir(dir, { recursive: true });
        await folder;
        await writeFileAtomic(dir, name, encodeEventsCsv([{ event, retracted }]));
        return { outcome: 'success', reason: null, remoteRef: name, retryAfterMs: null, status: null, latencyMs: performance.now() - started };
      } catch (error) {
        // A full disk, a missing mount, a permission: technical, so retried; the same name makes the retry safe.
        folder = undefined;
        const e = error as NodeJS.ErrnoException;
        return { outcome: 'retryable', reason: `${e.code ?? e.name}: ${e.message}`, remoteRef: null, retryAfterMs: null, status: null, latencyMs: performance.now() - started };
      }
    },
    close: async () => {},
  };
}
