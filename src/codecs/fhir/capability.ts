// What Tendon's FHIR endpoint says about itself at GET [base]/metadata: an R4 CapabilityStatement of this running
// instance. It promises only what decodeFhir does: create of three resources, and batch/transaction Bundles of
// them, in JSON. Pure: the base URL, the software's version and the time come in.
import type { Resource } from './r4.ts';
import { SUPPORTED_TYPES, TENDON } from './types.ts';

export interface CapabilityStatement extends Resource {
  resourceType: 'CapabilityStatement';
  status: 'active';
  date: string;
  kind: 'instance';
  fhirVersion: '4.0.1';
  format: string[];
  [element: string]: unknown;
}

export interface CapabilityInput {
  /** The endpoint's public base URL, e.g. https://tendon.example.org/fhir */
  baseUrl: string;
  software: { name: string; version: string };
  /** ISO 8601 with offset: when this statement was produced (R4 requires a date). */
  now: string;
}

const WHAT_EACH_BECOMES: Record<(typeof SUPPORTED_TYPES)[number], string> = {
  SupplyDelivery:
    'A completed delivery with a patient is a supply use (supply.used); without a patient it is a receipt into the destination ' +
    'Location (stock.received). Lot, serial and expiry come from a contained Device referenced by suppliedItem.itemReference.',
  SupplyRequest: 'An active request becomes a requisition (requisition.created) for the deliverTo Location.',
  ChargeItem: 'A billable item becomes a charge (charge.posted); priceOverride is the total, divided by quantity into the unit price.',
};

const CREATE_RULES =
  'identifier is required: it is the business key. A re-send with the same identifier is answered 200 OK without a new effect. ' +
  'Times need a UTC offset. The facility comes from the ' + TENDON.facilityExtension + ' extension, the managing organization of a ' +
  'contained destination Location, or the channel\'s default.';

export function capabilityStatement(input: CapabilityInput): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: input.now,
    publisher: input.software.name,
    kind: 'instance',
    software: { name: input.software.name, version: input.software.version },
    // kind = instance: the statement describes this deployment, so it must say where it is (cpb-14).
    implementation: { description: `${input.software.name} FHIR R4 inbound endpoint`, url: input.baseUrl },
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [{
      mode: 'server',
      documentation: CREATE_RULES,
      resource: SUPPORTED_TYPES.map((type) => ({
        type,
        documentation: WHAT_EACH_BECOMES[type],
        interaction: [{ code: 'create' }],
        // Updates and deletes are refused: an event is a fact, corrected by reprocessing, never edited in place.
        versioning: 'no-version',
        readHistory: false,
        updateCreate: false,
        conditionalCreate: false,
        conditionalUpdate: false,
        conditionalDelete: 'not-supported',
      })),
      interaction: [
        { code: 'batch', documentation: 'Each entry is taken or refused on its own; the batch-response says which.' },
        { code: 'transaction', documentation: 'All entries are taken, or none: one refused entry refuses the Bundle.' },
      ],
    }],
  };
}
