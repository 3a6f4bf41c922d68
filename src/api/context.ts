// What the API needs from the running hub. The API imports the engine; the engine never imports the API.
import type { HubConfig } from '../config/schema.ts';
import type { Dispatcher } from '../engine/dispatcher.ts';
import type { Metrics } from '../engine/metrics.ts';
import type { Monitor } from '../engine/monitor.ts';
import type { PartnerAcks } from '../engine/partner-acks.ts';
import type { Pipeline } from '../engine/pipeline.ts';
import type { Replay } from '../engine/replay.ts';
import type { MasterData } from '../masterdata/sync.ts';
import type { PhiVault } from '../security/phi.ts';
import type { Store } from '../store/store.ts';

export interface ApiContext {
  config: HubConfig;
  store: Store;
  pipeline: Pipeline;
  dispatcher: Dispatcher;
  replay: Replay;
  masterData: MasterData;
  metrics: Metrics;
  vault: PhiVault;
  /** What partners answer about Tendon's own interchanges (engine/partner-acks.ts). */
  acks: PartnerAcks;
  /** The live overview and alerts (engine/monitor.ts); absent when the hub runs without it. */
  monitor?: Monitor;
}
