// Billing's HL7 door: charge and credit lines as DFT^P03 over MLLP, the way patient accounting systems take
// them from an interface engine. Each FT1 becomes the same charge or credit body as a POST /charges or
// /credits and goes through the same checks and ledger (checkEffect / recordEffect); the answer is an ACK.
// Idempotent by MSH-10: the same control id gets the same ACK back and posts nothing twice. The faults of
// POST /_sim/faults apply here too.
import { setTimeout as sleep } from 'node:timers/promises';
import { checkEffect, recordEffect } from '../common/effects.ts';
import { decideFault } from '../common/faults.ts';
import {
  buildAck,
  hl7Time,
  parseMessage,
  readMsh,
  startMllpServer,
  type AckSpec,
  type Hl7Message,
  type Hl7Segment,
  type MllpHandler,
  type MllpServer,
  type MshInfo,
} from '../common/hl7.ts';
import { SimError } from '../common/problem.ts';
import { createRng, deriveSeed } from '../common/prng.ts';
import { keyedChargeSchema, keyedCreditSchema } from './accounts.ts';
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

/** An AE or AR to answer with (HL7 table 0357 code), thrown before anything is posted. */
class Hl7Refusal extends Error {
  readonly ack: 'AE' | 'AR';
  readonly code: string;
  readonly codeText: string;
  readonly location: [string, number, number] | undefined;
  constructor(ack: 'AE' | 'AR', code: string, codeText: string, message: string, location?: [string, number, number]) {
    super(message);
    this.ack = ack;
    this.code = code;
    this.codeText = codeText;
    this.location = location;
  }
}

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

/** Answers one message: an ACK to send back. The posting (if any) is in the store's open group commit. */
function answer(sim: BillingSim, text: string): string {
  const { store } = sim;
  let message: Hl7Message | undefined;
  let msh: MshInfo | undefined;
  const ack = (spec: Omit<AckSpec, 'controlId' | 'time' | 'sendingApplication' | 'sendingFacility'>) =>
    buildAck(msh, {
      ...spec,
      controlId: store.nextId('ACK', 8),
      time: hl7Time(Date.now()),
      sendingApplication: 'BILLING',
      sendingFacility: msh?.receivingFacility || 'BILLING',
    });
  try {
    try {
      message = parseMessage(text);
      msh = readMsh(message);
    } catch (err) {
      throw new Hl7Refusal('AR', '100', 'Segment sequence error', (err as Error).message, ['MSH', 1, 1]);
    }
    if (msh.messageCode !== 'DFT') {
      throw new Hl7Refusal('AR', '200', 'Unsupported message type', `billing takes DFT^P03 messages, not ${msh.messageCode || 'an untyped message'}`, ['MSH', 1, 9]);
    }
    if (msh.triggerEvent !== 'P03' && msh.triggerEvent !== 'P11') {
      throw new Hl7Refusal('AR', '201', 'Unsupported event code', `billing takes DFT^P03 (or P11), not DFT^${msh.triggerEvent}`, ['MSH', 1, 9]);
    }
    if (msh.controlId === '') throw new Hl7Refusal('AR', '101', 'Required field missing', 'MSH-10 message control id is empty', ['MSH', 1, 10]);

    const scope = `mllp ${msh.controlId}`;
    const stored = store.recalled(scope);
    if (stored) return String(stored.body);
    const m = message;
    const header = msh;
    return store.transaction(() => {
      const lines = dftLines(m, header);
      // Every line is checked before any is posted: a message is taken whole or not at all.
      const posts = lines.map((line, i): ((key: string) => Record<string, unknown>) => {
        try {
          if (line.kind === 'charge') {
            const checked = checkEffect(sim.charges, line.body, keyedChargeSchema);
            return (key) => recordEffect(store, sim.charges, checked, key);
          }
          const checked = checkEffect(sim.credits, line.body, keyedCreditSchema);
          return (key) => recordEffect(store, sim.credits, checked, key);
        } catch (err) {
          throw err instanceof SimError ? refusalOf(err, line, i + 1) : err;
        }
      });
      // One line (what Tendon sends): the ledger key is MSH-10 itself; several: MSH-10:<line>.
      const ids = posts.map((post, i) => String(post(posts.length === 1 ? header.controlId : `${header.controlId}:${i + 1}`).id));
      const reply = ack({ code: 'AA', text: ids.join(' ') });
      store.remember(scope, { status: 200, body: reply });
      return reply;
    });
  } catch (err) {
    if (!(err instanceof Hl7Refusal)) throw err;
    return store.transaction(() =>
      ack({ code: err.ack, text: err.message, error: { code: err.code, codeText: err.codeText, location: err.location, message: err.message } }),
    );
  }
}

/** The listener's message handler, faults first: down drops, errorRate closes without an ACK, latency waits. */
export function billingMllpHandler(sim: BillingSim): MllpHandler {
  const rng = createRng(deriveSeed(sim.seed, 'billing:mllp-faults'));
  return async (text, conn) => {
    const state = sim.faults.state;
    const decision = decideFault(state, 'mllp', state.errorRate > 0 ? rng.next() : 1);
    if (decision.action === 'reset') {
      conn.destroy();
      return undefined;
    }
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    if (decision.action === 'error') {
      conn.destroy(); // nothing posted, nothing answered: the sender must resend
      return undefined;
    }
    const reply = answer(sim, text);
    // Answer only once the posting is committed; a failed commit closes the connection without an ACK.
    await sim.store.durable();
    return reply;
  };
}

export function startBillingMllp(sim: BillingSim, options: { host: string; port: number }): Promise<MllpServer> {
  return startMllpServer({
    host: options.host,
    port: options.port,
    handle: billingMllpHandler(sim),
    accept: () => !sim.faults.state.down,
  });
}
