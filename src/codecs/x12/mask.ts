// An interchange for display (GET /v1/messages/{id}). The supply-chain documents Tendon takes (855, 856, 810, 832)
// and its partners' 997/999s carry no patient data, so they are shown as received. Anything else a sender may post
// by mistake (an 837 claim, a 270 eligibility request) can carry PHI: its segments keep their tags and every value
// becomes ***, as do the copies of bad data and the context that acknowledgments quote (AK404, IK404, CTX), since
// those may quote such a document. The ISA's authorization and security information (ISA02, ISA04) are masked too.
// Errs towards masking: a text that is not X12 is not shown at all.

/** Not `***`: `*` is the usual element separator, and the mask must not read as delimiters. */
export const MASK = '(masked)';
const SHOWN_SETS = new Set(['855', '856', '810', '832', '997', '999']);
const ENVELOPE = new Set(['ISA', 'IEA', 'GS', 'GE', 'ST', 'SE']);
/** Elements masked wherever they appear. */
const QUOTED: Record<string, number[]> = { ISA: [2, 4], AK4: [4], IK4: [4], CTX: [1, 2, 3, 4, 5, 6, 7, 8, 9] };

export function maskX12(raw: string): string {
  const hidden = `[${raw.length} characters that are not a readable X12 interchange; not shown, as they may carry PHI]`;
  const start = raw.search(/ISA/);
  const element = raw.charAt(start + 3);
  const terminator = raw.charAt(start + 105);
  if (start < 0 || raw.slice(0, start).trim() !== '' || /[\p{L}\p{N}\s]/u.test(element) || /[\p{L}\p{N} ]/u.test(terminator) || terminator === '') return hidden;
  let set: string | null = null;
  return raw.split(terminator).map((piece) => {
    const values = piece.split(element);
    const tag = values[0]!.trim();
    if (tag === 'ST') set = values[1]?.trim() ?? null;
    const readable = ENVELOPE.has(tag) || (set !== null && SHOWN_SETS.has(set));
    if (tag === 'SE') set = null;
    const quoted = Object.hasOwn(QUOTED, tag) ? QUOTED[tag]! : [];
    if (readable && quoted.length === 0) return piece;
    const masked = (i: number) => (readable ? quoted.includes(i) : true);
    return values.map((v, i) => (i === 0 || v.trim() === '' || !masked(i) ? v : MASK)).join(element);
  }).join(terminator);
}
