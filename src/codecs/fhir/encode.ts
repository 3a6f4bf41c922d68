// Outbound FHIR: a delivery's body → the resource to POST, with the If-None-Exist query that makes it a
// conditional create. The identifier is the delivery's idempotency key (system urn:tendon:delivery), the same on
// every attempt, so a retry after a lost answer finds the first resource instead of making a second one. Pure:
// the MRN (only for a destination allowed PHI), the key and the time come in. A body that cannot be encoded
// throws EncodeError, and the delivery goes dead rather than sending something wrong.
//
// The server's answer is read like the HTTP channel reads any answer: success; rejected (it refused this content
// for a reason a person must look at: an exception); or retryable (technical: the same identifier makes the retry
// safe). The reason is the OperationOutcome's own words, so the exception says what the destination said.
import Big from 'big.js';
import type { AttemptOutcome } from '../../core/types.ts';
import { EncodeError } from '../rest/codec.ts';
import type { ChargeItem, CodeableConcept, Coding, Device, OperationOutcomeIssue, Reference, SupplyRequest } from './r4.ts';
import { GTIN_SYSTEM, HCPCS_SYSTEM, REVENUE_CODE_SYSTEM, TENDON } from './types.ts';

export interface FhirEncodeContext {
  /** The delivery's idempotency key: the resource's identifier, and its conditional-create query. */
  idempotencyKey: string;
  now: string; // ISO 8601 with offset
}

export interface ChargeItemContext extends FhirEncodeContext {
  /** The MRN in clear only for a destination allowed PHI; otherwise Tendon's token for the patient. */
  patient: { mrn: string } | { token: string };
  /** The code system of the hospital's chargemaster, when billing wants one; its codes are local otherwise. */
  chargeCodeSystem?: string | undefined;
}

export interface Encoded<R> {
  resource: R;
  /** For the If-None-Exist header (or Bundle.entry.request.ifNoneExist): `identifier=urn:tendon:delivery|<key>`. */
  ifNoneExist: string;
}

const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';

function required(body: Record<string, unknown>, key: string, what: string): string {
  const value = body[key];
  if (value === undefined || value === null || String(value).trim() === '') throw new EncodeError(`a FHIR ${what} needs ${key}`);
  return String(value);
}

function positive(body: Record<string, unknown>, what: string): number {
  const quantity = Number(required(body, 'quantity', what));
  if (!Number.isFinite(quantity) || quantity <= 0) throw new EncodeError('quantity must be a positive number');
  return quantity;
}

const optional = (v: unknown): string | undefined => (v === undefined || v === null || String(v).trim() === '' ? undefined : String(v));

/** FHIR search escaping (`\`, `|`, `,`, `$`) then URL encoding, keeping the characters a query may hold as they are. */
export function ifNoneExist(system: string, value: string): string {
  const escaped = value.replace(/[\\|,$]/g, (c) => `\\${c}`);
  return `identifier=${system}|${encodeURIComponent(escaped).replace(/%3A/g, ':').replace(/%2F/g, '/').replace(/%40/g, '@')}`;
}

const identifier = (ctx: FhirEncodeContext) => [{ system: TENDON.delivery, value: ctx.idempotencyKey }];
const item = (itemId: string): CodeableConcept => ({ coding: [{ system: TENDON.item, code: itemId }] });

/** CPT (level I: four digits and a digit, F or T) and HCPCS level II (a letter and four digits) are different systems. */
const billingCoding = (code: string): Coding =>
  /^\d{4}[0-9FT]$/.test(code) ? { system: 'http://www.ama-assn.org/go/cpt', code } : { system: HCPCS_SYSTEM, code };

function subject(patient: ChargeItemContext['patient']): Reference {
  if ('mrn' in patient && patient.mrn) {
    return { type: 'Patient', identifier: { type: { coding: [{ system: V2_0203, code: 'MR' }] }, value: patient.mrn } };
  }
  if ('token' in patient && patient.token) return { type: 'Patient', identifier: { system: TENDON.patientToken, value: patient.token } };
  throw new EncodeError('a ChargeItem needs its patient (an MRN, or Tendon\'s token)');
}

/** The used item as a contained Device when it carries lot, serial or expiry (a ChargeItem has no field for them). */
function product(b: Record<string, unknown>): Pick<ChargeItem, 'contained' | 'productReference' | 'productCodeableConcept'> {
  const itemId = optional(b.itemId);
  const [lot, serial, expiry] = [optional(b.lot), optional(b.serial), optional(b.expiry)];
  if (!lot && !serial && !expiry) return itemId ? { productCodeableConcept: item(itemId) } : {};
  if (expiry && !/^\d{4}-\d{2}-\d{2}$/.test(expiry)) throw new EncodeError('expiry is not a YYYY-MM-DD date');
  const device: Device = {
    resourceType: 'Device',
    id: 'product',
    ...(lot ? { lotNumber: lot } : {}),
    ...(serial ? { serialNumber: serial } : {}),
    ...(expiry ? { expirationDate: expiry } : {}),
    ...(itemId ? { type: item(itemId) } : {}),
  };
  return { contained: [device], productReference: { reference: '#product' } };
}

/** What a charge and a credit share: billable, the delivery's identifier, who, where, when, and on which account. */
type ChargeItemBase = Pick<ChargeItem, 'resourceType' | 'extension' | 'identifier' | 'status' | 'code' | 'subject' | 'occurrenceDateTime'>;

function chargeItemBase(body: Record<string, unknown>, ctx: ChargeItemContext, extraCodings: Coding[]): ChargeItemBase {
  const serviceDate = required(body, 'serviceDate', 'ChargeItem');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(serviceDate)) throw new EncodeError('serviceDate is not a YYYY-MM-DD date');
  const facility = optional(body.facilityId);
  return {
    resourceType: 'ChargeItem',
    ...(facility ? { extension: [{ url: TENDON.facilityExtension, valueCode: facility }] } : {}),
    identifier: identifier(ctx),
    status: 'billable',
    code: { coding: [{ ...(ctx.chargeCodeSystem ? { system: ctx.chargeCodeSystem } : {}), code: required(body, 'chargeCode', 'ChargeItem') }, ...extraCodings] },
    subject: subject(ctx.patient),
    occurrenceDateTime: serviceDate,
  };
}

/**
 * A charge.post delivery → a billable ChargeItem. priceOverride is the total (R4): unit price × quantity. The
 * revenue code and the HCPCS/CPT code travel as further codings of `code`: R4 ChargeItem has no element of its own
 * for either, and billing needs both for the claim line.
 */
export function encodeChargeItem(body: Record<string, unknown>, ctx: ChargeItemContext): Encoded<ChargeItem> {
  const quantity = positive(body, 'ChargeItem');
  const unitPrice = body.unitPrice && typeof body.unitPrice === 'object' ? (body.unitPrice as { amount?: unknown }).amount : body.unitPrice;
  const currency = optional((body.unitPrice as { currency?: unknown } | null)?.currency) ?? optional(body.currency) ?? 'USD';
  let total: number | undefined;
  try {
    total = unitPrice === undefined || unitPrice === null ? undefined : Number(new Big(String(unitPrice)).times(quantity).toString());
  } catch {
    throw new EncodeError('unitPrice is not a decimal amount');
  }
  const hcpcs = optional(body.hcpcs);
  const revenueCode = optional(body.revenueCode);
  const performer = optional(body.performer);
  const resource: ChargeItem = {
    ...chargeItemBase(body, ctx, [
      ...(hcpcs ? [billingCoding(hcpcs)] : []),
      ...(revenueCode ? [{ system: REVENUE_CODE_SYSTEM, code: revenueCode }] : []),
    ]),
    ...product(body),
    ...(performer ? { performer: [{ actor: { type: 'Practitioner', identifier: { value: performer } } }] } : {}),
    quantity: { value: quantity },
    ...(total === undefined ? {} : { priceOverride: { value: total, currency } }),
    enteredDate: ctx.now,
    account: [{ type: 'Account', identifier: { value: required(body, 'account', 'ChargeItem') } }],
  };
  return { resource, ifNoneExist: ifNoneExist(TENDON.delivery, ctx.idempotencyKey) };
}

// Tendon's emergency (a critical item at zero) is FHIR's stat; the others keep their names.
const PRIORITY: Record<string, SupplyRequest['priority']> = { routine: 'routine', urgent: 'urgent', emergency: 'stat' };

/** A requisition.create delivery → an active central-supply SupplyRequest to the par location. */
export function encodeSupplyRequest(body: Record<string, unknown>, ctx: FhirEncodeContext): Encoded<SupplyRequest> {
  const priority = PRIORITY[optional(body.priority) ?? 'routine'];
  if (!priority) throw new EncodeError(`priority ${String(body.priority)} has no FHIR request priority`);
  const resource: SupplyRequest = {
    resourceType: 'SupplyRequest',
    identifier: identifier(ctx),
    status: 'active',
    category: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/supply-kind', code: 'central' }] },
    priority,
    itemCodeableConcept: item(required(body, 'itemId', 'SupplyRequest')),
    quantity: { value: positive(body, 'SupplyRequest'), unit: required(body, 'uom', 'SupplyRequest') },
    authoredOn: ctx.now,
    deliverTo: { type: 'Location', identifier: { system: TENDON.location, value: required(body, 'locationId', 'SupplyRequest') } },
  };
  return { resource, ifNoneExist: ifNoneExist(TENDON.delivery, ctx.idempotencyKey) };
}

/**
 * A charge.credit delivery (a returned supply, a credited charge) → an offsetting ChargeItem: billable, with the
 * credited quantity negative. A credit is a new fact, not a correction: the charge was right when it was posted and
 * may already be on a claim, so it is not withdrawn; the offsetting line credits it, as HL7 v2's CD transaction
 * does (and as Oracle Health's ChargeItem $credit operation makes one). R4 puts no sign constraint on quantity.
 */
export function encodeChargeCredit(body: Record<string, unknown>, ctx: ChargeItemContext): Encoded<ChargeItem> {
  const quantity = positive(body, 'ChargeItem');
  const itemId = optional(body.itemId);
  const reason = optional(body.reason);
  const resource: ChargeItem = {
    ...chargeItemBase(body, ctx, []),
    quantity: { value: -quantity },
    enteredDate: ctx.now,
    ...(itemId ? { productCodeableConcept: item(itemId) } : {}),
    account: [{ type: 'Account', identifier: { value: required(body, 'account', 'ChargeItem') } }],
    ...(reason ? { note: [{ text: reason }] } : {}),
  };
  return { resource, ifNoneExist: ifNoneExist(TENDON.delivery, ctx.idempotencyKey) };
}

/**
 * A purchase-order.send delivery → one SupplyRequest per PO line: an R4 SupplyRequest orders a single item. Each
 * line's identifier is the delivery's key and the line number, so each line is its own conditional create and a
 * retry after a partial send creates only the lines still missing. The PO line, the supplier, its catalog number,
 * the GTIN and the unit price go where a supplier's system looks for them.
 */
export function encodePurchaseOrder(body: Record<string, unknown>, ctx: FhirEncodeContext): Encoded<SupplyRequest>[] {
  const poNumber = required(body, 'poNumber', 'purchase order');
  const priority = PRIORITY[optional(body.priority) ?? 'routine'];
  if (!priority) throw new EncodeError(`priority ${String(body.priority)} has no FHIR request priority`);
  const orderDate = required(body, 'orderDate', 'purchase order');
  if (!/^\d{4}-\d{2}-\d{2}/.test(orderDate)) throw new EncodeError('orderDate is not an ISO 8601 date');
  const currency = optional(body.currency) ?? 'USD';
  const shipTo = (body.shipTo ?? {}) as Record<string, unknown>;
  const facility = optional(body.facility);
  const lines = Array.isArray(body.lines) ? (body.lines as Record<string, unknown>[]) : [];
  if (lines.length === 0) throw new EncodeError('a purchase order needs at least one line');
  return lines.map((line) => {
    const number = required(line, 'line', 'purchase order line');
    const key = `${ctx.idempotencyKey}:${number}`;
    const [gtin, vendorItem, description, unitPrice] = [optional(line.gtin), optional(line.vendorItem), optional(line.description), optional(line.unitPrice)];
    if (unitPrice !== undefined && !/^-?\d+(\.\d+)?$/.test(unitPrice)) throw new EncodeError('unitPrice is not a decimal amount');
    const resource: SupplyRequest = {
      resourceType: 'SupplyRequest',
      ...(facility ? { extension: [{ url: TENDON.facilityExtension, valueCode: facility }] } : {}),
      identifier: [{ system: TENDON.delivery, value: key }, { system: TENDON.purchaseOrderLine, value: `${poNumber}:${number}` }],
      status: 'active',
      priority,
      itemCodeableConcept: {
        coding: [
          { system: TENDON.item, code: required(line, 'itemId', 'purchase order line') },
          ...(gtin ? [{ system: GTIN_SYSTEM, code: gtin }] : []),
          ...(vendorItem ? [{ system: TENDON.vendorItem, code: vendorItem }] : []),
        ],
        ...(description ? { text: description } : {}),
      },
      quantity: { value: positive(line, 'purchase order line'), unit: required(line, 'uom', 'purchase order line') },
      ...(unitPrice === undefined ? {} : {
        parameter: [{
          code: { coding: [{ system: TENDON.orderParameter, code: 'unit-price' }] },
          valueQuantity: { value: Number(unitPrice), unit: currency, system: 'urn:iso:std:iso:4217', code: currency },
        }],
      }),
      authoredOn: orderDate,
      supplier: [{ type: 'Organization', identifier: { system: TENDON.supplier, value: required(body, 'supplierId', 'purchase order') } }],
      deliverTo: { type: 'Location', identifier: { system: TENDON.location, value: required(shipTo, 'location', 'purchase order ship-to') } },
    };
    return { resource, ifNoneExist: ifNoneExist(TENDON.delivery, key) };
  });
}

/**
 * The same resource, withdrawn: what a reversal (after a reprocess) sends as a conditional update. The first
 * resource was made from data now known to be wrong, which is what FHIR's entered-in-error says ("should not be
 * processed for billing", for a ChargeItem); its identifier is unchanged, so the update finds it.
 */
export function enteredInError<R extends ChargeItem | SupplyRequest>(encoded: Encoded<R>): Encoded<R> {
  return { ...encoded, resource: { ...encoded.resource, status: 'entered-in-error' } };
}

export interface FhirAnswer {
  outcome: AttemptOutcome;
  reason: string | null;
  /** The created (or, on a conditional create, the existing) resource: `ChargeItem/123`. */
  remoteRef: string | null;
}

// 400 invalid, 409 conflict, 412 a conditional create matched several, 422 a business rule: resending cannot help.
const REJECTED = new Set([400, 409, 412, 422]);

function json(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** `https://ehr/fhir/ChargeItem/123/_history/2` → `ChargeItem/123`. */
function refFromLocation(location: string | undefined): string | null {
  const m = location?.match(/([A-Z][A-Za-z]+)\/([A-Za-z0-9.-]{1,64})(?:\/_history\/[^/?#]+)?\/?(?:[?#].*)?$/);
  return m ? `${m[1]}/${m[2]}` : null;
}

function refFromBody(body: unknown): string | null {
  const r = body as { resourceType?: unknown; id?: unknown } | null;
  if (!r || typeof r !== 'object' || typeof r.id !== 'string' || r.resourceType === 'OperationOutcome') return null;
  return typeof r.resourceType === 'string' ? `${r.resourceType}/${r.id}` : r.id;
}

/** The OperationOutcome's errors in its own words (diagnostics, else details), or the body's text. */
function reasonOf(status: number, body: unknown): string {
  const issues = (body as { resourceType?: unknown; issue?: unknown } | null)?.resourceType === 'OperationOutcome'
    ? ((body as { issue?: unknown }).issue as OperationOutcomeIssue[] | undefined) ?? []
    : [];
  const said = (Array.isArray(issues) ? issues : [])
    .filter((i) => i && (i.severity === 'error' || i.severity === 'fatal'))
    .map((i) => [i.diagnostics ?? i.details?.text ?? i.code, i.expression?.length ? `(${i.expression.join(', ')})` : ''].filter(Boolean).join(' '));
  const text = said.length ? said.join('; ') : typeof body === 'string' ? body.trim() : '';
  return `HTTP ${status}${text ? `: ${text.slice(0, 500)}` : ''}`;
}

export function readFhirAnswer(status: number, body: unknown, location?: string): FhirAnswer {
  const parsed = json(body);
  if (status >= 200 && status < 300) {
    return { outcome: 'success', reason: null, remoteRef: refFromLocation(location) ?? refFromBody(parsed) };
  }
  if (REJECTED.has(status)) return { outcome: 'rejected', reason: reasonOf(status, parsed), remoteRef: null };
  // 5xx, 429, 408, and 401/403/404 too: outages and configuration, for the integration team, never a business "no".
  return { outcome: 'retryable', reason: reasonOf(status, parsed), remoteRef: null };
}
