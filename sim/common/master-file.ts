// HL7 v2 master file notifications (chapter 8) as a receiving system takes them: an MFN whose MFI names the file
// and whose MFE segments each carry one record-level change (table 0180) followed by the record's own segments
// (ITM and PKG for the item master, M16; CDM and PRC for the chargemaster, M04). `masterFileRoute` is the MLLP door
// route that applies them to one collection of the sim's store, one ledger entry per record, and answers MFK^<event>
// with the MFI echoed and one MFA per MFE: MFA-1 the MFE-1 event, MFA-2 the MFE-2 change id, MFA-4 table 0181
// (S applied, U not), MFA-5 the MFE-4 primary key, MFA-6 its type (MFE-5); which MFAs are sent follows MFI-6.
// A message is applied whole or not at all: any problem is an AE whose MFAs all say U.
import { hl7Time, segment, type Delimiters, type Hl7Message, type Hl7Segment, type MshInfo } from './hl7.ts';
import { Hl7Refusal, type DoorRoute, type Hl7Location } from './mllp-door.ts';
import type { SimStore } from './store.ts';

/** Table 0180 record-level event codes, and what each does to a record. */
const RECORD_EVENTS: Record<string, string> = { MAD: 'add', MUP: 'update', MDC: 'deactivate', MAC: 'reactivate', MDL: 'delete' };

export type MasterFileEntry = {
  mfe: Hl7Segment;
  /** Position of its MFE among the message's MFEs (1-based). */
  sequence: number;
  /** MFE-1, upper-cased. */
  event: string;
  /** MFE-2, the sender's id of this change ('' when absent). */
  changeId: string;
  /** MFE-4.1, the record's primary key. */
  key: string;
  /** MFE-4 in full, to echo in MFA-5. */
  keyField: string[];
  /** MFE-5, the primary key's type (table 0355). */
  keyType: string;
  /** The segments after the MFE, up to the next one: the record. */
  segments: Hl7Segment[];
};

/** Names a segment (and a field) of the message the way ERR-2 does: segment, its sequence among its name, field. */
export type Locate = (seg: Hl7Segment, field?: number) => Hl7Location;

/** What a master file (the item master, the chargemaster) says about its records. */
export type MasterRecordSpec<R extends { status: string }> = {
  /** The trigger event of the MFN it takes: M16, M04. */
  event: string;
  /** MFI-1 the file insists on (table 0175), when it does: the chargemaster's CDM. */
  fileId?: string;
  /** The segment that carries a record after its MFE (ITM, CDM); its field 1 must be MFE-4's key when given. */
  segment: string;
  /** The record in words, for refusal texts. */
  noun: string;
  /** Store collection of the records, keyed by the primary key. */
  coll: string;
  /** Ledger kind of an applied record. */
  kind: string;
  /** The record an entry describes; throws an Hl7Refusal naming the field it cannot read. */
  read(entry: MasterFileEntry, record: Hl7Segment, locate: Locate): R;
};

/** The door route of a master file: MFN^<event> in, records applied and ledgered, MFK^<event> out. */
export function masterFileRoute<R extends { status: string }>(store: SimStore, spec: MasterRecordSpec<R>): DoorRoute {
  return {
    events: [spec.event],
    answerType: (msh) => ['MFK', msh.triggerEvent, 'MFK_M01'],
    apply(message, msh) {
      const locate = locator(message);
      const mfi = message.segment('MFI');
      if (!mfi) {
        throw new Hl7Refusal('AE', '100', 'Segment sequence error', 'an MFN carries an MFI segment naming the master file; this one has none', ['MFI', 1]);
      }
      const entries = entriesOf(message);
      let changes: { entry: MasterFileEntry; record: R }[];
      try {
        checkFile(spec, mfi, entries);
        changes = planChanges(store, spec, entries, locate);
      } catch (err) {
        throw err instanceof Hl7Refusal ? err.withSegments(mfkSegments(message.delimiters, mfi, entries, 'U')) : err;
      }
      const ids = changes.map(({ entry, record }, i) => {
        store.put(spec.coll, entry.key, record);
        const id = store.nextId('MF');
        store.append({
          id,
          kind: spec.kind,
          // One record (what Tendon sends): the ledger key is MSH-10 itself; several: MSH-10:<entry>.
          idempotencyKey: changes.length === 1 ? msh.controlId : `${msh.controlId}:${i + 1}`,
          body: { ...record, event: entry.event, changeId: entry.changeId || null, reference: referenceOf(msh), via: 'mllp' },
        });
        return id;
      });
      return { text: ids.join(' '), segments: mfkSegments(message.delimiters, mfi, entries, 'S') };
    },
  };
}

/** Like a DFT's lines, a master file update arrives without a Tendon event id: MSH-10, the delivery, links it back. */
const referenceOf = (msh: MshInfo) => ({ deliveryId: msh.controlId, eventId: null, correlationId: null });

/** The MFE groups, read leniently: checking them is `planChanges`' job, and a refusal still lists each in an MFA. */
function entriesOf(message: Hl7Message): MasterFileEntry[] {
  const segments = message.segments;
  const starts = segments.flatMap((s, i) => (s.name === 'MFE' ? [i] : []));
  return starts.map((start, k) => {
    const mfe = segments[start] as Hl7Segment;
    return {
      mfe,
      sequence: k + 1,
      event: mfe.get(1).toUpperCase(),
      changeId: mfe.get(2),
      key: mfe.get(4),
      keyField: componentsOf(message.delimiters, mfe, 4),
      keyType: mfe.get(5),
      segments: segments.slice(start + 1, starts[k + 1] ?? segments.length),
    };
  });
}

function checkFile<R extends { status: string }>(spec: MasterRecordSpec<R>, mfi: Hl7Segment, entries: MasterFileEntry[]): void {
  const fileId = mfi.get(1);
  if (spec.fileId !== undefined && fileId.toUpperCase() !== spec.fileId) {
    throw new Hl7Refusal('AE', '103', 'Table value not found', `MFI-1 master file "${fileId}" is not ${spec.fileId}, the file MFN^${spec.event} updates`, ['MFI', 1, 1]);
  }
  if (entries.length === 0) {
    throw new Hl7Refusal('AE', '100', 'Segment sequence error', `an MFN^${spec.event} carries at least one MFE segment; this one has none`, ['MFE', 1]);
  }
}

/** Each entry's record as it will be once applied; an entry sees the ones before it in the same message. */
function planChanges<R extends { status: string }>(
  store: SimStore,
  spec: MasterRecordSpec<R>,
  entries: MasterFileEntry[],
  locate: Locate,
): { entry: MasterFileEntry; record: R }[] {
  const planned = new Map<string, R>();
  return entries.map((entry) => {
    checkEntry(entry);
    const current = planned.get(entry.key) ?? store.get<R>(spec.coll, entry.key);
    const record = recordOf(spec, entry, current, locate);
    planned.set(entry.key, record);
    return { entry, record };
  });
}

function checkEntry(entry: MasterFileEntry): void {
  const { event, sequence } = entry;
  if (event === '') throw new Hl7Refusal('AE', '101', 'Required field missing', `MFE-1 record-level event code is empty (MFE #${sequence})`, ['MFE', sequence, 1]);
  if (!(event in RECORD_EVENTS)) {
    const known = Object.keys(RECORD_EVENTS).join(', ');
    throw new Hl7Refusal('AE', '103', 'Table value not found', `MFE-1 record-level event code "${event}" is not one of ${known} (table 0180)`, ['MFE', sequence, 1]);
  }
  if (entry.key === '') {
    throw new Hl7Refusal('AE', '101', 'Required field missing', `MFE-4 primary key value is empty: MFE #${sequence} names no record`, ['MFE', sequence, 4]);
  }
}

/**
 * An add or update takes the record from its segment (upserting: an add of a known key updates it, as receiving
 * systems commonly do). A deactivate or reactivate with the segment does the same and sets the status; without it,
 * it changes the status of a record the file already holds. Deletes are refused: this file deactivates.
 */
function recordOf<R extends { status: string }>(spec: MasterRecordSpec<R>, entry: MasterFileEntry, current: R | undefined, locate: Locate): R {
  const { event, key, sequence } = entry;
  if (event === 'MDL') {
    throw new Hl7Refusal('AE', '207', 'Application internal error', `this ${spec.noun} file does not delete records: deactivate ${key} (MDC) instead`, ['MFE', sequence, 1]);
  }
  const status = event === 'MDC' ? 'inactive' : event === 'MAC' ? 'active' : undefined;
  const own = entry.segments.find((s) => s.name === spec.segment);
  if (!own) {
    if (status === undefined) {
      throw new Hl7Refusal('AE', '100', 'Segment sequence error', `MFE #${sequence} (${event} ${key}) is not followed by its ${spec.segment} segment`, [spec.segment, sequence]);
    }
    if (!current) {
      throw new Hl7Refusal('AE', '204', 'Unknown key identifier', `no ${spec.noun} ${key} in the file to ${RECORD_EVENTS[event]}`, ['MFE', sequence, 4]);
    }
    return { ...current, status };
  }
  const ownKey = own.get(1);
  if (ownKey !== '' && ownKey !== key) {
    throw new Hl7Refusal('AE', '207', 'Application internal error', `${spec.segment}-1 "${ownKey}" is not the ${spec.noun} MFE-4 names (${key})`, locate(own, 1));
  }
  const record = spec.read(entry, own, locate);
  return status === undefined ? record : { ...record, status };
}

/** The MFK's MFI (echoed) and MFAs, as many as MFI-6 asks for: AL (or empty) all, ER the U ones, SU the S ones, NE none. */
function mfkSegments(d: Delimiters, mfi: Hl7Segment, entries: MasterFileEntry[], outcome: 'S' | 'U'): string[] {
  const level = mfi.get(6).toUpperCase();
  const wanted = level === 'NE' ? false : level === 'ER' ? outcome === 'U' : level === 'SU' ? outcome === 'S' : true;
  const completed = outcome === 'S' ? hl7Time(Date.now()) : null;
  const mfas = wanted
    ? entries.map((e) => segment('MFA', [e.event, e.changeId, completed, outcome, e.keyField, e.keyType]))
    : [];
  return [segment('MFI', [componentsOf(d, mfi, 1), mfi.get(2), mfi.get(3), null, null, mfi.get(6)]), ...mfas];
}

/** Field `n`'s components (first repetition, unescaped), to write back as they came. */
function componentsOf(d: Delimiters, seg: Hl7Segment, n: number): string[] {
  const first = (seg.fields[n] ?? '').split(d.repetition)[0] ?? '';
  const count = first === '' ? 0 : first.split(d.component).length;
  return Array.from({ length: count }, (_, i) => seg.get(n, i + 1));
}

/** Locations for ERR-2: each segment's sequence among the segments of its name. */
function locator(message: Hl7Message): Locate {
  const sequences = new Map<Hl7Segment, number>();
  const counts = new Map<string, number>();
  for (const s of message.segments) {
    const n = (counts.get(s.name) ?? 0) + 1;
    counts.set(s.name, n);
    sequences.set(s, n);
  }
  return (seg, field) => {
    const sequence = sequences.get(seg) ?? 1;
    return field === undefined ? [seg.name, sequence] : [seg.name, sequence, field];
  };
}
