// Outbound HL7 to billing: a charge (or credit) delivery → DFT^P03, and the billing system's ACK → its outcome.
// MSH-10 is the delivery's idempotency key, the same on every retry, so a billing system that remembers control
// ids never posts a charge twice. Pure: the MRN (when billing may see it) and the time come in.
import Big from 'big.js';
import { Hl7Message, Hl7Segment } from '@medplum/core';
import type { Delivery } from '../../core/types.ts';
import { EncodeError } from '../rest/codec.ts';
import { DEFAULT_CONTEXT, escapeHl7, hl7DateTime, text } from './fields.ts';
import { parseMessage, splitBatch } from './decode.ts';

export interface ChargeDftContext {
  controlId: string;
  now: string; // ISO 8601 with offset
  sendingApplication: string;
  sendingFacility: string;
  receivingApplication: string;
  receivingFacility: string;
  /** The patient's MRN in clear, only for a destination allowed to receive PHI; else PID-3 carries the token. */
  mrn: string | null;
}

/** FT1-41 revenue code exists from v2.7 on. */
export const OUTBOUND_VERSION = '2.7';

/** A value as one escaped HL7 field (empty for null or undefined). */
export const e = (value: unknown) => (value === undefined || value === null ? '' : escapeHl7(String(value), DEFAULT_CONTEXT));
/** Components joined with ^, trailing empty ones dropped. */
export const joined = (...components: string[]) => {
  while (components.length > 1 && components.at(-1) === '') components.pop();
  return components.join('^');
};

function required(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (value === undefined || value === null || value === '') throw new EncodeError(`a charge DFT needs ${key}`);
  return String(value);
}

/** Segment fields by HL7 number (1-based), gaps left empty. Values are already escaped and composed. */
export function segment(name: string, fields: Record<number, string>): Hl7Segment {
  const last = Math.max(0, ...Object.keys(fields).map(Number));
  const list = Array.from({ length: last }, (_, i) => fields[i + 1] ?? '');
  return new Hl7Segment([name, ...list], DEFAULT_CONTEXT);
}

export function encodeChargeDft(delivery: Pick<Delivery, 'action' | 'body'>, ctx: ChargeDftContext): string {
  const credit = delivery.action === 'charge.credit';
  if (!credit && delivery.action !== 'charge.post') throw new EncodeError(`the HL7 billing codec has no mapping for ${delivery.action}`);
  const b = delivery.body;
  const serviceDate = required(b, 'serviceDate');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(serviceDate)) throw new EncodeError('serviceDate is not a YYYY-MM-DD date');
  const quantity = Number(required(b, 'quantity'));
  if (!Number.isFinite(quantity) || quantity <= 0) throw new EncodeError('quantity must be a positive number');
  const token = (b.patient as { token?: unknown } | null | undefined)?.token;
  // CX: id^^^assigning authority^type. A token is Tendon's pseudonym for the patient, typed ANON (table 0203).
  const patientId = ctx.mrn
    ? joined(e(ctx.mrn), '', '', '', 'MR')
    : typeof token === 'string' ? joined(e(token), '', '', 'TENDON', 'ANON') : '';
  const unitPrice = credit || b.unitPrice == null ? undefined : String(b.unitPrice);
  let extended = '';
  try {
    extended = unitPrice === undefined ? '' : new Big(unitPrice).times(quantity).toFixed(2);
  } catch {
    throw new EncodeError('unitPrice is not a decimal amount');
  }
  const currency = typeof b.currency === 'string' ? b.currency : 'USD';
  const now = hl7DateTime(ctx.now);

  const segments = [
    msh(ctx, 'DFT^P03^DFT_P03'),
    segment('EVN', { 2: now }),
    segment('PID', { 1: '1', 3: patientId, 18: e(required(b, 'account')) }),
    segment('FT1', {
      1: '1',
      2: e(ctx.controlId), // transaction id: lets billing match a credit or a query to this post
      4: serviceDate.replaceAll('-', ''),
      6: credit ? 'CD' : 'CG',
      7: e(required(b, 'chargeCode')),
      10: String(quantity),
      11: extended && `${extended}&${e(currency)}`, // CP: price (MO: amount&currency), quantity × unit price
      12: unitPrice === undefined ? '' : `${e(unitPrice)}&${e(currency)}`,
      20: e(b.performer),
      25: e(b.hcpcs),
      34: e(b.itemId),
      41: e(b.revenueCode),
    }),
  ];
  // FT1 has no field for lot or serial; billing needs them for implant claims, so they travel in Tendon's ZQD
  // (serial, lot, expiry: the same layout the inbound default reads).
  if (b.lot || b.serial || b.expiry) {
    segments.push(segment('ZQD', { 1: e(b.serial), 2: e(b.lot), 3: typeof b.expiry === 'string' ? b.expiry.replaceAll('-', '') : '' }));
  }
  return new Hl7Message(segments, DEFAULT_CONTEXT).toString() + '\r';
}

/** The header every outbound message starts with; MSH-10 is the delivery's idempotency key. */
export type OutboundHeader = Pick<ChargeDftContext, 'controlId' | 'now' | 'sendingApplication' | 'sendingFacility' | 'receivingApplication' | 'receivingFacility'>;
export function msh(ctx: OutboundHeader, messageType: string): Hl7Segment {
  return new Hl7Segment([
    'MSH', DEFAULT_CONTEXT.getMsh2(), e(ctx.sendingApplication), e(ctx.sendingFacility), e(ctx.receivingApplication),
    e(ctx.receivingFacility), hl7DateTime(ctx.now), '', messageType, e(ctx.controlId), 'P', OUTBOUND_VERSION,
  ], DEFAULT_CONTEXT);
}

export type AckResultCode = 'AA' | 'AE' | 'AR' | 'CA' | 'CE' | 'CR';
export interface AckResult {
  code: AckResultCode | null;
  controlId: string | null;
  reason: string | null;
}

const ACK_CODES = new Set<string>(['AA', 'AE', 'AR', 'CA', 'CE', 'CR']);

/** Reads a billing system's answer: MSA-1 code, MSA-2 the control id it answers, and why (ERR or MSA-3). */
export function parseAckResult(ack: string): AckResult {
  try {
    const first = splitBatch(String(ack))[0];
    const message = first === undefined ? null : parseMessage(first);
    const msa = message?.getSegment('MSA');
    if (!message || !msa) return { code: null, controlId: null, reason: null };
    const code = (text(msa, 1) ?? '').toUpperCase();
    const err = message.getSegment('ERR');
    // ERR-8 user message, ERR-3 text then code (v2.5+), ERR-1 code text (before v2.5), MSA-3 text
    const reason = text(err, 8) ?? text(err, 3, 2) ?? text(err, 3, 1) ?? text(err, 1, 4, 0, 1) ?? text(msa, 3) ?? null;
    return { code: ACK_CODES.has(code) ? (code as AckResultCode) : null, controlId: text(msa, 2) ?? null, reason };
  } catch {
    return { code: null, controlId: null, reason: null };
  }
}
