// A FHIR body for display (console, logs, exception details) with the patient's identity replaced by ***: a
// Patient's identifiers, names, birth date, addresses, phones and contacts; the identifiers, names and ids in
// references to the patient and to their account or encounter (an account number identifies a person too); and
// every narrative (generated text repeats whatever the resource holds). Codes, quantities, lots and prices stay,
// so a person can still see why a resource was refused. Errs towards masking: what it cannot read goes whole.
export const MASK = '***';

const MASKED_DIV = `<div xmlns="http://www.w3.org/1999/xhtml">${MASK}</div>`;

/** References that point at the patient, or at something that identifies them. */
const PERSONAL_REFS = new Set(['subject', 'patient', 'beneficiary', 'account', 'context', 'encounter']);
/** Patient elements that identify the person: all their strings go, except code-like parts listed in KEEP. */
const PATIENT_PHI = new Set(['identifier', 'name', 'birthDate', 'address', 'telecom', 'contact', 'photo', 'link', 'id']);
const KEEP = new Set(['system', 'use', 'type', 'resourceType', 'coding', 'code']);

type Json = unknown;

/** Every string under a node masked, except identifier systems, uses and codings (they say what, not who). */
function maskAll(node: Json, key = ''): Json {
  if (KEEP.has(key)) return node;
  if (typeof node === 'string') return MASK;
  if (typeof node === 'number' || typeof node === 'boolean') return key === 'value' ? MASK : node;
  if (Array.isArray(node)) return node.map((n) => maskAll(n, key));
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, maskAll(v, k)]));
  return node;
}

const maskLiteral = (ref: string) => ref.replace(/((?:^|\/)(?:Patient|Account|Encounter)\/)[^/]+/g, `$1${MASK}`);

/** A reference to the person: its identifier value, display and literal id go; the type and system stay. */
function maskReference(ref: Json): Json {
  if (Array.isArray(ref)) return ref.map(maskReference);
  if (!ref || typeof ref !== 'object') return typeof ref === 'string' ? MASK : ref;
  const r = { ...(ref as Record<string, unknown>) };
  if (typeof r.reference === 'string' && !r.reference.startsWith('#')) r.reference = maskLiteral(r.reference);
  if (r.identifier !== undefined) r.identifier = maskAll(r.identifier, 'identifier');
  if (r.display !== undefined) r.display = MASK;
  return r;
}

function maskNode(node: Json, key = ''): Json {
  if (Array.isArray(node)) return node.map((n) => maskNode(n, key));
  if (!node || typeof node !== 'object') {
    return typeof node === 'string' && (key === 'fullUrl' || key === 'url' || key === 'reference') ? maskLiteral(node) : node;
  }
  const obj = node as Record<string, unknown>;
  const patient = obj.resourceType === 'Patient';
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => {
    if (k === 'div' && typeof v === 'string') return [k, MASKED_DIV];
    if (patient && PATIENT_PHI.has(k)) return [k, maskAll(v, k === 'id' ? '' : k)];
    if (PERSONAL_REFS.has(k)) return [k, maskReference(maskNode(v, k))];
    return [k, maskNode(v, k)];
  }));
}

/** FHIR XML (refused, but still shown): the same elements, by their value attributes and narrative. */
function maskXml(text: string): string {
  return text
    .replace(/(<text>[\s\S]*?)<div\b[\s\S]*?<\/div>(\s*<\/text>)/g, `$1${MASKED_DIV}$2`)
    .replace(/<(Patient|subject|patient|beneficiary|account|context|encounter)\b[\s\S]*?<\/\1>/g, (block) =>
      block.replace(/(<(?:reference|value|display|family|given|text|line|city|postalCode|birthDate)\s+value\s*=\s*")[^"]*(")/g, `$1${MASK}$2`));
}

export function maskFhir(text: string): string {
  try {
    const raw = String(text);
    const trimmed = raw.replace(/^\uFEFF/, '').trimStart();
    if (trimmed.startsWith('<')) return maskXml(raw);
    return JSON.stringify(maskNode(JSON.parse(trimmed)), null, 2);
  } catch {
    // Not JSON (it was refused for that): it may hold anything, so only its size is shown.
    return `[${String(text).length} characters that are not FHIR JSON; not shown, as they may carry PHI]`;
  }
}
