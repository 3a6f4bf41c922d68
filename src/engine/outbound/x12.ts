// Purchase orders to suppliers as X12 850s: the codec (pure) + a transport chosen by the destination's url —
// http(s):// POSTs the interchange (application/edi-x12), file:///dir writes `<dir>/<poNumber>-<ISA13>.edi`.
//
// Exactly once in effect: the control numbers (ISA13 = GS06, ST02 1) are taken from a never-reused sequence in the
// transaction that creates the delivery (x12Controls, called by the pipeline) and ride in its body, and the
// interchange's time is the delivery's creation time. So every retry, and every redelivery after a restart, sends
// the same bytes under the same ISA13, which a supplier's translator recognises as a duplicate; a file retry writes
// the same name, replacing rather than adding. A reversal of a `purchase-order.send` is the cancelling 850 (BEG01
// 01) of the same order, under control numbers of its own.
//
// HTTP answers are read as the REST outbound reads them (2xx delivered; 400, 409, 422 rejected; others retry),
// and a 2xx whose body is a 997/999 or TA1 rejecting the interchange is a rejection too.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../channels/folder/files.ts';
import { readRestAnswer, type AnswerReader } from '../../channels/http/classify.ts';
import { createHttpOutbound, type SendResult } from '../../channels/http/outbound.ts';
import { EncodeError, type EncodeContext } from '../../codecs/rest/index.ts';
import { decodeX12, encode850, refusalOf, refuses, X12_CONTENT_TYPE, type PurchaseOrder } from '../../codecs/x12/index.ts';
import type { DestinationConfig } from '../../config/schema.ts';
import type { Delivery } from '../../core/types.ts';
import type { NewDelivery, Tx } from '../../store/store.ts';
import type { Outbound } from './index.ts';

export const PURCHASE_ORDER_ACTION = 'purchase-order.send';

interface Controls {
  isa13: number;
  gs06: number;
  st02: number;
}

/**
 * Control numbers for every new delivery to an x12 destination, taken inside the transaction that creates it: one
 * number per interchange from the destination's sequence serves as ISA13 and GS06 (each interchange holds one
 * group), and ST02 is 1 (each group holds one set), so one counter is all a destination needs and a rolled-back
 * plan gives its number back. Built once per configuration; on the ingest path, deliveries to no x12 destination
 * pass through untouched.
 */
export function x12Controls(destinations: readonly DestinationConfig[]): (tx: Tx, deliveries: NewDelivery[]) => Promise<NewDelivery[]> {
  const x12 = new Set(destinations.filter((d) => d.kind === 'x12').map((d) => d.name));
  return async (tx, deliveries) => {
    if (!deliveries.some((d) => x12.has(d.destination))) return deliveries;
    const out: NewDelivery[] = [];
    for (const d of deliveries) {
      if (!x12.has(d.destination)) out.push(d);
      else {
        const n = await tx.nextSequence(`x12:isa:${d.destination}`);
        // The partner's 997/999 or TA1 names this number: it is how a late refusal finds the delivery (partner-acks.ts).
        await tx.linkInterchange(d.destination, n, d.id);
        out.push({ ...d, body: { ...d.body, x12: { isa13: n, gs06: n, st02: 1 } satisfies Controls } });
      }
    }
    return out;
  };
}

function controlsOf(d: Delivery): Controls {
  const c = d.body.x12 as Partial<Controls> | undefined;
  if (!c || ![c.isa13, c.gs06, c.st02].every(Number.isInteger)) {
    throw new EncodeError(`delivery ${d.id} carries no X12 control numbers (body.x12): they are taken when the delivery is created`);
  }
  return c as Controls;
}

/** The 850 for a delivery: the order itself, or the cancellation of the order a reversed delivery sent. */
function interchangeFor(d: Delivery, ctx: EncodeContext, cfg: NonNullable<DestinationConfig['x12']>) {
  let order: PurchaseOrder;
  let purpose: 'original' | 'cancel' = 'original';
  if (d.action === PURCHASE_ORDER_ACTION) order = d.body as unknown as PurchaseOrder;
  else if (d.action === 'reverse' && ctx.reversed?.action === PURCHASE_ORDER_ACTION) {
    order = ctx.reversed.body as unknown as PurchaseOrder;
    purpose = 'cancel';
  } else throw new EncodeError(`an x12 destination sends purchase orders (${PURCHASE_ORDER_ACTION}), not ${d.action === 'reverse' ? `a reversal of ${ctx.reversed?.action}` : d.action}`);
  const controls = controlsOf(d);
  const text = encode850(order, { ...cfg, ...controls, now: d.createdAt }, purpose);
  return { text, poNumber: String(order.poNumber), isa13: String(controls.isa13).padStart(9, '0') };
}

/** A 2xx answer that is itself X12 (a synchronous 997/999 or TA1) and refuses the interchange. */
const readX12Answer: AnswerReader = (answer, now) => {
  const classified = readRestAnswer(answer, now);
  if (classified.outcome !== 'success' || typeof answer.body !== 'string' || !answer.body.trimStart().startsWith('ISA')) return classified;
  const decoded = decodeX12(answer.body, { partners: {} });
  const refusals = decoded.ok ? decoded.received.filter(refuses) : [];
  if (refusals.length === 0) return classified;
  const reason = refusals.map(refusalOf).join(' | ');
  return { outcome: 'rejected', reason: `HTTP ${answer.status}: ${reason}`.slice(0, 500), remoteRef: null, retryAfterMs: null };
};

function overHttp(cfg: DestinationConfig) {
  const http = createHttpOutbound(cfg.url, { connections: cfg.concurrency, timeoutMs: cfg.timeoutMs, read: readX12Answer });
  return {
    async send(interchange: ReturnType<typeof interchangeFor>, d: Delivery): Promise<SendResult> {
      const result = await http.send({ method: 'POST', path: '', text: interchange.text, contentType: X12_CONTENT_TYPE }, d.idempotencyKey);
      return result.outcome === 'success' ? { ...result, remoteRef: interchange.isa13 } : result;
    },
    close: () => http.close(),
  };
}

function toFolder(dir: string) {
  return {
    async send(interchange: ReturnType<typeof interchangeFor>): Promise<SendResult> {
      const started = performance.now();
      const name = `${interchange.poNumber.replace(/[^A-Za-z0-9._-]/g, '_')}-${interchange.isa13}.edi`;
      try {
        await mkdir(dir, { recursive: true });
        await writeFileAtomic(dir, name, interchange.text);
        return { outcome: 'success', reason: null, remoteRef: interchange.isa13, retryAfterMs: null, status: null, latencyMs: performance.now() - started };
      } catch (error) {
        // A full disk or a folder without write permission: retried with the same name, so never a second file.
        const e = error as NodeJS.ErrnoException;
        return { outcome: 'retryable', reason: `${e.code ?? e.name}: ${e.message}`, remoteRef: null, retryAfterMs: null, status: null, latencyMs: performance.now() - started };
      }
    },
    close: async () => {},
  };
}

export function createX12Outbound(cfg: DestinationConfig): Outbound {
  const envelope = cfg.x12;
  if (!envelope) throw new Error(`destination ${cfg.name}: an x12 destination needs its envelope (x12.receiverId)`);
  const url = new URL(cfg.url);
  const transport = url.protocol === 'file:' ? toFolder(fileURLToPath(url)) : overHttp(cfg);
  return {
    deliver: async (d, ctx) => transport.send(interchangeFor(d, ctx, envelope), d),
    close: () => transport.close(),
  };
}
