// The HL7 v2 codec's vocabulary: how one sender's messages are read (options), what a message's header said, and
// either the canonical events it carries or the protocol's own error (HL7 table 0357) to answer the sender with.
import type { InboundEventT } from '../../model/events.ts';

// Senders differ in where they put the inventory location and lot/serial (FT1 has no field for either), and in
// whether their times carry an offset. The names match the `hl7` block of an MLLP channel in the configuration, so
// a channel's configuration can be passed as it is.
export interface Hl7Options {
  /** The UTC offset of times sent without one (`-05:00`, `+01:00` or `Z`): the sending site's, not the server's. */
  defaultOffset: string;
  /** MSH-4 sending facility → Tendon facility code; a facility not listed is used as it is. */
  facilities: Record<string, string>;
  /**
   * Overrides `facilities` when the facility needs more than MSH-4: it also gets PV1-3's facility component (HD),
   * for networks where one sender serves several hospitals.
   */
  facilityOf?: ((sendingFacility: string, pointOfCareFacility: string) => string) | undefined;
  /** The Z-segment after an FT1 that carries its lot, serial and expiry (field numbers). PRT is read as well. */
  traceabilitySegment: { segment: string; serial: number; lot: number; expiry: number };
  /**
   * The segment and field that hold the inventory (par) location. Epic's procedural supply interface sends a ZPA;
   * its layout is site-built and not public, so the default reads ZPA-1 component 1 and a site configures the rest.
   * One inside an FT1's group belongs to that line; one before the first FT1 applies to every line.
   */
  locationSegment: { segment: string; field: number };
}

export const DEFAULT_HL7_OPTIONS: Hl7Options = {
  defaultOffset: '-05:00',
  facilities: {},
  traceabilitySegment: { segment: 'ZQD', serial: 1, lot: 2, expiry: 3 },
  locationSegment: { segment: 'ZPA', field: 1 },
};

/** Options as given (a channel's configuration, or a test's few overrides) completed with the defaults. */
export function withDefaults(options: Partial<Hl7Options> = {}): Hl7Options {
  return {
    ...DEFAULT_HL7_OPTIONS,
    ...options,
    traceabilitySegment: { ...DEFAULT_HL7_OPTIONS.traceabilitySegment, ...options.traceabilitySegment },
    locationSegment: { ...DEFAULT_HL7_OPTIONS.locationSegment, ...options.locationSegment },
  };
}

export function facilityFor(options: Hl7Options, sendingFacility: string, pointOfCareFacility: string): string {
  if (options.facilityOf) return options.facilityOf(sendingFacility, pointOfCareFacility);
  // Own keys only: an MSH-4 of "constructor" must not find Object.prototype's.
  return Object.hasOwn(options.facilities, sendingFacility) ? String(options.facilities[sendingFacility]) : sendingFacility;
}

/** MSH as read, with escapes decoded. Empty strings where the sender left a field empty. */
export interface Hl7Header {
  fieldSeparator: string; // MSH-1
  encodingCharacters: string; // MSH-2, e.g. ^~\&
  sendingApplication: string; // MSH-3 (HD namespace, else universal id)
  sendingFacility: string; // MSH-4
  receivingApplication: string; // MSH-5
  receivingFacility: string; // MSH-6
  timestamp: string | null; // MSH-7 as ISO 8601 with offset, null when absent or unreadable
  messageCode: string; // MSH-9.1, e.g. DFT
  triggerEvent: string; // MSH-9.2, e.g. P03
  controlId: string; // MSH-10
  processingId: string; // MSH-11 (P, T, D)
  version: string; // MSH-12.1, e.g. 2.5.1
  acceptAckType: string; // MSH-15 (AL, NE, ER, SU); one of these = enhanced acknowledgment mode
  applicationAckType: string; // MSH-16
}

/** HL7 table 0357 (message error condition codes) as far as Tendon uses them. */
export const HL7_ERROR_TEXT = {
  '100': 'Segment sequence error',
  '101': 'Required field missing',
  '102': 'Data type error',
  '103': 'Table value not found',
  '200': 'Unsupported message type',
  '201': 'Unsupported event code',
  '203': 'Unsupported version id',
  '207': 'Application internal error',
} as const;
export type Hl7ErrorCode = keyof typeof HL7_ERROR_TEXT;

/** Where an error is, as ERR-2 names it: the segment, its occurrence in the message (1-based) and the field. */
export interface Hl7Location {
  segment: string;
  sequence: number;
  field: number; // 0 = the segment as a whole (e.g. a group that lacks it)
}

export interface Hl7Error {
  code: Hl7ErrorCode;
  message: string;
  location?: Hl7Location;
}

export type Hl7Decoded =
  | { ok: true; header: Hl7Header; events: InboundEventT[] }
  | { ok: false; header: Hl7Header | null; ack: 'AE' | 'AR'; error: Hl7Error };

/** Thrown inside the codec to leave a message early; decodeHl7 turns it into a value, never lets it out. */
export class Hl7Failure extends Error {
  readonly info: Hl7Error;

  constructor(code: Hl7ErrorCode, message: string, location?: Hl7Location) {
    super(message);
    this.name = 'Hl7Failure';
    this.info = location ? { code, message, location } : { code, message };
  }
}
