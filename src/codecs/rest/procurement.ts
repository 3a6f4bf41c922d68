// A procurement tool's REST API (a hospital's e-procurement / requisitioning front end): the status of the
// requisitions it submitted goes back to it, line by line, under its own requisition number. Status updates are
// not effects to undo (a later status supersedes an earlier one), so there is no reversal.
import { EncodeError, reference, type RestCodec } from './codec.ts';

/** What the tool is told: these fields only, so nothing else the hub keeps on a delivery leaks into its API. */
export const procurementCodec: RestCodec = (d) => {
  if (d.action !== 'requisition.status') throw new EncodeError(`the procurement codec has no mapping for ${d.action}`);
  const { requisitionNumber, line, status, poNumber, at, detail } = d.body;
  if (typeof requisitionNumber !== 'string' || requisitionNumber === '') {
    throw new EncodeError('a requisition status needs the requisitionNumber the tool knows the requisition by');
  }
  return {
    method: 'POST',
    path: `/requisitions/${encodeURIComponent(requisitionNumber)}/status`,
    json: { requisitionNumber, line: line ?? null, status, poNumber: poNumber ?? null, at, detail: detail ?? null, reference: reference(d) },
  };
};
