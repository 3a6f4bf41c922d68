// The supplier (distributor) simulator: takes 850 purchase orders as X12 over HTTP (POST /x12) and, later, answers
// the hub the way a distributor on a supplier network does: a 997 (4010) or 999 (5010) for the 850's group, an
// 855 acknowledgment (lines accepted, price changed, quantity changed, backordered or rejected), an 856 ship notice
// with lot, serial and expiry, and an 810 invoice; backordered lines, and the rest of a line shipped in two parts,
// ship and invoice later, in another 856 and 810. An invoice now and then bills more than was agreed or shipped,
// and a credit memo (810, BIG07 CR) follows later for the difference. What is planned for a PO is in plan.ts;
// GET /orders/:poNumber shows it line by line. Everything it owes the hub waits in a persistent outbox
// (outbox.ts) until the hub has answered. Unasked, it also sends a price catalog (832) now and then
// (catalog.ts): mostly the contract prices, a few of them off.
import Big from 'big.js';
import type { FastifyInstance } from 'fastify';
import { NO_FAULTS, type FaultSwitch } from '../common/faults.ts';
import { createSimApp } from '../common/http.ts';
import { badRequest, notFound, SimError } from '../common/problem.ts';
import { serve, type SimHandle, type SimStartOptions } from '../common/runtime.ts';
import { SimStore } from '../common/store.ts';
import {
  DEFAULT_DELIMITERS,
  parseInterchange,
  writeTa1Interchange,
  x12Date,
  X12EnvelopeError,
  type IsaHeader,
  type PartyId,
  type X12Delimiters,
  type X12Interchange,
} from '../common/x12.ts';
import { DEFAULT_SEED } from '../network/build.ts';
import type { Network } from '../network/types.ts';
import { DEFAULT_CATALOG, planCatalog, type CatalogSettings } from './catalog.ts';
import { is5010, orderKeyOf, renderDocument, type GroupAck, type Partner, type SetAck } from './documents.ts';
import { createOutbox, type Outbox, type OutboxEntry, type RetryPolicy } from './outbox.ts';
import { DEFAULT_RATES, networkCatalog, orderState, planOrder, upgradeOrder, type LineRates, type Order, type Shipment } from './plan.ts';
import { readPurchaseOrder, type PurchaseOrder } from './purchase-order.ts';

/** Milliseconds between documents: the 997 after the 850, the 855 after the 997, and so on. */
export type SupplierDelays = {
  ack: number;
  poAck: number;
  shipNotice: number;
  invoice: number;
  /** From a shipment's invoice (or the 855) to a later shipment's 856: the balance of a split line, the backorder. */
  backorder: number;
  /** From an invoice that over-billed to its credit memo. */
  credit: number;
};
export const DEFAULT_DELAYS: SupplierDelays = { ack: 1000, poAck: 3000, shipNotice: 5000, invoice: 5000, backorder: 15_000, credit: 20_000 };

export type SupplierOptions = {
  seed?: number;
  store?: SimStore;
  /** The seeded network: its items tell the supplier which lines carry serial numbers, and their catalog numbers. */
  network?: Network;
  /** ISA06/GS02 of the supplier (default MEDSUPPLY), ISA05 (default ZZ). 850s must be addressed to it (ISA08). */
  partnerId?: string;
  partnerQualifier?: string;
  delays?: Partial<SupplierDelays>;
  rates?: Partial<LineRates>;
  retry?: Partial<RetryPolicy>;
  /** Delimiters of what the supplier writes (default `*` `>` `^` `~` and a newline after each segment). */
  delimiters?: X12Delimiters;
  /** The hub's X12 endpoint and token, when known at start (else `connect` later). */
  hub?: { url: string; token: string };
  /** Price catalogs (832) sent unasked; needs `network`. `POST /_sim/catalog` sends one at any time. */
  catalog?: CatalogOptions;
  log?: (line: string) => void;
};

export type CatalogOptions = Partial<CatalogSettings> & {
  /** Milliseconds between catalogs, the first one this long after start; 0 or absent: only on request. */
  intervalMs?: number;
  /** ISA07/08 and GS03 of the catalogs (default ZZ/TENDON, the hub's own default id). */
  buyer?: PartyId;
};

export type SupplierSim = {
  app: FastifyInstance;
  store: SimStore;
  outbox: Outbox;
  /** Starts (or redirects) delivery to the hub: `POST {hubX12Url}` with `Authorization: Bearer {token}`. */
  connect(hubX12Url: string, token: string): void;
};

const X12_CONTENT_TYPE = 'application/edi-x12';

export function createSupplierSim(options: SupplierOptions = {}): SupplierSim {
  const seed = options.seed ?? DEFAULT_SEED;
  const store = options.store ?? new SimStore();
  const faults: FaultSwitch = { state: NO_FAULTS };
  const app = createSimApp({ name: 'supplier', store, seed, faults });
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const us: PartyId = { qualifier: options.partnerQualifier ?? 'ZZ', id: options.partnerId ?? 'MEDSUPPLY' };
  const delays = { ...DEFAULT_DELAYS, ...options.delays };
  const rates = { ...DEFAULT_RATES, ...options.rates };
  const catalog = options.network ? networkCatalog(options.network) : undefined;
  const delimiters = options.delimiters ?? DEFAULT_DELIMITERS;
  const orderOf = (key: string) => {
    const order = store.get<Order>('orders', key);
    return order && upgradeOrder(order);
  };
  const shipmentOf = (order: Order, index: number) => order.shipments[index] as Shipment;
  // One counter numbers every interchange the supplier writes: ISA13, and GS06 and ST02 of its one group and set.
  const nextControlNumber = () => Number(store.nextId('X12', 9).slice(4));
  const ta1 = (answered: IsaHeader | undefined, code: 'A' | 'R', note: string) =>
    writeTa1Interchange({ answered, us, controlNumber: nextControlNumber(), code, note, at: Date.now(), delimiters });

  const outbox = createOutbox({
    store,
    log,
    retry: options.retry,
    render(entry) {
      const doc = entry.document;
      const key = orderKeyOf(doc);
      const order = key === undefined ? undefined : orderOf(key);
      const at = Date.now();
      const controlNumber = nextControlNumber();
      if (doc.kind === '856' && order) {
        shipmentOf(order, doc.shipment).shippedOn = x12Date(at);
        store.put('orders', order.key, order);
      }
      entry.text = renderDocument(doc, order, { controlNumber, at, us, delimiters });
      entry.controlNumber = controlNumber;
    },
    settled(entry) {
      const doc = entry.document;
      if (doc.kind === '832') return scheduleCatalog();
      if (doc.kind === 'functional-ack') return;
      const order = orderOf(doc.orderKey);
      if (!order) return;
      if (doc.kind === '855') order.acknowledged = true;
      else if (doc.kind === '856') shipmentOf(order, doc.shipment).shipped = true;
      else if (doc.credit) shipmentOf(order, doc.shipment).credited = true;
      else shipmentOf(order, doc.shipment).invoiced = true;
      store.put('orders', order.key, order);
    },
  });
  if (options.hub) outbox.connect(options.hub.url, options.hub.token);

  const catalogSettings: CatalogSettings = {
    items: options.catalog?.items ?? DEFAULT_CATALOG.items, varianceRate: options.catalog?.varianceRate ?? DEFAULT_CATALOG.varianceRate,
  };
  const catalogInterval = options.catalog?.intervalMs ?? 0;
  const catalogPartner: Partner = {
    ...(options.catalog?.buyer ?? { qualifier: 'ZZ', id: 'TENDON' }), groupCode: options.catalog?.buyer?.id ?? 'TENDON', interchangeVersion: '00401', usage: 'P',
  };

  /** A price catalog due at `dueAt`, planned now (call inside a transaction); undefined without a network to price. */
  function addCatalog(dueAt: number) {
    if (!options.network) return undefined;
    const plan = planCatalog(options.network, { ...catalogSettings, seed, id: store.nextId('CAT'), at: dueAt });
    const off = plan.lines.filter((l) => l.offContract).length;
    return outbox.add({
      dueAt, document: { kind: '832', plan, partner: catalogPartner },
      label: `832 price catalog ${plan.id} for ${plan.facility.id} (${plan.lines.length} prices, ${off} off contract)`,
    });
  }

  /** With an interval, the next catalog one interval from now, unless one is already waiting (one at a time). */
  function scheduleCatalog(): void {
    if (catalogInterval <= 0) return;
    if (outbox.entries().some((e) => e.state === 'pending' && e.document.kind === '832')) return;
    addCatalog(Date.now() + catalogInterval);
  }
  store.transaction(scheduleCatalog);
  outbox.wake();

  /** Schedules an original PO's documents, each `delays` after the one before it. */
  function scheduleOrder(order: Order, from: number): void {
    let at = from + delays.poAck;
    outbox.add({ dueAt: at, document: { kind: '855', orderKey: order.key }, label: `855 for PO ${order.poNumber}` });
    order.shipments.forEach((shipment, i) => {
      at += shipment.backorder || shipment.balance ? delays.backorder : delays.shipNotice;
      outbox.add({ dueAt: at, document: { kind: '856', orderKey: order.key, shipment: i }, label: `856 ${shipment.id} for PO ${order.poNumber}` });
      at += delays.invoice;
      outbox.add({ dueAt: at, document: { kind: '810', orderKey: order.key, shipment: i }, label: `810 ${shipment.invoiceNumber} for PO ${order.poNumber}` });
      // The credit memo does not hold up the next shipment: it comes when the supplier's billing gets to it.
      if (shipment.credit) {
        outbox.add({
          dueAt: at + delays.credit, document: { kind: '810', orderKey: order.key, shipment: i, credit: true },
          label: `810 credit memo ${shipment.credit.number} (invoice ${shipment.invoiceNumber}) for PO ${order.poNumber}`,
        });
      }
    });
  }

  /** An accepted 850: a new order, a cancellation of an open one, or a PO number already taken (no effect). */
  function apply(po: PurchaseOrder, h: IsaHeader, groupCode: string, groupVersion: string, receivedAt: number): void {
    const key = `${h.senderQualifier}:${h.senderId}:${po.poNumber}`;
    const existing = orderOf(key);
    const source = `${h.senderId} interchange ${h.controlNumber}`;
    if (po.purpose === '01') {
      if (!existing) return log(`supplier: cancellation of unknown PO ${po.poNumber} (${source}) ignored`);
      if (existing.cancelledAt !== null) return;
      // What has not left yet is cancelled: the shipments whose 856 is not written, with their 810 and credit memo
      // (and the 855 if it is not written either). Goods already shipped are still invoiced (and credited).
      const open = existing.shipments.flatMap((s, i) => (s.shippedOn === null ? [i] : []));
      if (existing.shipments.length > 0 && open.length === 0) {
        return log(`supplier: PO ${po.poNumber} has shipped; its cancellation (${source}) comes too late`);
      }
      outbox.cancel((e) => orderKeyOf(e.document) === key && (e.document.kind === '855' || ('shipment' in e.document && open.includes(e.document.shipment))));
      existing.cancelledAt = new Date(receivedAt).toISOString();
      store.put('orders', key, existing);
      const cancelled = open.map((i) => shipmentOf(existing, i).id);
      store.append({ id: `${existing.salesOrder}-C`, kind: 'cancel', idempotencyKey: source, body: { poNumber: po.poNumber, shipments: cancelled } });
      if (open.length < existing.shipments.length) log(`supplier: PO ${po.poNumber} cancelled (${source}) after a partial shipment: ${cancelled.join(', ')} will not ship`);
      return;
    }
    if (existing) return log(`supplier: PO ${po.poNumber} was already received; the 850 in ${source} is a duplicate and has no effect`);
    const plan = planOrder(po, `${h.senderQualifier}:${h.senderId}`, { seed, rates, catalog, nextId: (prefix) => store.nextId(prefix) });
    const order: Order = {
      key, poNumber: po.poNumber, poDate: po.poDate, poType: po.type, currency: po.currency,
      buyer: { qualifier: h.senderQualifier, id: h.senderId, groupCode },
      versions: { interchange: h.version, group: groupVersion }, usage: h.usage, interchange: h.controlNumber,
      receivedAt: new Date(receivedAt).toISOString(), salesOrder: store.nextId('SO'), parties: po.parties,
      ...plan, acknowledged: false, cancelledAt: null,
    };
    store.put('orders', key, order);
    store.append({ id: order.salesOrder, kind: 'order', idempotencyKey: source, body: { poNumber: po.poNumber, ackType: order.ackType, lines: order.lines.length } });
    scheduleOrder(order, receivedAt + delays.ack);
  }

  /** Takes one interchange: its functional acks and its orders join the outbox, in the caller's transaction. */
  function take(interchange: X12Interchange, receivedAt: number): void {
    const h = interchange.header;
    const partner: Partner = { qualifier: h.senderQualifier, id: h.senderId, groupCode: '', interchangeVersion: h.version, usage: h.usage };
    for (const group of interchange.groups) {
      const verdicts = group.sets.map((set) => ({ set, verdict: group.functionalId === 'PO' ? readPurchaseOrder(set) : undefined }));
      const sets: SetAck[] = verdicts.map(({ set, verdict }) => ({
        id: set.id, controlNumber: set.controlNumber, implementationRef: set.implementationRef,
        // A group other than PO holds nothing this supplier takes: each of its sets is "not supported" (1).
        code: verdict === undefined ? '1' : verdict.ok ? '' : verdict.code,
        errors: verdict && !verdict.ok ? verdict.errors : [],
      }));
      const ack: GroupAck = { functionalId: group.functionalId, controlNumber: group.controlNumber, version: group.version, sets };
      outbox.add({
        dueAt: receivedAt + delays.ack,
        document: { kind: 'functional-ack', ack, partner: { ...partner, groupCode: group.senderCode } },
        label: `${is5010(group.version) ? '999' : '997'} for ${group.functionalId} group ${group.controlNumber} of ${h.senderId} interchange ${h.controlNumber}`,
      });
      for (const { verdict } of verdicts) if (verdict?.ok) apply(verdict.po, h, group.senderCode, group.version, receivedAt);
    }
  }

  /** POST /x12: 202 once taken (with a TA1 when ISA14 asks for one), 400 + TA1 when the envelope is broken. */
  function receive(text: string): { status: number; body: string } {
    let interchange: X12Interchange;
    try {
      interchange = parseInterchange(text);
      if (interchange.header.receiverId !== us.id) {
        throw new X12EnvelopeError('009', `ISA08 "${interchange.header.receiverId}" is not this supplier (${us.id})`, interchange.header);
      }
    } catch (err) {
      if (!(err instanceof X12EnvelopeError)) throw err;
      log(`supplier: refused an interchange (TA1 ${err.code}): ${err.message}`);
      return store.transaction(() => ({ status: 400, body: ta1(err.header, 'R', err.code) }));
    }
    const h = interchange.header;
    // Idempotent by sender and ISA13: a resent interchange gets the same answer and changes nothing.
    const scope = `x12 ${h.senderQualifier}:${h.senderId}:${h.controlNumber}`;
    const stored = store.recalled(scope);
    if (stored) return { status: stored.status, body: String(stored.body) };
    const answer = store.transaction(() => {
      take(interchange, Date.now());
      const reply = { status: 202, body: h.ackRequested ? ta1(h, 'A', '000') : '' };
      store.remember(scope, reply);
      return reply;
    });
    outbox.wake();
    return answer;
  }

  app.addContentTypeParser([X12_CONTENT_TYPE, 'application/edi', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post('/x12', async (req, reply) => {
    if (typeof req.body !== 'string') throw badRequest(`send the interchange as ${X12_CONTENT_TYPE}`);
    const answer = receive(req.body);
    await store.durable();
    return reply.code(answer.status).type(X12_CONTENT_TYPE).send(answer.body);
  });

  /** The orders (with that PO number), each with its documents and what became of each line. */
  function ordersView(poNumber: string | undefined) {
    const orders = store.all<Order>('orders').filter((o) => poNumber === undefined || o.poNumber === poNumber).map(upgradeOrder);
    const entries = new Map<string, OutboxEntry[]>();
    for (const e of outbox.entries()) {
      const key = orderKeyOf(e.document);
      if (key !== undefined) entries.set(key, [...(entries.get(key) ?? []), e]);
    }
    return orders.map((o) => orderView(o, entries.get(o.key) ?? []));
  }
  app.get('/orders', async (req) => ({ data: ordersView((req.query as { poNumber?: string }).poNumber) }));
  app.get('/orders/:poNumber', async (req) => {
    const { poNumber } = req.params as { poNumber: string };
    const found = ordersView(poNumber);
    if (found.length === 0) throw notFound(`no order with PO number ${poNumber}`);
    if (found.length > 1) throw new SimError(409, `${found.length} buyers sent PO number ${poNumber}: see GET /orders?poNumber=${poNumber}`);
    return found[0];
  });
  app.get('/outbox', async () => ({ data: outbox.entries().map((e) => ({ ...entrySummary(e), text: e.text })) }));
  app.get('/healthz', async () => {
    const states = outbox.entries().reduce<Record<string, number>>((n, e) => ({ ...n, [e.state]: (n[e.state] ?? 0) + 1 }), {});
    return { status: 'ok', sim: 'supplier', partner: us, hubConnected: outbox.connected, outbox: states };
  });
  // Control plane: point the outbox at the hub from outside the process (a hub started after the simulators).
  app.post('/_sim/hub', async (req) => {
    const body = (req.body ?? {}) as { url?: unknown; token?: unknown };
    if (typeof body.url !== 'string' || typeof body.token !== 'string') throw badRequest('body must be { "url": "<hub X12 URL>", "token": "<bearer token>" }');
    outbox.connect(body.url, body.token);
    return { connected: true, url: body.url };
  });
  // Control plane: a price catalog now, besides (or without) the interval's.
  app.post('/_sim/catalog', async (_req, reply) => {
    const entry = store.transaction(() => addCatalog(Date.now()));
    if (!entry) throw badRequest('the supplier was started without a network: it has no items to price');
    await store.durable();
    outbox.wake();
    return reply.code(201).send({ id: entry.id, label: entry.label, catalog: entry.document.kind === '832' ? entry.document.plan : null });
  });

  return { app, store, outbox, connect: (url, token) => outbox.connect(url, token) };
}

/** Where a document stands: its outbox entry's state (pending, sent, rejected by the hub, cancelled). */
type DocState = OutboxEntry['state'];

function orderView(o: Order, entries: OutboxEntry[]) {
  const stateOf = (kind: '856' | '810', shipment: number, credit = false): DocState | undefined => entries.find((e) => {
    const d = e.document;
    return d.kind === kind && d.shipment === shipment && (d.kind === '856' || Boolean(d.credit) === credit);
  })?.state;
  const amount = (quantity: number, price: string) => new Big(price).times(quantity);
  return {
    poNumber: o.poNumber, poDate: o.poDate, buyer: o.buyer, state: orderState(o), receivedAt: o.receivedAt, cancelledAt: o.cancelledAt,
    salesOrder: o.salesOrder, ackType: o.ackType, currency: o.currency,
    lines: o.lines.map((l, index) => {
      // Each document that carried this line: the 856s and 810s of its shipments, and any credit memo.
      const documents = o.shipments.flatMap((s, i) => {
        const shipped = s.units.filter((u) => u.index === index).reduce((n, u) => n + u.quantity, 0);
        const billed = s.invoice.find((b) => b.index === index);
        const credit = s.credit?.lines.find((c) => c.index === index);
        if (!billed) return [];
        return [
          { document: '856', id: s.id, state: stateOf('856', i), quantity: shipped },
          {
            document: '810', id: s.invoiceNumber, state: stateOf('810', i), quantity: billed.quantity, unitPrice: billed.unitPrice,
            amount: amount(billed.quantity, billed.unitPrice).toFixed(2), variance: billed.variance,
          },
          ...(credit && s.credit ? [{
            document: '810 CR', id: s.credit.number, state: stateOf('810', i, true), quantity: credit.quantity, unitPrice: credit.unitPrice,
            amount: amount(credit.quantity, credit.unitPrice).toFixed(2), reason: credit.reason,
          }] : []),
        ];
      });
      const sent = (kind: string) => documents.filter((d) => d.document === kind && d.state === 'sent');
      const sum = (docs: { quantity: number; amount?: string }[]) => ({
        quantity: docs.reduce((n, d) => n + d.quantity, 0), amount: docs.reduce((n, d) => n.plus(d.amount ?? 0), new Big(0)).toFixed(2),
      });
      const invoiced = sum(sent('810'));
      const credited = sum(sent('810 CR'));
      return {
        line: l.line, quantity: l.quantity, uom: l.uom, unitPrice: l.unitPrice, status: l.status, ackQuantity: l.ackQuantity, ackPrice: l.ackPrice,
        expectedDate: l.expectedDate, productIds: l.productIds, description: l.description,
        // What the hub has taken so far: documents it acknowledged as accepted (their state `sent`).
        shipped: sum(sent('856')).quantity, invoiced, credited, netAmount: new Big(invoiced.amount).minus(credited.amount).toFixed(2),
        documents,
      };
    }),
    shipments: o.shipments,
    documents: entries.map(entrySummary),
  };
}

function entrySummary(e: OutboxEntry) {
  const kind = e.document.kind === 'functional-ack' ? (is5010(e.document.ack.version) ? '999' : '997') : e.document.kind;
  return {
    id: e.id, document: kind, label: e.label, state: e.state, controlNumber: e.controlNumber, dueAt: new Date(e.dueAt).toISOString(),
    attempts: e.attempts, lastError: e.lastError, sentAt: e.sentAt, answer: e.answer,
  };
}

export type SupplierHandle = SimHandle & { connect(hubX12Url: string, token: string): void };

export async function startSupplier(options: SimStartOptions & Omit<SupplierOptions, 'store' | 'seed'> = {}): Promise<SupplierHandle> {
  const store = new SimStore(options.stateFile);
  const sim = createSupplierSim({ ...options, store });
  const handle = await serve('supplier', sim.app, store, options).catch(async (err: unknown) => {
    await sim.outbox.close();
    throw err;
  });
  return {
    ...handle,
    connect: sim.connect,
    close: async () => {
      await sim.outbox.close();
      await handle.close();
    },
  };
}
