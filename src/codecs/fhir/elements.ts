// Readers for the elements Tendon maps, shared by the three resources. Each reads a *valid* R4 element and either
// returns what Tendon needs or records why it cannot (a 422 issue pointing at the element), so a sender learns
// every problem of a resource at once. `sources` remembers which element each event field came from, so a failure
// of the canonical schema can point back at the FHIR element too.
import type { CodeableConcept, Device, Identifier, Location, Patient, Quantity, Reference, Resource } from './r4.ts';
import type { ItemRef, PatientRef } from '../../model/primitives.ts';
import { issue, type IssueType } from './outcome.ts';
import { GTIN_SYSTEMS, TENDON, UCUM, type FhirDecodeOptions, type FhirIssue, type SupportedResource } from './types.ts';

type FacilityOptions = Pick<FhirDecodeOptions, 'defaultFacility' | 'facilityOf'>;

export interface MapContext {
  /** FHIRPath of the resource: its type alone, or `Bundle.entry[2].resource` inside a Bundle. */
  base: string;
  resource: SupportedResource;
  issues: FhirIssue[];
  /** Event field path (`payload.quantity`) → the element it came from, relative to the resource (`quantity`). */
  sources: Map<string, string>;
}

export const at = (ctx: MapContext, path: string) => `${ctx.base}.${path}`;

export function problem(ctx: MapContext, code: IssueType, message: string, path: string): undefined {
  ctx.issues.push(issue(code, message, [at(ctx, path)]));
  return undefined;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
/** A reference's literal part. Read defensively: the validator is the first line, not the only one. */
export const literal = (ref: Reference | undefined): string | undefined => text(ref?.reference);

/** A contained resource by a local reference (`#dev1`), of the type asked for. */
function contained<T extends Resource>(ctx: MapContext, ref: Reference | undefined, type: T['resourceType']): T | undefined {
  const local = literal(ref)?.startsWith('#') ? literal(ref)!.slice(1) : undefined;
  return local === undefined ? undefined : (ctx.resource.contained?.find((r) => r.resourceType === type && r.id === local) as T | undefined);
}

/** The id of a literal reference to `type`: relative (`Location/OR-3`) or absolute, with or without `_history`. */
function idOf(ref: Reference | undefined, type: string): string | undefined {
  const m = literal(ref)?.match(new RegExp(`(?:^|/)${type}/([A-Za-z0-9.-]{1,64})(?:/_history/[^/]+)?$`));
  return m?.[1];
}

/** The identifier that names the resource: the first with a value, preferring one that says its system. */
export function keyIdentifier(resource: { identifier?: Identifier[] }): Identifier | undefined {
  const ids = (resource.identifier ?? []).filter((i) => text(i.value));
  return ids.find((i) => text(i.system)) ?? ids[0];
}

/** The business key: the resource's identifier (system|value), which a re-send carries unchanged. */
export function businessKey(ctx: MapContext): string | undefined {
  const id = keyIdentifier(ctx.resource);
  ctx.sources.set('idempotencyKey', 'identifier');
  if (!id) {
    return problem(ctx, 'required', 'an identifier (system and value) is needed: it is the business key that makes a re-send a duplicate', 'identifier');
  }
  return id.system ? `${id.system}|${text(id.value)}` : text(id.value);
}

/**
 * The first element present among candidates, as a date-time with an offset. A date alone, or a time without an
 * offset, is refused rather than guessed: the same local time is a different instant at each site.
 */
export function instant(ctx: MapContext, field: string, candidates: [string, string | undefined][]): string | undefined {
  // A date alone (a ChargeItem's day of service) gives way to a later candidate that has a time (its enteredDate).
  const present = candidates.filter(([, v]) => typeof v === 'string');
  const found = present.find(([, v]) => v!.includes('T')) ?? present[0];
  ctx.sources.set(field, found?.[0] ?? candidates[0]![0]);
  if (!found) return problem(ctx, 'required', `a date-time is needed (${candidates.map(([p]) => p).join(', ')})`, candidates[0]![0]);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(found[1]!)) {
    return problem(ctx, 'value', `"${found[1]}" needs a time with a UTC offset (e.g. 2026-05-12T14:10:00-05:00)`, found[0]);
  }
  return found[1];
}

/** GS1: a GTIN-8, -12, -13 or -14 whose last digit is the mod-10 check digit of the others. */
export function isGtin(code: string): boolean {
  if (!/^\d{8}$|^\d{12,14}$/.test(code)) return false;
  const digits = [...code].map(Number).reverse();
  const sum = digits.slice(1).reduce((s, d, i) => s + d * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === digits[0];
}

const notGtin = (code: string) => `"${code}" is not a GTIN (8, 12, 13 or 14 digits with a valid check digit)`;

/** A code of the item: a GTIN coding wins (it names the product everywhere), else the first coding with a code. */
export function itemOfConcept(ctx: MapContext, cc: CodeableConcept | undefined, path: string): ItemRef | undefined {
  const codings = (cc?.coding ?? []).filter((c) => text(c.code));
  const gtin = codings.find((c) => c.system && GTIN_SYSTEMS.has(c.system));
  if (gtin) {
    const code = text(gtin.code)!;
    return isGtin(code) ? { gtin: code } : problem(ctx, 'value', notGtin(code), `${path}.coding`);
  }
  const first = codings[0];
  if (!first) return problem(ctx, 'required', 'the item needs a coding with a code: text alone cannot be resolved to an item', path);
  return first.system ? { system: first.system, code: text(first.code)! } : { code: text(first.code)! };
}

/** Item, lot, serial and expiry from `item[x]`: a CodeableConcept, or a contained Device (UDI-DI or type; lot/serial). */
export function itemOf(ctx: MapContext, cc: CodeableConcept | undefined, ref: Reference | undefined, path: string) {
  ctx.sources.set('payload.item', `${path}${cc ? 'CodeableConcept' : 'Reference'}`);
  if (cc) return { item: itemOfConcept(ctx, cc, `${path}CodeableConcept`) };
  const device = contained<Device>(ctx, ref, 'Device');
  if (!device) {
    const logical = ref?.identifier && text(ref.identifier.value);
    if (logical) return { item: ref.identifier!.system ? { system: ref.identifier!.system, code: logical } : { code: logical } };
    return { item: problem(ctx, 'not-supported', 'an item reference must be a contained Device (#id) or carry an identifier', `${path}Reference`) };
  }
  for (const f of ['lot', 'serial', 'expiry']) ctx.sources.set(`payload.${f}`, `${path}Reference`);
  return { item: deviceItem(ctx, device, `${path}Reference.resolve()`), ...traceability(device) };
}

/** A device's product: its UDI-DI (a GTIN when GS1 issued it or it checks as one), else its type's coding. */
function deviceItem(ctx: MapContext, device: Device, path: string): ItemRef | undefined {
  const udi = device.udiCarrier?.[0];
  const di = text(udi?.deviceIdentifier);
  if (!di) return itemOfConcept(ctx, device.type, `${path}.type`);
  if (isGtin(di)) return { gtin: di };
  if (udi?.issuer && GTIN_SYSTEMS.has(udi.issuer)) {
    return problem(ctx, 'value', notGtin(di), `${path}.udiCarrier[0].deviceIdentifier`);
  }
  return udi?.issuer ? { system: udi.issuer, code: di } : { code: di };
}

function traceability(device: Device) {
  const expiry = text(device.expirationDate);
  return {
    lot: text(device.lotNumber) ?? null,
    serial: text(device.serialNumber) ?? null,
    // A GS1 expiry of a month only means its last day; a time of day says nothing more about the date.
    expiry: !expiry ? null : expiry.length >= 10 ? expiry.slice(0, 10) : expiry.length === 7 ? lastDayOf(expiry) : null,
  };
}

const lastDayOf = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
};

/** Counts in UCUM (`1`, `{each}`) are Tendon's EA; otherwise the coded unit, then the display unit, else EA. */
export function quantityOf(ctx: MapContext, q: Quantity | undefined, path: string, field = 'payload.quantity') {
  ctx.sources.set(field, path);
  if (typeof q?.value !== 'number') return problem(ctx, 'required', 'a quantity value is needed', path);
  const code = text(q.code);
  const each = q.system === UCUM && code !== undefined && /^(1|\{(each|ea|unit|item|piece)s?\})$/i.test(code);
  return { value: q.value, unit: each ? 'EA' : (code ?? text(q.unit) ?? 'EA') };
}

/** The par location: `Location/<id>`, a contained Location's identifier, or a logical reference's identifier. */
export function locationOf(ctx: MapContext, ref: Reference | undefined, path: string): string | undefined {
  ctx.sources.set('payload.location', path);
  const local = contained<Location>(ctx, ref, 'Location');
  const id = idOf(ref, 'Location') ?? text(local?.identifier?.[0]?.value)
    ?? (ref?.type === undefined || ref.type === 'Location' ? text(ref?.identifier?.value) : undefined);
  return id ?? problem(ctx, 'required', 'the location needs a Location reference (Location/<id>) or identifier, not only a display', path);
}

const isMrn = (i: Identifier) => i.type?.coding?.some((c) => c.code === 'MR') ?? false;

/** The patient: a reference's identifier (MRN), a contained Patient's MR identifier, or the `Patient/<id>` id. */
export function patientOf(ctx: MapContext, ref: Reference | undefined, path: string): PatientRef | undefined {
  if (!ref) return undefined;
  ctx.sources.set('payload.patient', path);
  const local = contained<Patient>(ctx, ref, 'Patient');
  const ids = local?.identifier?.filter((i) => text(i.value)) ?? [];
  const value = text(ref.identifier?.value) ?? text((ids.find(isMrn) ?? ids[0])?.value) ?? idOf(ref, 'Patient');
  return value ? { identifier: value } : problem(ctx, 'required', 'the patient needs an identifier (MRN) or a Patient/<id> reference', path);
}

/** A reference's id or identifier, for accounts, encounters and people: whatever the sender calls it. */
export function refCode(ref: Reference | undefined, type: string): string | undefined {
  return idOf(ref, type) ?? text(ref?.identifier?.value);
}

/**
 * The facility, first found: the channel's `facilityOf`; the Tendon facility extension; the managing organization of
 * a contained Location the resource delivers to; the channel's default. Never a guess from a display name.
 */
export function facilityOf(ctx: MapContext, locationRef: Reference | undefined, options: FacilityOptions): string | undefined {
  ctx.sources.set('facility', 'extension');
  const fromExtension = ctx.resource.extension?.find((e) => e.url === TENDON.facilityExtension);
  const managing = contained<Location>(ctx, locationRef, 'Location')?.managingOrganization;
  const facility = text(options.facilityOf?.(ctx.resource))
    ?? text(fromExtension?.valueCode ?? fromExtension?.valueString ?? fromExtension?.valueIdentifier?.value)
    ?? refCode(managing, 'Organization')
    ?? text(options.defaultFacility);
  const why = `no facility: send the ${TENDON.facilityExtension} extension, or configure the channel's default facility`;
  return facility ?? problem(ctx, 'required', why, 'extension');
}
