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
import { HCPCS_SYSTEM, TENDON } from './types.ts';

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

/** A charge.post delivery → a billable ChargeItem. priceOverride is the total (R4): unit price × quantity. */
export function encodeChargeItem(body: Record<string, unknown>, ctx: ChargeItemContext): Encoded<ChargeItem> {
  const serviceDate = required(body, 'serviceDate', 'ChargeItem');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(serviceDate)) throw new EncodeError('serviceDate is not a YYYY-MM-DD date');
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
  const performer = optional(body.performer);
  const facility = optional(body.facilityId);
  const resource: ChargeItem = {
    resourceType: 'ChargeItem',
    ...product(body),
    ...(facility ? { extension: [{ url: TENDON.facilityExtension, valueCode: facility }] } : {}),
    identifier: identifier(ctx),
    status: 'billable',
    code: {
      coding: [
        { ...(ctx.chargeCodeSystem ? { system: ctx.chargeCodeSystem } : {}), code: required(body, 'chargeCode', 'ChargeItem') },
        ...(hcpcs ? [billingCoding(hcpcs)] : []),
      ],
    },
    subject: subject(ctx.patient),
    occurrenceDateTime: serviceDate,
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
