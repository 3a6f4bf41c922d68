// Inbound FHIR: a request body → canonical events, or the OperationOutcome to answer with. Pure: the channel passes
// the body (text, bytes or parsed JSON) and the options; nothing here reads a clock or a store.
//
//   not JSON (XML)                 → 415 not-supported: this endpoint takes application/fhir+json only
//   not JSON / not valid R4        → 400, each issue pointing at its element (`SupplyRequest.identifier`)
//   valid R4 Tendon cannot map     → 422 (no identifier, an unsupported type, no item code, a time without offset…)
//   Bundle batch                   → each entry on its own: refused entries are reported, the others taken
//   Bundle transaction             → all or nothing: one refused entry refuses the whole Bundle
import type { Bundle, BundleEntry } from './r4.ts';
import { mapResource } from './map.ts';
import { issue, operationOutcome, statusOf } from './outcome.ts';
import { validate, validateR4 } from './validate.ts';
import {
  MAX_ENTRIES, SUPPORTED_TYPES, type FhirDecodeOptions, type FhirDecoded, type FhirEntryFailure, type FhirEntryRef, type FhirIssue,
  type SupportedResource,
} from './types.ts';

/** What decodeFhir answers: the codec's result, or a 500 when the codec itself failed (a bug, never the sender's). */
export type FhirDecodeResult = FhirDecoded | { ok: false; status: 500; outcome: ReturnType<typeof operationOutcome> };

type Refusal = Extract<FhirDecoded, { ok: false }>;
const refuse = (status: Refusal['status'], issues: FhirIssue[]): Refusal => ({ ok: false, status, outcome: operationOutcome(issues) });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSupported = (type: string): type is SupportedResource['resourceType'] => (SUPPORTED_TYPES as readonly string[]).includes(type);

const NOT_A_RESOURCE = 'a FHIR resource is a JSON object with a resourceType';
const XML = 'this looks like FHIR XML: Tendon takes FHIR resources as JSON only (Content-Type: application/fhir+json)';

/** The body as JSON: text or UTF-8 bytes are parsed; XML is recognised and refused by name rather than as bad JSON. */
function parseBody(body: unknown): { ok: true; json: Record<string, unknown> } | Refusal {
  let text: string;
  if (typeof body === 'string') {
    text = body;
  } else if (body instanceof Uint8Array) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      return refuse(400, [issue('structure', 'the body is not UTF-8 text')]);
    }
  } else if (isObject(body)) {
    // Parsed by the channel: taken through JSON once more, so it is what the wire could carry (no undefined, no
    // holes, no cycles) and the caller's object is never the one mapped.
    try {
      text = JSON.stringify(body);
    } catch (e) {
      return refuse(400, [issue('structure', `not JSON: ${(e as Error).message.slice(0, 200)}`)]);
    }
  } else {
    return refuse(400, [issue('structure', NOT_A_RESOURCE)]);
  }
  text = text.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('<')) return refuse(415, [issue('not-supported', XML)]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return refuse(400, [issue('structure', `the body is not JSON: ${(e as Error).message.slice(0, 200)}`)]);
  }
  return isObject(parsed) ? { ok: true, json: parsed } : refuse(400, [issue('structure', NOT_A_RESOURCE)]);
}

export function decodeFhir(body: unknown, options: FhirDecodeOptions): FhirDecodeResult {
  try {
    const parsed = parseBody(body);
    if (!parsed.ok) return parsed;
    const resource = parsed.json;
    const type = resource.resourceType;
    if (typeof type !== 'string') return refuse(400, [issue('required', 'resourceType is required', ['resourceType'])]);
    if (type === 'Bundle') return decodeBundle(resource, options);
    const errors = validateR4(resource);
    if (errors.length > 0) return refuse(statusOf(errors), errors);
    if (!isSupported(type)) return refuse(422, [unsupported(type, type)]);
    const mapped = mapResource(type, resource as unknown as SupportedResource, options);
    if (!mapped.ok) return refuse(422, mapped.issues);
    return { ok: true, events: [mapped.event], entries: [{ index: 0, resourceType: type }], failures: [] };
  } catch (e) {
    const why = `the FHIR codec failed: ${e instanceof Error ? e.message : String(e)}`;
    return { ok: false, status: 500, outcome: operationOutcome([issue('exception', why)]) };
  }
}

const unsupported = (type: string, expression: string) => issue('not-supported',
  `${type} is not taken here: Tendon takes ${SUPPORTED_TYPES.join(', ')} (alone or in a batch/transaction Bundle)`, [expression]);

/** Validation issues by the entry they are in (`Bundle.entry[3]…`); -1 = the Bundle itself. */
function byEntry(issues: FhirIssue[]): Map<number, FhirIssue[]> {
  const groups = new Map<number, FhirIssue[]>();
  for (const i of issues) {
    const m = i.expression?.[0]?.match(/^Bundle\.entry\[(\d+)\]/);
    const index = m ? Number(m[1]) : -1;
    groups.set(index, [...(groups.get(index) ?? []), i]);
  }
  return groups;
}

function decodeBundle(bundle: Record<string, unknown>, options: FhirDecodeOptions): FhirDecoded {
  // Counted before validating: a Bundle too big to take is not worth validating.
  const count = Array.isArray(bundle.entry) ? bundle.entry.length : 0;
  if (count > MAX_ENTRIES) {
    return refuse(422, [issue('too-costly', `a Bundle holds at most ${MAX_ENTRIES} entries (${count} sent)`, ['Bundle.entry'])]);
  }
  const checked = validate(bundle);
  if (!checked.complete) return refuse(statusOf(checked.issues), checked.issues);
  const errors = byEntry(checked.issues);
  const whole = errors.get(-1);
  if (whole) return refuse(statusOf(whole), whole);
  const { type, entry = [] } = bundle as unknown as Bundle;
  if (type !== 'batch' && type !== 'transaction') {
    return refuse(422, [issue('not-supported', `a ${type} Bundle is not taken here: send a batch or a transaction`, ['Bundle.type'])]);
  }

  const ok: { ref: FhirEntryRef; event: ReturnType<typeof mapResource> & { ok: true } }[] = [];
  const failures: FhirEntryFailure[] = [];
  entry.forEach((e, index) => {
    const ref: FhirEntryRef = { index, resourceType: e.resource?.resourceType ?? '', ...(e.fullUrl ? { fullUrl: e.fullUrl } : {}) };
    const invalid = errors.get(index);
    const result = invalid ? { status: 400 as const, issues: invalid } : entryResult(e, index, options);
    if ('event' in result) ok.push({ ref, event: result });
    else failures.push({ ...ref, status: result.status, outcome: operationOutcome(result.issues) });
  });
  if (type === 'transaction' && failures.length > 0) {
    const issues = failures.flatMap((f) => f.outcome.issue);
    return refuse(failures.some((f) => f.status === 400) ? 400 : 422, issues);
  }
  return { ok: true, events: ok.map((o) => o.event.event), entries: ok.map((o) => o.ref), bundleType: type, failures };
}

const unmappable = (...issues: FhirIssue[]) => ({ status: 422 as const, issues });

/** One valid entry: a create (POST) of a supported resource, mapped to its event. */
function entryResult(e: BundleEntry, index: number, options: FhirDecodeOptions) {
  const base = `Bundle.entry[${index}]`;
  const resource = e.resource;
  if (!resource) return unmappable(issue('not-supported', 'each entry must carry a resource to create', [base]));
  if (e.request?.method !== 'POST') {
    // Events are never changed: an update or delete of one is a reprocess or a reversal, not something a sender does.
    return unmappable(issue('not-supported', `only creates (POST) are taken, not ${e.request?.method}`, [`${base}.request.method`]));
  }
  const target = String(e.request.url).replace(/^\//, '').split(/[/?]/)[0];
  if (target !== resource.resourceType) {
    return unmappable(issue('value', `request.url names ${target}, the resource is a ${resource.resourceType}`, [`${base}.request.url`]));
  }
  if (!isSupported(resource.resourceType)) return unmappable(unsupported(resource.resourceType, `${base}.resource`));
  const mapped = mapResource(`${base}.resource`, resource as SupportedResource, options);
  return mapped.ok ? mapped : unmappable(...mapped.issues);
}
