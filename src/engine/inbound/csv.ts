// CSV files dropped in a folder, inbound: the folder transport (complete files in, moved out after the commit) +
// the CSV codec (pure) + the pipeline. One file is one message and one transaction: its good rows' events commit
// together, and only then does the file move to the archive (and its errors file appear). Files are not split into
// several transactions: all-or-nothing would no longer be, the raw file would be stored once per part, and a part
// reprocessed alone could not rebuild the keys of rows keyed by the whole file's hash and line. The price is that the
// hub's one thread is busy for the whole file (about 6,000 rows a second here), so `maxFileBytes` (4 MB by default,
// about 45,000 cabinet rows) bounds that; larger files are refused with "split it".
//
// Modes: `rows` lets the good rows in and lists the bad ones in error/NAME.errors.csv beside the archived file;
// `all-or-nothing` refuses the whole file for one bad row. A file that cannot be read at all (binary, wrong
// encoding, broken quoting, a header without a required column) is refused: kept as a refused message, moved to
// error/ with its errors file saying why. The same file again is recognised by its events' idempotency keys (the
// rows' transaction ids, or the content hash and line), archived, and logged as a duplicate.
import {
  BUILT_IN_MAPPINGS, CSV_MEDIA_TYPE, decodeCsv, errorsReport, ERRORS_SUFFIX, mappingProblems, type CsvOptions, type CsvRowError,
} from '../../codecs/csv/index.ts';
import { startFolderWatcher, type FolderOutcome } from '../../channels/folder/watcher.ts';
import type { CsvInboundConfig } from '../../config/schema.ts';
import { invalid } from '../../core/errors.ts';
import type { InboundDeps, RunningInbound } from './index.ts';

export async function startCsvInbound(cfg: CsvInboundConfig, deps: InboundDeps): Promise<RunningInbound> {
  const channel = `csv:${cfg.name}`;
  const mapping = typeof cfg.format === 'string' ? BUILT_IN_MAPPINGS[cfg.format] : cfg.format;
  const problems = mappingProblems(mapping, cfg.header);
  if (problems.length > 0) throw new Error(`inbound channel ${cfg.name}: its CSV mapping is wrong: ${problems.join('; ')}`);
  const sourceSystem = cfg.sourceSystem ?? cfg.name;
  const optionsAt = (receivedAt: string): CsvOptions => ({
    mapping, sourceSystem, facility: cfg.facility, delimiter: cfg.delimiter, header: cfg.header, encoding: cfg.encoding,
    dateFormat: cfg.dateFormat, defaultOffset: cfg.defaultOffset, receivedAt,
  });
  const summary = (errors: CsvRowError[]) =>
    errors.slice(0, 5).map((e) => `${e.row > 0 ? `row ${e.row}: ` : ''}${e.reason}`).join('; ') + (errors.length > 5 ? `; and ${errors.length - 5} more` : '');

  // Reprocessing reads the stored file again with this channel's mapping, the file's rows timed as they first were.
  deps.decoders.register(channel, (raw, message) => {
    if (!message.receivedAt) throw invalid('a CSV file is read with the time it was received');
    const decoded = decodeCsv(raw, optionsAt(message.receivedAt));
    if (!decoded.ok) throw invalid(summary([decoded.error]));
    if (decoded.errors.length > 0 && cfg.mode === 'all-or-nothing') throw invalid(summary(decoded.errors));
    return decoded.events;
  });

  const refuse = async (name: string, raw: Uint8Array, contentType: string, sourceId: string | null, errors: CsvRowError[]): Promise<FolderOutcome> => {
    await deps.pipeline.refuse({ channel, sourceSystem, sourceId, contentType, raw }, summary(errors));
    deps.metrics.messagesIn.inc({ channel: cfg.name, result: 'refused' });
    deps.log.warn({ channel, file: name, errors: errors.length }, 'CSV file refused; moved to the error folder with its errors file');
    return { result: 'error', report: { suffix: ERRORS_SUFFIX, content: errorsReport(errors) } };
  };

  const watcher = await startFolderWatcher(cfg, {
    async file({ name, bytes }) {
      const started = performance.now();
      const decoded = decodeCsv(bytes, optionsAt(new Date().toISOString()));
      // The file's name and content hash: a file is known by its content, whatever it is called.
      const sourceId = `${name};sha256=${decoded.sha256}`;
      if (!decoded.ok) return refuse(name, bytes, decoded.contentType, sourceId, [decoded.error]);
      const { events, errors } = decoded;
      if (errors.length > 0 && (cfg.mode === 'all-or-nothing' || events.length === 0)) return refuse(name, bytes, decoded.contentType, sourceId, errors);
      if (events.length === 0) {
        deps.log.info({ channel, file: name }, 'CSV file without rows archived');
        return { result: 'success' };
      }
      const results = await deps.pipeline.ingest({ channel, sourceSystem, sourceId, contentType: decoded.contentType, raw: bytes, events });
      for (const [i, r] of results.entries()) deps.metrics.eventsIn.inc({ type: events[i]!.type, result: r.duplicate ? 'duplicate' : r.status });
      const duplicate = results.every((r) => r.duplicate);
      const result = duplicate ? 'duplicate' : errors.length > 0 ? 'partial' : 'accepted';
      deps.metrics.messagesIn.inc({ channel: cfg.name, result });
      deps.metrics.ingestLatency.observe({ channel: cfg.name }, (performance.now() - started) / 1000);
      const counts = { channel, file: name, rows: decoded.rows, events: events.length, badRows: errors.length };
      if (duplicate) deps.log.info(counts, 'CSV file already seen: every row is a duplicate, nothing new; archived');
      else deps.log.info(counts, errors.length > 0 ? 'CSV file read with bad rows; they are in its errors file' : 'CSV file read');
      return errors.length > 0 ? { result: 'partial', report: { suffix: ERRORS_SUFFIX, content: errorsReport(errors) } } : { result: 'success' };
    },
    oversized({ name, size }) {
      // Not read, so not kept in the store either: the file itself waits in the error folder.
      const error = { row: 0, original: '', reason: `the file has ${size} bytes, over this channel's maxFileBytes of ${cfg.maxFileBytes}: split it` };
      return refuse(name, new Uint8Array(), CSV_MEDIA_TYPE, name, [error]);
    },
    failed(error, name) {
      deps.log.warn({ channel, file: name, err: error.message }, 'CSV file not processed; it stays in the inbox and is tried again');
    },
  });
  deps.log.info({ channel, folders: watcher.folders }, 'watching for CSV files');
  return { close: () => watcher.close() };
}
