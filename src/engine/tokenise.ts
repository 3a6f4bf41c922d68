// PHI tokenisation at the door: every `patient.identifier` in a payload becomes `patient.token` before the event
// exists, and the identifier's encrypted original goes to the vault. Pure apart from the vault's crypto.
import type { PhiVault } from '../security/phi.ts';

export interface Sealed {
  token: string;
  sealed: Uint8Array;
}

export function tokenisePayload(payload: Record<string, unknown>, vault: PhiVault): { payload: Record<string, unknown>; seals: Sealed[] } {
  const patient = payload.patient as { identifier?: string; token?: string } | undefined;
  if (!patient?.identifier) return { payload, seals: [] };
  const token = vault.token(patient.identifier);
  return {
    payload: { ...payload, patient: { token } },
    seals: [{ token, sealed: vault.encrypt(Buffer.from(patient.identifier, 'utf8')) }],
  };
}

/** Every patient token a delivery body names: the only PHI a destination allowed to receive it gets restored. */
export function tokensIn(body: Record<string, unknown>): string[] {
  const token = (body.patient as { token?: string } | undefined)?.token;
  return token ? [token] : [];
}
