// The FHIR R4 codec's vocabulary: how one sender's resources are read (options), what decoding gives back (events,
// or an OperationOutcome and the HTTP status to answer with), and the code systems Tendon recognises by URI.
import type { ChargeItem, OperationOutcome, OperationOutcomeIssue, SupplyDelivery, SupplyRequest } from './r4.ts';
import type { InboundEventT } from '../../model/events.ts';

/** The resources Tendon turns into events. Anything else that is valid R4 is answered 422 not-supported. */
export type SupportedResource = SupplyDelivery | SupplyRequest | ChargeItem;
export const SUPPORTED_TYPES = ['SupplyDelivery', 'SupplyRequest', 'ChargeItem'] as const;

export interface FhirDecodeOptions {
  /** The facility of resources that name none (a channel per hospital sets it). */
  defaultFacility?: string | undefined;
  /** Overrides every other facility rule: a channel that knows better (one endpoint per hospital, a lookup). */
  facilityOf?: ((resource: SupportedResource) => string | undefined) | undefined;
  /** Tendon's name for the sending system: it scopes item codes sent without a system, and every idempotency key. */
  sourceSystem: string;
}

/** Where one event came from: the Bundle entry (its index and fullUrl), or index 0 for a resource posted alone. */
export interface FhirEntryRef {
  index: number;
  fullUrl?: string | undefined;
  resourceType: string;
}

/** A batch entry that could not be taken: the rest of a batch still counts (a transaction would have failed). */
export interface FhirEntryFailure extends FhirEntryRef {
  status: FailureStatus;
  outcome: OperationOutcome;
}

/**
 * 400: not R4 (bad JSON, a structure the R4 definitions reject). 415: not JSON at all (XML is valid FHIR, but this
 * endpoint takes application/fhir+json only). 422: valid R4 that Tendon cannot turn into an event.
 */
export type FailureStatus = 400 | 415 | 422;

export type FhirDecoded =
  | {
      ok: true;
      /** One event per entry taken, in entry order; `entries[i]` says where `events[i]` came from. */
      events: InboundEventT[];
      entries: FhirEntryRef[];
      /** Absent for a single resource: then there is nothing to answer but the event's own outcome. */
      bundleType?: 'batch' | 'transaction' | undefined;
      /** Batch entries refused, each with its own outcome (empty for a transaction: it is all or nothing). */
      failures: FhirEntryFailure[];
    }
  | { ok: false; status: FailureStatus; outcome: OperationOutcome };

/** An OperationOutcome issue as the codec builds it: always an error-level code from the FHIR issue-type value set. */
export type FhirIssue = OperationOutcomeIssue;

// Code systems, by the URIs senders use for them (HL7 Terminology names the first of each).
export const GTIN_SYSTEMS: ReadonlySet<string> = new Set([
  'https://www.gs1.org/gtin', 'http://www.gs1.org/gtin', 'urn:oid:1.3.160', 'http://hl7.org/fhir/NamingSystem/gs1-di',
]);
export const CPT_SYSTEMS: ReadonlySet<string> = new Set(['http://www.ama-assn.org/go/cpt', 'urn:oid:2.16.840.1.113883.6.12']);
export const HCPCS_SYSTEMS: ReadonlySet<string> = new Set([
  'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
  'urn:oid:2.16.840.1.113883.6.285',
]);
export const HCPCS_SYSTEM = 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets';
export const UCUM = 'http://unitsofmeasure.org';
/** NUBC UB-04 revenue codes (form locator 42), as HL7 Terminology names the code system. */
export const REVENUE_CODE_SYSTEM = 'https://www.nubc.org/CodeSystem/RevenueCodes';
export const GTIN_SYSTEM = 'https://www.gs1.org/gtin';

/** Tendon's own identifier systems and extension. URNs, so nobody mistakes them for something resolvable. */
export const TENDON = {
  /** ChargeItem/SupplyRequest.identifier of an outbound delivery: its idempotency key, the same on every retry. */
  delivery: 'urn:tendon:delivery',
  /** A patient Tendon knows only by its keyed token (a destination not allowed to see the MRN). */
  patientToken: 'urn:tendon:patient-token',
  /** The ERP item id, as Tendon resolved it. */
  item: 'urn:tendon:item',
  location: 'urn:tendon:location',
  account: 'urn:tendon:account',
  practitioner: 'urn:tendon:practitioner',
  /** Outbound purchase orders: the PO line (`<PO number>:<line>`), the supplier, its catalog number, and line details. */
  purchaseOrderLine: 'urn:tendon:purchase-order-line',
  supplier: 'urn:tendon:supplier',
  vendorItem: 'urn:tendon:vendor-item',
  orderParameter: 'urn:tendon:order-parameter',
  /** Extension on an inbound resource naming the Tendon facility (valueCode, valueString or valueIdentifier). */
  facilityExtension: 'urn:tendon:extension:facility',
} as const;

/** The same limit as the JSON event API: a bundle is one transaction in the store, and must stay a bounded one. */
export const MAX_ENTRIES = 1000;
