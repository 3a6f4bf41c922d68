// One registry of error categories. Retry, routing and HTTP answers read the category, never the text.
//  - invalid:   the input is malformed; answer the sender with the protocol's error; never retried
//  - business:  well-formed but refused by a rule (unknown item, closed account); becomes an exception
//  - transient: try again later (timeouts, connection errors, 5xx, 429)
//  - ambiguous: the effect may or may not have happened; retry with the same idempotency key
//  - permanent: retrying can never help (misconfiguration, 4xx other than 409/422/429)
export const ERROR_CATEGORIES = ['invalid', 'business', 'transient', 'ambiguous', 'permanent'] as const;
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

export interface FieldIssue {
  path: string; // JSON path, e.g. "/1/payload/quantity/value"
  message: string;
}

export class TendonError extends Error {
  readonly category: ErrorCategory;
  readonly status: number;
  readonly code: string;
  readonly issues: FieldIssue[];
  /** More members for the answer (e.g. the id under which a refused message was kept). */
  readonly extra: Record<string, unknown> = {};

  constructor(code: string, category: ErrorCategory, status: number, message: string, issues: FieldIssue[] = []) {
    super(message);
    this.name = 'TendonError';
    this.code = code;
    this.category = category;
    this.status = status;
    this.issues = issues;
  }
}

export const invalid = (message: string, issues: FieldIssue[] = []): TendonError =>
  new TendonError('invalid-input', 'invalid', 400, message, issues);
export const notFound = (what: string): TendonError => new TendonError('not-found', 'invalid', 404, `${what} not found`);
export const conflict = (message: string): TendonError => new TendonError('conflict', 'business', 409, message);
export const unauthorized = (message = 'a valid bearer token is required'): TendonError =>
  new TendonError('unauthorized', 'invalid', 401, message);
export const forbidden = (message: string): TendonError => new TendonError('forbidden', 'invalid', 403, message);
export const tooManyAttempts = (message: string): TendonError => new TendonError('too-many-attempts', 'invalid', 429, message);
