// Test support for the X12 codec's tests: fixtures, a partner table, and answers rendered at a fixed time.
import { readFileSync } from 'node:fs';
import { answerControlCount, encodeAnswer } from './ack.ts';
import type { X12Decoded, X12Options } from './types.ts';

export const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'latin1');

export const OPTIONS: X12Options = { partners: { MEDSUPPLYCO: 'SUP-0007' }, facility: 'FAC-B' };

export const NOW = '2026-11-21T10:15:00-05:00';

/** The answer an interchange gets, rendered with control numbers from 900 on. */
export function answerOf(r: X12Decoded): string | null {
  const numbers = Array.from({ length: answerControlCount(r.answer) }, (_, i) => 900 + i);
  return encodeAnswer(r.answer, r.header, { numbers, now: NOW });
}

/** The segments of an answer between ISA and IEA, without the GS line (which carries the time). */
export function bodyOf(answer: string | null): string[] {
  return (answer ?? '').split('~\n').filter((s) => s !== '' && !/^(ISA|IEA|GS|GE)\*/.test(s));
}
