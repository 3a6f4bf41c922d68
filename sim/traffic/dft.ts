// The EHR's perioperative supply interface (Epic OpTime style): what the generator documents in `ehr-optime`
// for a surgical case goes out as one DFT^P03 with one FT1 per item, lot/serial/expiry in a ZQD after each
// traceable item and the par location in a ZPA before the first FT1. Pure: events in, message text out.
// Scanner and cabinet events are other systems and stay JSON.
import { buildMessage, hl7Time, mshSegment, segment, type Hl7Field } from '../common/hl7.ts';
import type { ChargemasterLine, Item, Network } from '../network/types.ts';
import type { CanonicalEvent } from './events.ts';

export type DftLine = {
  /** CG: used and charged; CD: returned (credit). */
  transactionType: 'CG' | 'CD';
  /** ISO 8601 with the facility's offset. */
  occurredAt: string;
  itemId: string;
  description: string | null;
  /** The item's chargemaster code, when it has one. */
  chargeCode: string | null;
  quantity: number;
  location: string;
  lot: string | null;
  serial: string | null;
  /** YYYY-MM-DD. */
  expiry: string | null;
  /** An implant: its ZQD is written even when the lot and serial are missing (bad data). */
  implant: boolean;
  /** Why it was returned (FT1-8, credits only). */
  reason: string | null;
};

export type DftCase = {
  /** MSH-10: the case id (a return: `<case id>-R<line>`), so a re-sent case keeps its control id. */
  controlId: string;
  facility: string;
  caseId: string;
  mrn: string | null;
  encounter: string | null;
  procedureCode: string | null;
  surgeon: { npi: string; family: string; given: string } | null;
  /** The case's par location (ZPA before the first FT1); a line elsewhere gets its own ZPA. */
  location: string;
  lines: DftLine[];
};

/** A case as a DFT^P03 message (segments ended by CR). */
export function caseToDft(c: DftCase): string {
  const last = c.lines.reduce((t, l) => (Date.parse(l.occurredAt) > Date.parse(t) ? l.occurredAt : t), c.lines[0]?.occurredAt ?? '');
  const time = hl7Time(last);
  const surgeon: Hl7Field = c.surgeon ? [c.surgeon.npi, c.surgeon.family, c.surgeon.given] : null;
  const segments = [
    mshSegment({
      sendingApplication: 'OPTIME',
      sendingFacility: c.facility,
      receivingApplication: 'TENDON',
      receivingFacility: 'TENDON',
      time,
      messageType: ['DFT', 'P03', 'DFT_P03'],
      controlId: c.controlId,
    }),
    segment('EVN', ['P03', time]),
    // PID-3 CX: id^^^assigning authority^identifier type; PID-18 the patient account (the encounter).
    segment('PID', at({ 1: '1', 3: c.mrn === null ? null : [c.mrn, null, null, 'HOSP', 'MR'], 18: c.encounter })),
    segment('PV1', at({ 1: '1', 2: 'O', 3: [c.location, null, null, c.facility], 19: c.caseId })),
    segment('ZPA', [c.location]),
  ];
  c.lines.forEach((l, i) => {
    segments.push(
      segment('FT1', at({
        1: String(i + 1),
        4: hl7Time(l.occurredAt),
        6: l.transactionType,
        7: l.chargeCode,
        8: l.transactionType === 'CD' ? l.reason : null,
        10: l.quantity,
        20: surgeon,
        23: c.caseId,
        25: c.procedureCode,
        34: [l.itemId, l.description, 'erp'],
      })),
    );
    if (l.implant || l.lot !== null || l.serial !== null || l.expiry !== null) {
      segments.push(segment('ZQD', [l.serial, l.lot, l.expiry?.replaceAll('-', '') ?? null]));
    }
    if (l.location !== c.location) segments.push(segment('ZPA', [l.location]));
  });
  return buildMessage(segments);
}

/** Fields by HL7 number → the positional array `segment` takes. */
function at(fields: Record<number, Hl7Field>): Hl7Field[] {
  const last = Math.max(0, ...Object.keys(fields).map(Number));
  return Array.from({ length: last }, (_, i) => fields[i + 1] ?? null);
}

type Lookups = { items: Map<string, Item>; cdm: Map<string, ChargemasterLine>; locations: Set<string> };
const lookups = new WeakMap<Network, Lookups>();
function lookupsOf(network: Network): Lookups {
  let l = lookups.get(network);
  if (!l) {
    l = {
      items: new Map(network.master.items.map((i) => [i.id, i])),
      cdm: new Map(network.master.chargemaster.map((c) => [c.itemId, c])),
      locations: new Set(network.master.locations.map((x) => x.id)),
    };
    lookups.set(network, l);
  }
  return l;
}

/** What OpTime documents: a surgical case's uses (and their returns) recorded in `ehr-optime`. */
export const isEhrDocumented = (e: CanonicalEvent): boolean =>
  e.source.system === 'ehr-optime' && e.correlationId !== undefined && (e.type === 'supply.used' || e.type === 'supply.returned');

/**
 * Splits one scenario of the generator: its ehr-optime uses become one DftCase, each ehr-optime return its own
 * (one CD line), everything else stays JSON for POST /v1/events.
 */
export function splitForHl7(events: CanonicalEvent[], network: Network): { json: CanonicalEvent[]; cases: DftCase[] } {
  const json: CanonicalEvent[] = [];
  const uses = new Map<string, CanonicalEvent[]>();
  const cases: DftCase[] = [];
  for (const e of events) {
    if (!isEhrDocumented(e)) json.push(e);
    else if (e.type === 'supply.used') uses.set(e.correlationId as string, [...(uses.get(e.correlationId as string) ?? []), e]);
    else {
      const line = /:(\d+):return$/.exec(e.idempotencyKey)?.[1] ?? '1';
      cases.push(toDftCase([e], network, `${e.correlationId}-R${line}`));
    }
  }
  for (const [caseId, lines] of uses) cases.push(toDftCase(lines, network, caseId));
  return { json, cases };
}

/** The DftCase of one case's ehr-optime events (all of one case, one patient). */
export function toDftCase(events: CanonicalEvent[], network: Network, controlId: string): DftCase {
  const { items, cdm, locations } = lookupsOf(network);
  const first = events[0];
  if (!first) throw new Error('a case needs at least one event');
  const p = first.payload;
  const located = events.map((e) => String(e.payload.location));
  // Bad data may have moved a line to an unknown location: the case's own is the first one the ERP knows.
  const location = located.find((l) => locations.has(l)) ?? located[0] ?? '';
  const surgeon = p.surgeon as { id: string; name: string } | undefined;
  const names = (surgeon?.name ?? '').replace(/^Dr\.?\s+/, '').split(/\s+/).filter((n) => n !== '');
  return {
    controlId,
    facility: first.facility,
    caseId: String(p.caseId ?? first.correlationId),
    mrn: (p.patient as { identifier?: string } | undefined)?.identifier ?? null,
    encounter: (p.encounter as string | undefined) ?? null,
    procedureCode: (p.procedureCode as string | undefined) ?? null,
    surgeon: surgeon ? { npi: surgeon.id, family: names.at(-1) ?? '', given: names.slice(0, -1).join(' ') } : null,
    location,
    lines: events.map((e) => {
      const ref = e.payload.item as { code?: string };
      const itemId = ref.code ?? '';
      const item = items.get(itemId);
      const text = (key: string) => (typeof e.payload[key] === 'string' ? (e.payload[key] as string) : null);
      return {
        transactionType: e.type === 'supply.returned' ? 'CD' : 'CG',
        occurredAt: e.occurredAt,
        itemId,
        description: item?.description ?? null,
        chargeCode: cdm.get(itemId)?.chargeCode ?? null,
        quantity: (e.payload.quantity as { value: number }).value,
        location: String(e.payload.location),
        lot: text('lot'),
        serial: text('serial'),
        expiry: text('expiry'),
        implant: item?.implant ?? false,
        reason: text('reason'),
      };
    }),
  };
}
