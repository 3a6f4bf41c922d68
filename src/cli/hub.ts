// The composition root: opens the store, loads master data, wires pipeline, dispatcher, replay and API, and
// stops them in the reverse order. The only place that knows every part.
import { join } from 'node:path';
import { pino, type DestinationStream, type Logger } from 'pino';
import { buildApi } from '../api/server.ts';
import type { HubConfig } from '../config/schema.ts';
import { createDispatcher } from '../engine/dispatcher.ts';
import { createMetrics, facilityCounter } from '../engine/metrics.ts';
import { startMonitor } from '../engine/monitor.ts';
import { createPartnerAcks } from '../engine/partner-acks.ts';
import { createPipeline, type Pipeline } from '../engine/pipeline.ts';
import { startTimerLoop } from '../engine/timers.ts';
import { startTracing } from '../engine/tracing.ts';
import type { Committed } from '../engine/workflows.ts';
import { createReplay } from '../engine/replay.ts';
import { createDecoders } from '../engine/decoders.ts';
import { thresholdsFor } from '../config/routes.ts';
import { exceptionPolicies } from '../model/exceptions.ts';
import { startInbound, type RunningInbound } from '../engine/inbound/index.ts';
import { MasterData } from '../masterdata/sync.ts';
import { announcements } from '../masterdata/announce.ts';
import { loadDefinitions } from '../codecs/fhir/index.ts';
import { createPhiVault, parseKey } from '../security/phi.ts';
import { openSqliteStore } from '../store/sqlite/store.ts';

export interface RunningHub {
  url: string;
  /** Inbound channels that listen on a socket of their own, by name: their bound ports. */
  ports: Record<string, number>;
  stop(): Promise<void>;
}

/** The configured store, migrated: the hub's, and the one `tendon actor add` writes to. */
export const openStore = (config: HubConfig) =>
  openSqliteStore({ path: config.store.path ?? join(config.dataDir, 'tendon.db'), synchronous: config.store.synchronous });

// Where a patient identifier could sit in a logged object: in an event's payload (as received) and in a billing
// body (as restored for a destination allowed PHI), up to three levels down, arrays included.
const PHI_PATHS = ['patient.identifier', 'patient.mrn'].flatMap((p) => [p, `*.${p}`, `*.*.${p}`, `*.*.*.${p}`]);

export function createLogger(level: string, destination?: DestinationStream): Logger {
  // Events are never logged whole; the redaction is a second line of defence should a payload slip into a log.
  const redact = { paths: [...PHI_PATHS, 'req.headers.authorization', 'headers.authorization'], censor: '[redacted]' };
  return pino({ level, base: { service: 'tendon' }, redact }, destination);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** TENDON_LOG_LEVEL, when set, wins over the configuration's log.level: an operator turning up one run's detail. */
export function logLevel(configured: string, env: Record<string, string | undefined> = process.env): string {
  const wanted = env.TENDON_LOG_LEVEL?.trim();
  if (!wanted) return configured;
  if (!LOG_LEVELS.includes(wanted)) throw new Error(`TENDON_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${wanted}"`);
  return wanted;
}

export async function startHub(config: HubConfig, log: Logger = createLogger(logLevel(config.log.level))): Promise<RunningHub> {
  const tracing = await startTracing(log); // only when the OTEL_* variables ask for it (docs/observability.md)
  const store = openStore(config);
  const vault = createPhiVault(parseKey(config.security.phiKey));
  const metrics = createMetrics();
  const countFacilities = facilityCounter(metrics);
  const masterData = new MasterData(store, config.masterData.url, log);
  await masterData.reload();
  loadDefinitions(); // the FHIR R4 definitions (≈0.6 s), here rather than in the first request
  const syncOnce = () => masterData.sync().catch((e: Error) => log.warn({ err: e.message }, 'master data pull failed; using the stored copy'));

  // Delivery outcomes go back to the workflows that named the deliveries; the pipeline holds the workflow engine.
  let pipeline: Pipeline | undefined;
  const dispatcher = createDispatcher({
    store, vault, destinations: config.destinations, metrics, log,
    onOutcomes: async (tx, finals, at) => {
      const out: Committed = { deliveries: [], events: [] };
      await pipeline!.workflows.outcomes(tx, finals, at, out);
      return out.deliveries;
    },
  });
  pipeline = createPipeline({
    store, vault, snapshot: masterData.current, destinations: config.destinations, routes: config.routes,
    thresholds: thresholdsFor(config), policies: exceptionPolicies(config.exceptions),
    onCommitted: (deliveries, events) => {
      dispatcher.enqueue(deliveries);
      countFacilities(events);
      // Items from MFN^M16 or a CSV load change master data: the snapshot follows.
      if (events.some((e) => e.type === 'item.upserted' && e.status === 'accepted')) masterData.reloadSoon();
    },
  });
  const decoders = createDecoders();
  const replay = createReplay({ store, vault, pipeline, dispatcher, decoders });
  await dispatcher.start();
  const timers = startTimerLoop({ store, engine: () => pipeline.workflows, log, onCommitted: (deliveries) => dispatcher.enqueue(deliveries) });
  // What a pull changed goes to the systems that keep copies, as events: one message per pull.
  masterData.onPulled = async (changed, snapshot) => {
    const events = announcements(changed, snapshot);
    if (events.length === 0) return;
    await pipeline.ingest({
      channel: 'erp:pull', sourceSystem: 'erp', sourceId: null, contentType: 'application/json',
      raw: Buffer.from(JSON.stringify(changed)), events,
    });
  };
  await syncOnce();
  const pull = setInterval(syncOnce, config.masterData.intervalSeconds * 1000);
  const acks = createPartnerAcks({ store, destinations: config.destinations, dispatcher, metrics, log });
  const inbound: Record<string, RunningInbound> = {};
  for (const channel of config.inbound) inbound[channel.name] = await startInbound(channel, { pipeline, metrics, log, decoders, store, acks });
  const ports = Object.fromEntries(Object.entries(inbound).flatMap(([name, c]) => (c.port === undefined ? [] : [[name, c.port]])));
  // The live overview and alerts: evaluated every second once the dispatcher and the channels run.
  const monitor = await startMonitor({ config, store, dispatcher, metrics, log, policies: pipeline.policies, runningChannels: () => Object.keys(inbound) });
  const api = buildApi({ config, store, pipeline, dispatcher, replay, masterData, metrics, vault, monitor, acks }, log);
  await api.listen({ host: config.http.host, port: config.http.port });
  const address = api.server.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const url = `http://${config.http.host}:${port}`;
  log.info({ url, ports }, 'tendon hub listening');

  return {
    url,
    ports,
    async stop() {
      clearInterval(pull);
      for (const channel of Object.values(inbound)) await channel.close();
      await api.close(); // no new messages; what was acknowledged is committed
      await timers.stop();
      await monitor.stop();
      await dispatcher.stop();
      await store.close();
      await tracing.stop(); // the spans still buffered go out
    },
  };
}
