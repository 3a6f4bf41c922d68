// Test support for X12 over HTTP: a supplier's interchanges, written the way a supplier's translator writes them, and
// a POST to the hub's X12 endpoint that returns what a supplier would see (status, answer, duplicate header).
import { request } from 'undici';

/** A fixed-width ISA (106 characters with its terminator), `*` `~` `>`. */
export function isa(sender: string, receiver: string, controlNumber: number, version: '00401' | '00501' = '00401'): string {
  const f = ['ISA', '00', ' '.repeat(10), '00', ' '.repeat(10), 'ZZ', sender.padEnd(15), 'ZZ', receiver.padEnd(15), '261121', '0930',
    version === '00501' ? '^' : 'U', version, String(controlNumber).padStart(9, '0'), '0', 'P', '>'];
  return `${f.join('*')}~`;
}

/** An interchange of one group of one set, with SE01, GE01 and IEA01 counted. */
export function interchange(o: { sender: string; controlNumber: number; functionalId: string; set: string; segments: string[]; version?: '00401' | '00501' }): string {
  const version = o.version ?? '00401';
  const body = [`ST*${o.set}*0001`, ...o.segments];
  return [
    isa(o.sender, 'TENDONHOSP', o.controlNumber, version),
    `GS*${o.functionalId}*${o.sender}*TENDONHOSP*20261121*0930*${o.controlNumber}*X*${version}0`,
    ...body, `SE*${body.length + 1}*0001`, `GE*1*${o.controlNumber}`, `IEA*1*${String(o.controlNumber).padStart(9, '0')}`,
  ].map((s, i) => (i === 0 ? s : `${s}~`)).join('\n') + '\n';
}

/** An 855 accepting a one-line PO: the supplier's answer to a Tendon 850. */
export function poAck(o: { sender: string; controlNumber: number; poNumber: string; facility: string; itemId: string; status?: string }): string {
  return interchange({
    sender: o.sender, controlNumber: o.controlNumber, functionalId: 'PR', set: '855',
    segments: [`BAK*00*AD*${o.poNumber}*20261120`, `N1*ST*${o.facility}*92*${o.facility}`, `PO1*1*2*EA*12.50*PE*BP*${o.itemId}`, `ACK*${o.status ?? 'IA'}*2*EA`, 'CTT*1*2'],
  });
}

/**
 * A supplier's 997 about the group numbered `group` (GS06) that Tendon sent it: accepting its 850, or rejecting it
 * for a missing PO102 (quantity) in the PO1 segment at position 4, as a translator reports it.
 */
export function functionalAck(o: { sender: string; controlNumber: number; group: number; accepted: boolean }): string {
  const answer = o.accepted ? ['AK5*A', 'AK9*A*1*1*1'] : ['AK3*PO1*4**8', 'AK4*2*330*1', 'AK5*R*5', 'AK9*R*1*1*0'];
  return interchange({ sender: o.sender, controlNumber: o.controlNumber, functionalId: 'FA', set: '997', segments: [`AK1*PO*${o.group}`, 'AK2*850*0001', ...answer] });
}

/** A control number a test can derive again from a name, so the same name sends the same interchange. */
export const controlNumberOf = (name: string): number => {
  let h = 7;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) % 999_999_937;
  return 1 + h;
};

export interface X12Answer {
  status: number;
  type: string;
  duplicate: boolean;
  body: string;
}

export async function postX12(hub: { url: string }, token: string | null, channel: string, body: string, contentType = 'application/edi-x12'): Promise<X12Answer> {
  const res = await request(`${hub.url}/v1/x12/${channel}`, {
    method: 'POST', body, headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  return { status: res.statusCode, type: String(res.headers['content-type'] ?? ''), duplicate: res.headers['x-tendon-duplicate'] === 'true', body: await res.body.text() };
}

/** The segments of an answer, one string each. */
export const segmentsOf = (answer: string): string[] => answer.split('~').map((s) => s.trim()).filter(Boolean);
