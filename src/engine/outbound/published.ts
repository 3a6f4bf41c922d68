// What an analytics destination (NATS, webhook, CSV) publishes for a delivery: the canonical event the pipeline
// put in its body, or, for a reversal after a reprocess, the reversed delivery's event marked `retracted: true`.
// One function, so every analytics format agrees on what a retraction is.
import { EncodeError, type EncodeContext } from '../../codecs/rest/index.ts';
import type { Delivery } from '../../core/types.ts';

export interface PublishedEvent extends Record<string, unknown> {
  id: string;
  type: string;
  facility: string;
  correlationId: string;
}

export function publishedEvent(d: Pick<Delivery, 'action' | 'body'>, ctx: EncodeContext): PublishedEvent {
  if (d.action === 'event.publish') return checked(d.body.event);
  if (d.action === 'reverse' && ctx.reversed?.action === 'event.publish') return { ...checked(ctx.reversed.body.event), retracted: true };
  throw new EncodeError(`an analytics destination publishes events; it cannot send ${d.action === 'reverse' ? `a reversal of ${ctx.reversed?.action}` : d.action}`);
}

function checked(event: unknown): PublishedEvent {
  const e = event as Partial<PublishedEvent> | undefined;
  if (typeof e?.id !== 'string' || typeof e.type !== 'string' || typeof e.facility !== 'string' || typeof e.correlationId !== 'string') {
    throw new EncodeError('the delivery carries no canonical event (id, type, facility, correlationId)');
  }
  return { ...e } as PublishedEvent;
}
