// Test support for the supplier simulator: 850s written by hand (any delimiters, 4010 or 5010, lines from the
// seeded catalogue) and a stand-in for the hub's X12 endpoint, written here from the X12 rules: it reads every
// document with node-x12's strict parser (which checks SE01, GE01 and IEA01 itself) and answers with a
// hand-written 997/999, so the sim's reader and writer are checked by an implementation that is not theirs.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { X12Parser } from 'node-x12';
import { buildNetwork } from '../network/build.ts';
import type { SupplierHandle } from './server.ts';
import type { LineRates } from './plan.ts';

export const network = buildNetwork(7);
export const FAST = { ack: 5, poAck: 5, shipNotice: 5, invoice: 5, backorder: 5, credit: 5 };
/** Every line accepted as ordered, shipped whole and billed right: tests raise the one rate whose path they play. */
export const PLAIN: LineRates = {
  priceChange: 0, quantityChange: 0, backorder: 0, reject: 0, partialShipment: 0, invoicePriceVariance: 0, invoiceQuantityVariance: 0,
};
export const QUICK_RETRY = { baseMs: 20, capMs: 100, timeoutMs: 2000 };

// ---------------------------------------------------------------------------------------------------------
// Writing test interchanges by hand

/** Element, component, repetition (ISA11 from 00501 on), segment terminator, and what follows it. */
export type Delims = { e: string; c: string; r: string; s: string; nl: string };
export const STAR: Delims = { e: '*', c: ':', r: '^', s: '~', nl: '\r\n' };

/** A fixed-width ISA: each element padded to its width, so the terminator lands at offset 105. */
export function isa(d: Delims, o: { from: string; to: string; control: string; version: string; ack?: boolean }): string {
  const f = [
    'ISA', '00', ' '.repeat(10), '00', ' '.repeat(10), 'ZZ', o.from.padEnd(15), 'ZZ', o.to.padEnd(15), '261121', '0930',
    o.version === '00501' ? d.r : 'U', o.version, o.control, o.ack ? '1' : '0', 'P', d.c,
  ];
  return f.join(d.e) + d.s + d.nl;
}

/** One interchange with one group of one set; SE01 counts ST and SE. */
export function interchange(d: Delims, o: { from: string; to: string; control: string; version: string; ack?: boolean }, gs: string[], st: string[], body: string[][]): string {
  const seg = (els: (string | number)[]) => els.join(d.e) + d.s + d.nl;
  const group = gs[5] as string;
  return isa(d, o) + seg(['GS', ...gs]) + seg(['ST', ...st]) + body.map(seg).join('') +
    seg(['SE', body.length + 2, st[1] as string]) + seg(['GE', 1, group]) + seg(['IEA', 1, o.control]);
}

export type PoSpec = { control: string; poNumber: string; version?: '4010' | '5010'; purpose?: '00' | '01'; ack?: boolean; delims?: Delims; to?: string; lines?: string[][] };

/** Order lines from the seeded catalogue, mixed: implants (serialised), sterile supplies (lot) and routine supplies. */
export function catalogueLines(count: number): string[][] {
  const prices = new Map(network.master['contract-prices'].filter((p) => p.effectiveTo === null).map((p) => [p.itemId, p.price]));
  const withGtin = (category: string) =>
    network.master.items.filter((it) => it.gtin && it.status === 'active' && network.profile.items[it.id]?.category === category);
  const [implants, sterile, routine] = [withGtin('implant'), withGtin('sterile'), withGtin('routine')];
  const mixed = Array.from({ length: 4 }, (_, k) => [implants[k], sterile[k], routine[k]]).flat();
  return mixed.slice(0, count).map((item, i) => {
    assert.ok(item?.gtin);
    const qty = item.implant ? 1 + (i % 2) : 2 + i;
    return ['PO1', String(i + 1), String(qty), item.uom, prices.get(item.id) as string, 'PE', 'VC', item.catalogNumber, 'UK', item.gtin, 'IN', item.id];
  });
}

export function po850(p: PoSpec): string {
  const v = p.version ?? '4010';
  const lines = p.lines ?? catalogueLines(12);
  const body: string[][] = [
    ['BEG', p.purpose ?? '00', 'SA', p.poNumber, '', '20261121'],
    ['CUR', 'BY', 'USD'],
    ['DTM', '002', '20261128'],
    ['N1', 'BY', 'RIVERSIDE GENERAL HOSPITAL', 'UL', '0614141000012'],
    ['N1', 'ST', 'RIVERSIDE GENERAL RECEIVING', 'UL', '0614141000029'],
    ['N1', 'BT', 'RIVERSIDE GENERAL AP', 'UL', '0614141000036'],
    ...lines.flatMap((l) => [l, ['PID', 'F', '', '', '', `ITEM ${l[11]}`]]),
    ['CTT', String(lines.length)],
  ];
  const version = v === '4010' ? '00401' : '00501';
  const gsVersion = v === '4010' ? '004010' : '005010';
  return interchange(p.delims ?? STAR, { from: 'TENDON', to: p.to ?? 'MEDSUPPLY', control: p.control, version, ack: p.ack },
    ['PO', 'TENDON', 'MEDSUPPLY', '20261121', '0930', String(Number(p.control)), 'X', gsVersion], ['850', '0001'], body);
}

// ---------------------------------------------------------------------------------------------------------
// The stand-in hub

export type Doc = {
  isa13: string;
  receiver: string;
  isaVersion: string;
  gs: string[];
  st: string[];
  /** Segments between ST and SE. */
  body: string[][];
  raw: string;
};
export const first = (doc: Doc, tag: string) => doc.body.find((s) => s[0] === tag) ?? [];
export const all = (doc: Doc, tag: string) => doc.body.filter((s) => s[0] === tag);

export type Hub = { url: string; docs: Doc[]; requests: { auth: string | undefined; type: string | undefined; raw: string; status: number }[]; server: Server; close(): Promise<void> };

/** Reads each document with node-x12 (strict) and answers 200 with a 997/999, after `unavailable` 503s. */
export async function startHub(o: { port?: number; unavailable?: number; reject?: boolean } = {}): Promise<Hub> {
  let unavailable = o.unavailable ?? 0;
  const hub: Hub = { url: '', docs: [], requests: [], server: createServer(), close: () => new Promise((r) => hub.server.close(() => r())) };
  hub.server.on('request', (req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const record = { auth: req.headers.authorization, type: req.headers['content-type'], raw, status: 503 };
      hub.requests.push(record);
      if (unavailable > 0) {
        unavailable--;
        res.writeHead(503, { 'retry-after': '0' }).end();
        return;
      }
      const parsed = new X12Parser(true).parse(raw) as any;
      const group = parsed.functionalGroups[0];
      const tx = group.transactions[0];
      const values = (s: any) => [s.tag, ...s.elements.map((e: any) => e.value)];
      const doc: Doc = {
        // node-x12 reads ISA13 as a number ("000000002" → "2"): pad it back to its nine digits.
        isa13: parsed.header.elements[12].value.padStart(9, '0'), receiver: parsed.header.elements[7].value.trim(), isaVersion: parsed.header.elements[11].value,
        gs: values(group.header).slice(1), st: values(tx.header).slice(1), body: tx.segments.map(values), raw,
      };
      hub.docs.push(doc);
      record.status = 200;
      res.writeHead(200, { 'content-type': 'application/edi-x12' }).end(functionalAck(doc, o.reject ?? false));
    });
  });
  await new Promise<void>((r) => hub.server.listen(o.port ?? 0, '127.0.0.1', () => r()));
  hub.url = `http://127.0.0.1:${(hub.server.address() as AddressInfo).port}/v1/x12/supplier`;
  return hub;
}

/** The hub's 997 (4010) or 999 (5010) for a received document, hand-written with `|` `^` and a newline terminator. */
export function functionalAck(doc: Doc, reject: boolean): string {
  const d: Delims = { e: '|', c: '^', r: '{', s: '\n', nl: '' };
  const v5 = (doc.gs[7] ?? '').startsWith('005010');
  const [code, setCode] = reject ? ['R', ['R', '5']] : ['A', ['A']];
  const body = v5
    ? [['AK1', doc.gs[0], doc.gs[5], doc.gs[7]], ['AK2', doc.st[0], doc.st[1]], ['IK5', ...setCode], ['AK9', code, '1', '1', reject ? '0' : '1']]
    : [['AK1', doc.gs[0], doc.gs[5]], ['AK2', doc.st[0], doc.st[1]], ['AK5', ...setCode], ['AK9', code, '1', '1', reject ? '0' : '1']];
  return interchange(d, { from: 'TENDON', to: 'MEDSUPPLY', control: '9' + doc.isa13.slice(1), version: doc.isaVersion },
    ['FA', 'TENDON', 'MEDSUPPLY', '20261121', '0931', doc.gs[5] as string, 'X', v5 ? '005010X231' : '004010'], [v5 ? '999' : '997', '0001', ...(v5 ? ['005010X231'] : [])], body as string[][]);
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

export async function postX12(sim: SupplierHandle, text: string): Promise<{ status: number; type: string | null; body: string }> {
  const res = await fetch(`${sim.url}/x12`, { method: 'POST', headers: { 'content-type': 'application/edi-x12' }, body: text });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export const getJson = async (sim: SupplierHandle, path: string): Promise<any> => (await fetch(`${sim.url}${path}`)).json();
/** Everything the supplier planned has been answered by the hub (or cancelled). */
export const settled = (sim: SupplierHandle) => waitFor('an empty outbox', async () => ((await getJson(sim, '/healthz')).outbox.pending ?? 0) === 0 || undefined);

/** A TA1 read by hand: the segment after the ISA, split on the ISA's element separator. */
export function ta1Of(text: string): string[] {
  const sep = text.charAt(3);
  const terminator = text.charAt(105);
  const segments = text.split(terminator).map((s) => s.trim());
  assert.equal(segments[0]?.slice(0, 3), 'ISA');
  return (segments.find((s) => s.startsWith('TA1')) ?? '').split(sep);
}

export const cents = (amount: string) => Math.round(Number(amount) * 100);
