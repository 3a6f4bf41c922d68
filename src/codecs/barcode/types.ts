// What a scanned product barcode says, whichever issuing agency's format it came in.

export type BarcodeSymbology = 'gs1' | 'hibcc';

/** HIBC LIC primary data: who labelled the item, their product or catalogue number, and the packaging level. */
export interface HibccPrimary {
  labelerId: string;
  product: string;
  unitOfMeasure: number;
}

export interface ScannedBarcode {
  symbology: BarcodeSymbology;
  /** GS1 AI 01 as GTIN-14 (14 digits, check digit verified); null for HIBCC. */
  gtin: string | null;
  /** HIBC LIC primary data; null for GS1. */
  hibc: HibccPrimary | null;
  lot: string | null;
  serial: string | null;
  /** YYYY-MM-DD. A month-only expiry is the month's last day. */
  expiry: string | null;
  /** YYYY-MM-DD. */
  manufactured: string | null;
}

export type BarcodeResult = { ok: true; value: ScannedBarcode } | { ok: false; error: string };

export const failure = (error: string): BarcodeResult => ({ ok: false, error });

/** A fragment of the input, quoted so control characters and long runs stay readable in an error message. */
export function quote(text: string, max = 32): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
