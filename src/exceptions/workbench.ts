// The business exception workbench, the pure half: SLA clocks, grouped counts, which ERP items an unmapped code
// most likely means, the facts that help with the other categories, and the correction of one field of a held
// event. The API reads and writes; these functions decide, so they are tested without a hub.
import type { BusinessException } from '../core/types.ts';
import { gtin14, type Snapshot } from '../masterdata/snapshot.ts';
import type { Item } from '../model/masterdata.ts';
import { PAYLOADS, type EventType } from '../model/events.ts';
import type { CategoryPolicy } from '../model/exceptions.ts';

const HOUR_MS = 3_600_000;
const slaMs = (slaHours: number): number => Math.round(slaHours * HOUR_MS);

// ── SLA ─────────────────────────────────────────────────────────────────────────────────────────────────────

export interface SlaClock {
  slaDueAt: string;
  /** Hours since it was raised: until now while open, until it was closed otherwise. */
  ageHours: number;
  /** Open and past its due time. A closed exception is never breached, however late it was closed. */
  breached: boolean;
}

export function slaOf(x: Pick<BusinessException, 'status' | 'createdAt' | 'resolvedAt'>, slaHours: number, now: number): SlaClock {
  const created = Date.parse(x.createdAt);
  const due = created + slaMs(slaHours);
  const end = x.status !== 'open' && x.resolvedAt ? Date.parse(x.resolvedAt) : now;
  return {
    slaDueAt: new Date(due).toISOString(),
    ageHours: Math.round(((end - created) / HOUR_MS) * 100) / 100,
    breached: x.status === 'open' && now > due,
  };
}

/** An open exception created before this time is past due now: the store filters with it (createdAt < cut-off). */
export const breachCutoff = (slaHours: number, now: number): string => new Date(now - slaMs(slaHours)).toISOString();

/** Exceptions older than `hours` were created before this time. */
export const olderThanCutoff = (hours: number, now: number): string => new Date(now - Math.round(hours * HOUR_MS)).toISOString();

/** The later (stricter for "created before") of two cut-offs, either of which may be absent. */
export function earliestOf(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}

export type WorkItem = BusinessException & SlaClock & { suggestedFix: string };

/** An exception as the workbench lists it: with its SLA clock and what usually fixes it. */
export const workItem = (x: BusinessException, policy: CategoryPolicy, now: number): WorkItem =>
  ({ ...x, ...slaOf(x, policy.slaHours, now), suggestedFix: policy.suggestedFix });

// ── Grouped counts ──────────────────────────────────────────────────────────────────────────────────────────

/** A count of exceptions in one group (as the store answers it). */
export interface GroupCount {
  key: string;
  count: number;
  oldestCreatedAt: string;
}

export interface GroupSummary {
  key: string;
  open: number;
  breached: number;
  oldestCreatedAt: string;
}

/**
 * Open counts per group, with how many of them are breached. Each category has its own SLA, so the breached
 * counts arrive as one grouped count per category (each cut at that category's SLA) and are added up here.
 * Most breached first, then most open: the order in which a supervisor looks.
 */
export function summarise(open: GroupCount[], breachedPerCategory: GroupCount[][]): GroupSummary[] {
  const breached = new Map<string, number>();
  for (const counts of breachedPerCategory) for (const c of counts) breached.set(c.key, (breached.get(c.key) ?? 0) + c.count);
  return open
    .map((g) => ({ key: g.key, open: g.count, breached: breached.get(g.key) ?? 0, oldestCreatedAt: g.oldestCreatedAt }))
    .sort((a, b) => b.breached - a.breached || b.open - a.open || a.key.localeCompare(b.key));
}

// ── Suggestions for an unmapped item ────────────────────────────────────────────────────────────────────────

/** What the sender told about the item it named: its code, a GTIN, free text. */
export interface ItemHint {
  code?: string | null | undefined;
  gtin?: string | null | undefined;
  description?: string | null | undefined;
}

export interface ItemSuggestion {
  itemId: string;
  description: string;
  matchedBy: 'gtin' | 'catalogNumber' | 'description';
  /** For a person: which field matched, and how. */
  why: string;
  /** 0..1: a GTIN match is certain (1), a catalog number nearly (0.9), words of the description at most 0.8. */
  score: number;
}

const GTIN_SHAPE = /^(\d{8}|\d{12,14})$/;

/** Catalog numbers are compared without case, spaces or punctuation: "ZB-1234-56" is "zb 123456". */
export const normaliseCatalog = (s: string): string => s.toUpperCase().replace(/[^A-Z0-9]/g, '');

const STOP_WORDS = new Set(['a', 'an', 'and', 'or', 'the', 'of', 'for', 'with', 'w', 'in', 'to', 'by']);

/** The words of a description, lower case, without punctuation or filler words. */
export function descriptionTokens(text: string): Set<string> {
  return new Set(text.toLowerCase().split(/[^a-z0-9]+/).filter((t) => t.length > 0 && !STOP_WORDS.has(t)));
}

/**
 * How much of what was asked an item's description covers, each word weighted by how rare it is in the catalogue
 * (inverse document frequency): "femoral" says more than "size" or "3". Words the description has beyond those
 * asked lower it a little, so the exact description ranks above a longer one that also contains every word.
 * Hand-written: a dozen lines, where a search library would add an index to keep in step with every snapshot.
 */
function overlap(asked: Set<string>, described: Set<string>, rarity: (t: string) => number): { score: number; shared: string[] } {
  const shared = [...asked].filter((t) => described.has(t));
  const weight = (ts: Iterable<string>) => [...ts].reduce((sum, t) => sum + rarity(t), 0);
  const [common, ofAsked, ofDescribed] = [weight(shared), weight(asked), weight(described)];
  if (common === 0) return { score: 0, shared };
  return { score: (common / ofAsked) * (0.85 + 0.15 * (common / ofDescribed)), shared };
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

function gtinMatch(item: Item, gtins: string[]): ItemSuggestion | null {
  const levels: [string | null | undefined, string][] = [[item.gtin, item.uom], ...item.packaging.map((p): [string | null | undefined, string] => [p.gtin, p.uom])];
  for (const [gtin, unit] of levels) {
    if (!gtin) continue;
    const hit = gtins.find((g) => g === gtin14(gtin));
    if (hit) return { itemId: item.id, description: item.description, matchedBy: 'gtin', why: `GTIN ${hit} is the item's ${unit} GTIN`, score: 1 };
  }
  return null;
}

function catalogMatch(item: Item, code: string): ItemSuggestion | null {
  if (!item.catalogNumber || code.length === 0) return null;
  const catalog = normaliseCatalog(item.catalogNumber);
  if (catalog === code) {
    return { itemId: item.id, description: item.description, matchedBy: 'catalogNumber', why: `the code is its catalog number ${item.catalogNumber} (case and punctuation aside)`, score: 0.9 };
  }
  // A sender's code often wraps the manufacturer's number in its own prefix or suffix ("SUP-ZB123456").
  const [shorter, longer] = catalog.length < code.length ? [catalog, code] : [code, catalog];
  if (shorter.length >= 5 && longer.includes(shorter)) {
    return { itemId: item.id, description: item.description, matchedBy: 'catalogNumber', why: `the code contains its catalog number ${item.catalogNumber}, or is contained in it`, score: 0.6 };
  }
  return null;
}

function descriptionMatch(item: Item, described: Set<string>, words: Set<string>, rarity: (t: string) => number): ItemSuggestion | null {
  if (words.size === 0) return null;
  const { score, shared } = overlap(words, described, rarity);
  if (shared.length === 0) return null;
  return {
    itemId: item.id, description: item.description, matchedBy: 'description',
    why: `its description shares ${shared.map((w) => `"${w}"`).join(', ')}`, score: round2(0.8 * score),
  };
}

/**
 * The active items an unmapped code most likely means, best first, at most `max`: by GTIN (exact, as GTIN-14; the
 * code itself counts when it is shaped like a GTIN, as scanners send them), by catalog number, and by the words
 * the sender used (the description, and the words in its code). Each item appears once, with its best match.
 */
export function suggestItems(items: Iterable<Item>, hint: ItemHint, max = 5): ItemSuggestion[] {
  const code = hint.code?.trim() ?? '';
  const gtins = [hint.gtin, GTIN_SHAPE.test(code) ? code : null].filter((g): g is string => !!g && GTIN_SHAPE.test(g)).map(gtin14);
  const catalog = normaliseCatalog(code);
  // Digits in a code are stock numbers, not words; its letters may be words ("KNEE-FEM-5").
  const codeWords = [...descriptionTokens(code)].filter((w) => /^[a-z]{3,}$/.test(w));
  const words = new Set([...descriptionTokens(hint.description ?? ''), ...codeWords]);
  // Mapping to an inactive item would only hold the event again as inactive_item.
  const active = [...items].filter((i) => i.status === 'active').map((item) => ({ item, described: descriptionTokens(item.description) }));
  const documents = new Map<string, number>();
  for (const { described } of active) for (const t of described) documents.set(t, (documents.get(t) ?? 0) + 1);
  const rarity = (t: string) => Math.log(1 + active.length / (1 + (documents.get(t) ?? 0)));
  const found: ItemSuggestion[] = [];
  for (const { item, described } of active) {
    const best = gtinMatch(item, gtins) ?? catalogMatch(item, catalog) ?? descriptionMatch(item, described, words, rarity);
    if (best) found.push(best);
  }
  return found.sort((a, b) => b.score - a.score || a.itemId.localeCompare(b.itemId)).slice(0, max);
}

// ── Facts for the other categories ──────────────────────────────────────────────────────────────────────────

/** Detail members the workbench itself writes: history, not facts about the problem. */
const BOOKKEEPING = new Set(['message', 'eventType', 'stillFailing', 'lastReleaseAt', 'lastReleaseBy', 'lastReleaseReason', 'corrections', 'xref', 'heldAgainFor']);

/**
 * What a person needs beside the suggested fix: the problem's own detail (e.g. the first use's event id of a
 * duplicate serial), the item it names as master data knows it now, and a few category-specific look-ups.
 */
export function factsOf(x: Pick<BusinessException, 'category' | 'facility' | 'detail'>, s: Snapshot): Record<string, unknown> {
  const facts: Record<string, unknown> = Object.fromEntries(Object.entries(x.detail).filter(([k]) => !BOOKKEEPING.has(k)));
  const itemId = typeof x.detail.itemId === 'string' ? x.detail.itemId : null;
  const item = itemId ? s.items.get(itemId) : undefined;
  if (item) {
    facts.item = {
      id: item.id, description: item.description, status: item.status, uom: item.uom, implant: item.implant,
      lotControlled: item.lotControlled, serialControlled: item.serialControlled, packaging: item.packaging.map((p) => `${p.uom} of ${p.quantity}`),
    };
  }
  if (x.category === 'unknown_location') {
    facts.locationsAtFacility = [...s.locations.values()].filter((l) => l.facilityId === x.facility).map((l) => l.id).sort().slice(0, 20);
  }
  if (x.category === 'invalid_cost_center' && typeof x.detail.costCenterId === 'string') {
    const cc = s.costCenters.get(x.detail.costCenterId);
    facts.costCenter = cc ? { id: cc.id, name: cc.name, status: cc.status } : null;
  }
  if (x.category === 'no_contract_price' && item) {
    // The newest price there is, even one not in force on the date: often it only needs a new effective date.
    const prices = s.prices.get(item.id) ?? [];
    facts.latestPrice = prices[0] ?? null;
  }
  return facts;
}

// ── Is a problem still the exception's own? ─────────────────────────────────────────────────────────────────

/**
 * Whether a problem found on release is the one this exception was raised for. An unmapped item is the same
 * only for the same code (an invoice may hold several); other categories are the same by category.
 */
export function isSameProblem(
  x: Pick<BusinessException, 'category' | 'detail'>, p: { category: string; detail: Record<string, unknown> },
): boolean {
  if (p.category !== x.category) return false;
  if (x.category !== 'unmapped_item') return true;
  return ['system', 'code', 'gtin'].every((k) => (p.detail[k] ?? null) === (x.detail[k] ?? null));
}

// ── Correcting one field of a held event ────────────────────────────────────────────────────────────────────

/**
 * The fields a person may correct, as paths in the payload with `/` between names. Patient, account and money
 * fields are never corrected here: they come from the clinical and billing record, and a wrong one is fixed there
 * and the message reprocessed.
 */
export const CORRECTABLE_FIELDS = [
  'lot', 'serial', 'expiry', 'location', 'quantity/value', 'quantity/unit', 'item/code', 'item/system', 'item/gtin',
] as const;
export type CorrectableField = (typeof CORRECTABLE_FIELDS)[number];

/** `quantity/unit`, `/quantity/unit` and `quantity.unit` name the same field; anything else is null. */
export function correctableField(path: string): CorrectableField | null {
  const normal = path.trim().replace(/^\//, '').replace(/\./g, '/');
  return (CORRECTABLE_FIELDS as readonly string[]).includes(normal) ? (normal as CorrectableField) : null;
}

export type Correction =
  | { ok: true; payload: Record<string, unknown>; from: unknown; to: unknown }
  | { ok: false; message: string };

/**
 * The payload with one field set (or removed, for null), checked against the event type's schema: the corrected
 * event must be one the hub would have accepted from a sender.
 */
export function correctPayload(eventType: string, payload: Record<string, unknown>, field: CorrectableField, value: unknown): Correction {
  const schema = PAYLOADS[eventType as EventType];
  if (!schema) return { ok: false, message: `events of type ${eventType} cannot be corrected here` };
  const to = typeof value === 'string' ? value.trim() : value;
  const names = field.split('/');
  const parentNames = names.slice(0, -1);
  const last = names[names.length - 1]!;
  const copy = structuredClone(payload);
  let parent: Record<string, unknown> = copy;
  for (const name of parentNames) {
    const next = parent[name];
    if (!next || typeof next !== 'object') return { ok: false, message: `this ${eventType} has no ${parentNames.join('/')}` };
    parent = next as Record<string, unknown>;
  }
  const from = parent[last] ?? null;
  if (JSON.stringify(from) === JSON.stringify(to ?? null)) return { ok: false, message: `${field} is already ${JSON.stringify(from)}` };
  if (to === null || to === undefined) delete parent[last];
  else parent[last] = to;
  const parsed = schema.safeParse(copy);
  if (!parsed.success) {
    return { ok: false, message: parsed.error.issues.map((i) => `${i.path.join('/') || '(payload)'}: ${i.message}`).join('; ') };
  }
  // The schema drops members it does not know: a field the event type has no place for would vanish silently.
  if (JSON.stringify(valueAt(parsed.data, names) ?? null) !== JSON.stringify(to ?? null)) {
    return { ok: false, message: `a ${eventType} has no field ${field}` };
  }
  return { ok: true, payload: copy, from, to: to ?? null };
}

function valueAt(v: unknown, names: string[]): unknown {
  let at = v;
  for (const name of names) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[name] : undefined;
  return at;
}
