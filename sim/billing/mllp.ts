// Billing's HL7 door over MLLP, the way patient accounting systems take their feeds from an interface engine:
// - DFT^P03 (and P11): charge and credit lines. Each FT1 becomes the same charge or credit body as a POST /charges or
//   /credits and goes through the same checks and ledger (checkEffect / recordEffect); the answer is an ACK.
// - MFN^M04: chargemaster updates (chargemaster.ts), answered with MFK^M04.
// The door itself (types taken, idempotency by MSH-10, faults, answering once committed) is sim/common/mllp-door.ts.
import { checkEffect, recordEffect } from '../common/effects.ts';
import { readMsh, type Hl7Message, type Hl7Segment, type MllpHandler, type MllpServer, type MshInfo } from '../common/hl7.ts';
import { masterFileRoute } from '../common/master-file.ts';
import { Hl7Refusal, mllpDoorHandler, startMllpDoor, type DoorRoute, type MllpDoor } from '../common/mllp-door.ts';
import { SimError } from '../common/problem.ts';
import { keyedChargeSchema, keyedCreditSchema } from './accounts.ts';
import { CHARGEMASTER } from './chargemaster.ts';
import type { BillingSim } from './server.ts';

/** Where each body field comes from, for the ERR segment of an AE: [segment, field]. */
const SOURCE: Record<string, [string, number]> = {
  account: ['PID', 18],
  patient: ['PID', 3],
  facilityId: ['FT1', 32],
  chargeCode: ['FT1', 7],
  revenueCode: ['FT1', 41],
  hcpcs: ['FT1', 25],
  quantity: ['FT1', 10],
  unitPrice: ['FT1', 12],
  serviceDate: ['FT1', 4],
  itemId: ['FT1', 34],
  serial: ['ZQD', 1],
  lot: ['ZQD', 2],
  performer: ['FT1', 20],
  reason: ['FT1', 8],
  reference: ['FT1', 2],
};

type Line = { kind: 'charge'; body: Record<string, unknown> } | { kind: 'credit'; body: Record<string, unknown> };

const orNull = (v: string | undefined): string | null => (v === undefined || v === '' ? null : v);

/** PID-3's MRN: the repetition typed MR (CX-5), else the first one that is not a pseudonym (ANON). */
function mrnOf(pid: Hl7Segment | undefined): string | null {
  if (!pid) return null;
  const reps = Array.from({ length: pid.repetitions(3) }, (_, r) => r);
  const typed = reps.find((r) => /^MRN?$/i.test(pid.get(3, 5, 1, r)));
  const rep = typed ?? reps.find((r) => pid.get(3, 5, 1, r).toUpperCase() !== 'ANON');
  return rep === undefined ? null : orNull(pid.get(3, 1, 1, rep));
}

/** FT1-4 (DR: start^end, or a TS) → YYYY-MM-DD; an unreadable value passes through for the schema to refuse. */
function serviceDateOf(raw: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(raw);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : raw;
}

function quantityOf(raw: string): number | string | undefined {
  if (raw === '') return undefined;
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(raw) ? Number(raw) : raw;
}

/** The charge and credit bodies of a DFT, one per FT1, shaped exactly like the HTTP API's plus `via: "mllp"`. */
export function dftLines(message: Hl7Message, msh: MshInfo = readMsh(message)): Line[] {
  const segments = message.segments;
  const pid = message.segment('PID');
  const pv1 = message.segment('PV1');
  const starts = segments.flatMap((s, i) => (s.name === 'FT1' ? [i] : []));
  if (starts.length === 0) throw new Hl7Refusal('AE', '101', 'Required field missing', 'the DFT carries no FT1 segment', ['FT1', 1, 1]);
  return starts.map((start, k) => {
    const ft1 = segments[start] as Hl7Segment;
    const group = segments.slice(start + 1, starts[k + 1] ?? segments.length);
    const zqd = group.find((s) => s.name === 'ZQD');
    const type = ft1.get(6).toUpperCase();
    if (type !== 'CG' && type !== 'CD') {
      const [code, text] = type === '' ? ['101', 'Required field missing'] : ['103', 'Table value not found'];
      throw new Hl7Refusal('AE', code, text, `FT1-6 transaction type "${type}" is neither a charge (CG) nor a credit (CD)`, ['FT1', k + 1, 6]);
    }
    const deliveryId = orNull(ft1.get(2));
    const reference = { ...(deliveryId === null ? {} : { deliveryId }), eventId: null, correlationId: orNull(ft1.get(23)) };
    const common = {
      account: pid?.get(18) ?? '',
      patient: { mrn: mrnOf(pid) },
      facilityId: ft1.get(32) || pv1?.get(3, 4) || msh.sendingFacility,
      chargeCode: ft1.get(7),
    };
    const quantity = quantityOf(ft1.get(10));
    const serviceDate = serviceDateOf(ft1.get(4));
    if (type === 'CD') {
      return { kind: 'credit', body: { ...common, quantity, serviceDate, reason: orNull(ft1.get(8)), reference, via: 'mllp' } };
    }
    return {
      kind: 'charge',
      body: {
        ...common,
        revenueCode: ft1.get(41),
        hcpcs: orNull(ft1.get(25)),
        quantity,
        unitPrice: ft1.get(12, 1, 1), // CP: price (MO: amount&currency)^price type…
        serviceDate,
        itemId: ft1.get(34),
        lot: orNull(zqd?.get(2)),
        serial: orNull(zqd?.get(1)),
        performer: orNull(ft1.get(20)),
        reference,
        via: 'mllp',
      },
    };
  });
}

/** A SimError from the shared checks, as the AE that says the same thing (and where, when it can tell). */
function refusalOf(err: SimError, line: Line, sequence: number): Hl7Refusal {
  const at = (name: string): [string, number, number] | undefined => {
    const src = SOURCE[name];
    return src && [src[0], src[0] === 'PID' ? 1 : sequence, src[1]];
  };
  if (err.status === 422) {
    const field = /is closed/.test(err.message) ? 'account' : /MRN/.test(err.message) ? 'patient' : /^no charge to credit/.test(err.message) ? 'quantity' : '';
    return new Hl7Refusal('AE', '207', 'Application internal error', err.message, at(field));
  }
  // A schema failure (400): name the HL7 field rather than the JSON path.
  const issue = (err.extra.issues as { path: string; message: string }[] | undefined)?.[0];
  const name = issue?.path.split('.')[0] ?? '';
  const value = line.body[name];
  const empty = value === undefined || value === null || value === '';
  const where = at(name);
  const label = where ? `${where[0]}-${where[2]}` : name;
  const detail = issue ? `${label} (${issue.path}): ${issue.message}` : err.message;
  return empty
    ? new Hl7Refusal('AE', '101', 'Required field missing', detail, where)
    : new Hl7Refusal('AE', '102', 'Data type error', detail, where);
}

/** DFT^P03 / P11: every line is checked before any is posted, so a message is taken whole or not at all. */
function dftRoute(sim: BillingSim): DoorRoute {
  return {
    events: ['P03', 'P11'],
    apply(message, msh) {
      const lines = dftLines(message, msh);
      const posts = lines.map((line, i): ((key: string) => Record<string, unknown>) => {
        try {
          if (line.kind === 'charge') {
            const checked = checkEffect(sim.charges, line.body, keyedChargeSchema);
            return (key) => recordEffect(sim.store, sim.charges, checked, key);
          }
          const checked = checkEffect(sim.credits, line.body, keyedCreditSchema);
          return (key) => recordEffect(sim.store, sim.credits, checked, key);
        } catch (err) {
          throw err instanceof SimError ? refusalOf(err, line, i + 1) : err;
        }
      });
      // One line (what Tendon sends): the ledger key is MSH-10 itself; several: MSH-10:<line>.
      const ids = posts.map((post, i) => String(post(posts.length === 1 ? msh.controlId : `${msh.controlId}:${i + 1}`).id));
      return { text: ids.join(' ') };
    },
  };
}

export function billingDoor(sim: BillingSim): MllpDoor {
  return {
    name: 'billing',
    application: 'BILLING',
    store: sim.store,
    seed: sim.seed,
    faults: sim.faults,
    routes: { DFT: dftRoute(sim), MFN: masterFileRoute(sim.store, CHARGEMASTER) },
  };
}

/** The listener's message handler, faults first: down drops, errorRate closes without an ACK, latency waits. */
export function billingMllpHandler(sim: BillingSim): MllpHandler {
  return mllpDoorHandler(billingDoor(sim));
}

export function startBillingMllp(sim: BillingSim, options: { host: string; port: number }): Promise<MllpServer> {
  return startMllpDoor(billingDoor(sim), options);
}
