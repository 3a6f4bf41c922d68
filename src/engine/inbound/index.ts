// Every inbound channel the configuration declares is started here, by its kind. A channel is a transport (I/O)
// + a codec (pure) + the pipeline (one transaction); it answers its sender only after the commit. Channels that
// arrive over the hub's own HTTP server (webhooks, X12 over HTTP, FHIR) have their route in the API, and start
// here only to register their decoder for reprocessing.
import type { Logger } from 'pino';
import type { InboundConfig } from '../../config/schema.ts';
import type { Decoders } from '../decoders.ts';
import type { Metrics } from '../metrics.ts';
import type { Pipeline } from '../pipeline.ts';
import { startMllpInbound } from './mllp.ts';

export interface InboundDeps {
  pipeline: Pipeline;
  metrics: Metrics;
  log: Logger;
  decoders: Decoders;
}

export interface RunningInbound {
  /** The bound port, for channels that listen on a socket of their own. */
  port?: number;
  close(): Promise<void>;
}

type Starters = { [K in InboundConfig['kind']]: (cfg: Extract<InboundConfig, { kind: K }>, deps: InboundDeps) => Promise<RunningInbound> };

const STARTERS: Starters = {
  mllp: startMllpInbound,
};

export function startInbound(cfg: InboundConfig, deps: InboundDeps): Promise<RunningInbound> {
  return (STARTERS[cfg.kind] as (c: InboundConfig, d: InboundDeps) => Promise<RunningInbound>)(cfg, deps);
}
