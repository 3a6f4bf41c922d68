// A partner's 997/999 or TA1 about an interchange Tendon sent (its 850s, outbound/x12.ts), matched to the delivery
// that sent it by the control number it names: AK102 (the group's GS06) or TA101 (the interchange's ISA13), one
// number in everything Tendon writes. Among the x12 destinations, only those addressed to the answer's sender
// (x12.receiverId = its ISA06) are searched. An acceptance is counted. A refusal turns the delivered 850 into a
// rejection (dispatcher.refusedLater): a delivery_rejected exception, and the outcome to its purchase order, which
// raises order_refused. An answer naming nothing Tendon sent is logged and counted. Every answer is also kept as the
// stored interchange it came in, like any other message.
import type { Logger } from 'pino';
import { refusalOf, refuses, type ReceivedAck } from '../codecs/x12/index.ts';
import type { DestinationConfig } from '../config/schema.ts';
import type { Store } from '../store/store.ts';
import type { Dispatcher } from './dispatcher.ts';
import type { Metrics } from './metrics.ts';

export interface PartnerAcksDeps {
  store: Pick<Store, 'deliveryByInterchange'>;
  destinations: readonly DestinationConfig[];
  dispatcher: Pick<Dispatcher, 'refusedLater'>;
  metrics: Metrics;
  log: Logger;
}

/** Settles what `sender` (ISA06) answered about Tendon's interchanges; answers once every refusal is written. */
export type PartnerAcks = (sender: string, acks: readonly ReceivedAck[]) => Promise<void>;

export function createPartnerAcks(deps: PartnerAcksDeps): PartnerAcks {
  const x12 = deps.destinations.filter((d) => d.kind === 'x12' && d.x12);
  /** The delivery that sent `sender` the interchange numbered `controlNumber`, if Tendon sent it one. */
  async function sentTo(sender: string, controlNumber: string) {
    const n = Number(controlNumber);
    if (!Number.isSafeInteger(n)) return null;
    for (const d of x12) {
      const found = d.x12!.receiverId === sender ? await deps.store.deliveryByInterchange(d.name, n) : null;
      if (found) return found;
    }
    return null;
  }

  return async (sender, acks) => {
    for (const ack of acks) {
      const found = await sentTo(sender, ack.controlNumber);
      const about = { sender, type: ack.type, controlNumber: ack.controlNumber, status: ack.status };
      if (!found) {
        deps.metrics.partnerAcks.inc({ destination: '', result: 'unmatched' });
        deps.log.warn(about, `partner ${ack.type} names control number ${ack.controlNumber}, which Tendon never sent to ${sender}`);
        continue;
      }
      if (!refuses(ack)) {
        deps.metrics.partnerAcks.inc({ destination: found.destination, result: 'accepted' });
        continue;
      }
      deps.metrics.partnerAcks.inc({ destination: found.destination, result: 'refused' });
      const changed = await deps.dispatcher.refusedLater(found.id, refusalOf(ack).slice(0, 500));
      deps.log.warn({ ...about, deliveryId: found.id, destination: found.destination, changed },
        changed ? `partner ${ack.type} refused delivery ${found.id}: it is now rejected` : `partner ${ack.type} refused delivery ${found.id}, which is no longer delivered: nothing changes`);
    }
  };
}
