// The billing system's REST API: charges and credits on patient accounts. The only codec that puts a patient
// identifier on the wire, and only when the destination is configured to receive PHI.
import { EncodeError, reference, reversalPath, type EncodeContext, type RestCodec } from './codec.ts';

const COLLECTIONS: Record<string, string> = { 'charge.post': 'charges', 'charge.credit': 'credits' };

function patientOf(body: Record<string, unknown>, ctx: EncodeContext): { mrn: string } | { token: string } | null {
  const token = (body.patient as { token?: string } | undefined)?.token;
  if (!token) return null;
  const mrn = ctx.revealed.get(token);
  return mrn === undefined ? { token } : { mrn };
}

export const billingCodec: RestCodec = (d, ctx) => {
  const collection = COLLECTIONS[d.action];
  if (collection) {
    return { method: 'POST', path: `/${collection}`, json: { ...d.body, patient: patientOf(d.body, ctx), reference: reference(d) } };
  }
  if (d.action === 'reverse') return { method: 'POST', path: reversalPath(COLLECTIONS, ctx), json: { reference: reference(d) } };
  throw new EncodeError(`the billing codec has no mapping for ${d.action}`);
};
