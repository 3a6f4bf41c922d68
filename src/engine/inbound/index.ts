// Every inbound channel the configuration declares is started here, by its kind. A channel is a transport (I/O)
// + a codec (pure) + the pipeline (one transaction); it answers its sender only after the commit. Channels that
// arrive over the hub's own HTTP server (webhooks, X12 over HTTP, FHIR) have their route in the API, and start
// here only to register their decoder for reprocessing.
import type { Logger } from 'pino';
import type { InboundConfig } from '../../config/schema.ts';
import type { Decoders } from '../decoders.ts';
import type { Metrics } from '../metrics.ts';
import type { PartnerAcks } from '../partner-acks.ts';
import type { Pipeline } from '../pipeline.ts';
import type { Store } from '../../store/store.ts';
import { startCsvInbound } from './csv.ts';
import { startMllpInbound } from './mllp.ts';
import { startNatsInbound } from './nats.ts';
import { startWebhookInbound } from './webhook.ts';
import { startX12Inbound } from './x12.ts';

export interface InboundDeps {
  pipeline: Pipeline;
  metrics: Metrics;
  log: Logger;
  decoders: Decoders;
  /** For what a channel numbers itself (X12 answers' control numbers), in their own small transactions. */
  store: Store;
  /** What partners answer about Tendon's own interchanges (X12 channels: 997/999/TA1 about its 850s). */
  acks: PartnerAcks;
}

export interface RunningInbound {
  /** The bound port, for channels that listen on a socket of their own. */
  port?: number;
  close(): Promise<void>;
}

type Starters = { [K in InboundConfig['kind']]: (cfg: Extract<InboundConfig, { kind: K }>, deps: InboundDeps) => Promise<RunningInbound> };

const STARTERS: Starters = {
  mllp: startMllpInbound,
  csv: startCsvInbound,
  nats: startNatsInbound,
  webhook: startWebhookInbound,
  x12: startX12Inbound,
};

export function startInbound(cfg: InboundConfig, deps: InboundDeps): Promise<RunningInbound> {
  return (STARTERS[cfg.kind] as (c: InboundConfig, d: InboundDeps) => Promise<RunningInbound>)(cfg, deps);
}
