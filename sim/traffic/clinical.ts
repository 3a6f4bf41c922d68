// Clinical colour for generated cases: which procedures each service line performs and which implant
// families they consume, plus lots, serials, expiry dates and patient identifiers. Pure given the Rng.
import type { Rng } from '../common/prng.ts';
import type { ServiceLine } from '../network/types.ts';

export type Procedure = { code: string; families: string[] };

/** CPT codes and the implant families they use. */
export const PROCEDURES: Record<ServiceLine, Procedure[]> = {
  orthopaedics: [
    { code: '27447', families: ['knee'] }, // total knee arthroplasty
    { code: '27130', families: ['hip'] }, // total hip arthroplasty
    { code: '22612', families: ['spine'] }, // posterior lumbar fusion
    { code: '27245', families: ['trauma'] }, // intertrochanteric fracture, intramedullary implant
    { code: '27506', families: ['trauma'] }, // femoral shaft fracture, nail
  ],
  'general surgery': [
    { code: '49650', families: ['mesh'] }, // laparoscopic inguinal hernia repair
    { code: '49591', families: ['mesh', 'tissue'] }, // anterior abdominal hernia repair
  ],
  cardiology: [
    { code: '92928', families: ['coronary-stent'] }, // percutaneous coronary stent
    { code: '33208', families: ['pacemaker', 'pacing-lead'] }, // dual-chamber pacemaker insertion
    { code: '33249', families: ['icd', 'defib-lead'] }, // ICD insertion
    { code: '33285', families: ['cardiac-monitor'] }, // insertable cardiac monitor
  ],
  'interventional radiology': [
    { code: '37238', families: ['peripheral-stent'] }, // venous stent
    { code: '37191', families: ['ivc-filter'] }, // IVC filter insertion
    { code: '36561', families: ['port'] }, // port placement
    { code: '37243', families: ['coil'] }, // embolisation
  ],
};

export const PAYER_CLASSES = ['medicare', 'medicare', 'commercial', 'commercial', 'medicaid', 'self-pay'];
export const RETURN_REASONS = ['not used', 'wrong size picked', 'case cancelled', 'documented in error'];

/** Lot like "L2406A": year and month of manufacture plus a batch letter. */
export function lotNumber(rng: Rng): string {
  return `L${rng.int(24, 26)}${String(rng.int(1, 12)).padStart(2, '0')}${rng.pick(['A', 'B', 'C', 'D', 'E', 'F'])}`;
}

export function serialNumber(rng: Rng): string {
  return `SN${rng.digits(8)}`;
}

/** An expiry date one to three years after `nowMs`, as YYYY-MM-DD (last day of a month, as labels do). */
export function expiryDate(rng: Rng, nowMs: number): string {
  const now = new Date(nowMs);
  const end = new Date(Date.UTC(now.getUTCFullYear() + rng.int(1, 3), rng.int(0, 11) + 1, 0));
  return end.toISOString().slice(0, 10);
}

export type PatientContext = { mrn: string; encounter: string; payerClass: string };

/** A patient and encounter; `closed` makes the encounter one the billing sim refuses ("…-C"). */
export function patientContext(rng: Rng, closed: boolean): PatientContext {
  return {
    mrn: `MRN${rng.digits(8)}`,
    encounter: `ENC-${rng.int(1, 9)}${rng.digits(6)}${closed ? '-C' : ''}`,
    payerClass: rng.pick(PAYER_CLASSES),
  };
}
