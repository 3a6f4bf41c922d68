// The patient of a billing delivery, as a destination may see it: the MRN in clear only when the dispatcher revealed
// it (the destination has phi: true, and only in memory, just before encoding), otherwise Tendon's token.

/** The MRN the dispatcher revealed for the body's patient token, or null (no patient, or no PHI allowed). */
export function revealedMrn(body: Record<string, unknown>, revealed: ReadonlyMap<string, string>): string | null {
  const token = (body.patient as { token?: string } | undefined)?.token;
  return token ? revealed.get(token) ?? null : null;
}
