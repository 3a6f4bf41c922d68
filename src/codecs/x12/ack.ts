// The answer to an interchange, as one interchange back to its sender: a TA1 when the envelope was refused (or
// when ISA14 asked for one), and one 997 (versions before 005010) or 999 (005010) per functional group received,
// each in a functional group of its kind (GS01 FA). Pure: the control numbers and the time come in.
import { isoDate, isoTime } from './elements.ts';
import type { GroupAnswer, SetAnswer, X12Answer, X12Header } from './types.ts';
import { add, clean, interchangeOf, render, stamp } from './write.ts';

/** GS08 and ST03 of the answers Tendon writes. */
const ACK_VERSIONS = { '997': '004010', '999': '005010X231' } as const;

export interface AnswerControl {
  /** Never-reused numbers: the first is ISA13 and the first FA group's GS06, the next ones the other groups' GS06. */
  numbers: number[];
  now: string;
}

/** How many control numbers an answer needs: one per FA group (997s and 999s each form one), at least one. */
export function answerControlCount(answer: X12Answer): number {
  return Math.max(1, new Set(answer.groups.map((g) => g.ack)).size);
}

/** The answer as X12 text, or null when there is nothing to say (a partner's own 997s, without a TA1 request). */
export function encodeAnswer(answer: X12Answer, header: X12Header | null, control: AnswerControl): string | null {
  if (!answer.ta1 && answer.groups.length === 0) return null;
  const version = answer.groups.some((g) => g.ack === '999') || header?.version === '00501' ? '00501' : '00401';
  const [isa13] = control.numbers;
  if (isa13 === undefined) throw new RangeError('an answer needs a control number');
  const { yymmdd, ccyymmdd, hhmm } = stamp(control.now);
  const qualifier = (q: string | undefined) => (q && /^[A-Z0-9]{2}$/.test(q) ? q : 'ZZ');
  const interchange = interchangeOf({
    // Back to the sender, from the identity the sender addressed.
    senderQualifier: qualifier(header?.receiverQualifier), senderId: clean(header?.receiver ?? '', 15) || 'TENDON',
    receiverQualifier: qualifier(header?.senderQualifier), receiverId: clean(header?.sender ?? '', 15) || 'UNKNOWN',
    version, usage: header?.usage === 'T' ? 'T' : 'P', controlNumber: isa13, now: control.now,
  });
  (['997', '999'] as const).forEach((ack) => {
    const groups = answer.groups.filter((g) => g.ack === ack);
    if (groups.length === 0) return;
    const gs06 = control.numbers[interchange.functionalGroups.length] ?? isa13;
    const group = interchange.addFunctionalGroup();
    group.setHeader(['FA', applicationCode(groups[0]!.applicationReceiver, 'TENDON'), applicationCode(groups[0]!.applicationSender, 'UNKNOWN'),
      ccyymmdd, hhmm, String(gs06), 'X', ACK_VERSIONS[ack]]);
    groups.forEach((g, i) => writeGroupAnswer(group.addTransaction(), g, String(i + 1).padStart(4, '0')));
  });
  const ta1 = answer.ta1 && [
    /^\d{9}$/.test(header?.controlNumber ?? '') ? header!.controlNumber : '000000000',
    header && isoDate(header.date) ? header.date : yymmdd,
    header && isoTime(header.time) ? header.time : hhmm,
    answer.ta1.note === '000' ? 'A' : 'R',
    answer.ta1.note,
  ];
  return render(interchange, ta1 ?? undefined);
}

/** GS02/GS03 are 2 to 15 characters: the codes the sender used, when they fit. */
function applicationCode(code: string, fallback: string): string {
  const value = clean(code, 15);
  return value.length >= 2 ? value : fallback;
}

type Transaction = Parameters<typeof add>[0];

function writeGroupAnswer(tx: Transaction, g: GroupAnswer, st02: string): void {
  const is999 = g.ack === '999';
  tx.setHeader(is999 ? ['999', st02, ACK_VERSIONS['999']] : ['997', st02]);
  add(tx, 'AK1', clean(g.functionalId, 2), clean(g.controlNumber, 9), is999 ? clean(g.version, 12) : '');
  for (const set of g.sets) writeSetAnswer(tx, set, is999);
  const accepted = g.sets.filter((s) => s.accepted).length;
  const status = g.groupError ? 'R' : accepted === g.sets.length ? 'A' : accepted === 0 ? 'R' : 'P';
  add(tx, 'AK9', status, String(g.sets.length), String(g.sets.length), String(accepted), g.groupError ?? '');
}

function writeSetAnswer(tx: Transaction, set: SetAnswer, is999: boolean): void {
  add(tx, 'AK2', clean(set.type, 3), clean(set.controlNumber, 9));
  const e = set.error;
  if (e) {
    add(tx, is999 ? 'IK3' : 'AK3', clean(e.tag, 3), String(e.position), '', e.code);
    if (e.element) {
      const position = e.element.component ? `${e.element.position}:${e.element.component}` : String(e.element.position);
      add(tx, is999 ? 'IK4' : 'AK4', position, '', e.element.code, clean(e.element.value ?? '', 99));
    }
  }
  add(tx, is999 ? 'IK5' : 'AK5', set.accepted ? 'A' : 'R', set.accepted ? '' : set.code ?? '5');
}
