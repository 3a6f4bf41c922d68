// What Tendon answers a FHIR sender: an OperationOutcome for a refusal (each issue coded from the FHIR issue-type
// value set and pointing at the element with a FHIRPath expression), an informational one for a single resource
// taken, and a batch-response / transaction-response Bundle for a Bundle, one entry per request entry, in order.
import type { Bundle, BundleEntry, OperationOutcome, OperationOutcomeIssue } from './r4.ts';
import type { FailureStatus } from './types.ts';

/** http://hl7.org/fhir/ValueSet/issue-type, the codes Tendon uses (each says to the sender what kind of fix is needed). */
export type IssueType =
  | 'invalid' | 'structure' | 'required' | 'value' | 'invariant' | 'code-invalid' | 'not-supported' | 'business-rule'
  | 'duplicate' | 'too-costly' | 'informational' | 'exception' | 'conflict' | 'processing';

export type Severity = 'fatal' | 'error' | 'warning' | 'information';

/**
 * Diagnostics quote what the sender sent, so they are made valid R4 strings: control characters (other than tab
 * and line ends) replaced, and the length bounded so one huge value cannot make a huge answer.
 */
const printable = (text: string, max: number) => {
  const clean = text.replace(/[^\r\n\t\u0020-\uFFFF]/g, '\uFFFD');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
};

export function issue(code: IssueType, diagnostics: string, expression?: string[], severity: Severity = 'error'): OperationOutcomeIssue {
  const where = expression?.filter((e) => e !== '').map((e) => printable(e, 300));
  return { severity, code, diagnostics: printable(diagnostics, 500), ...(where?.length ? { expression: where } : {}) };
}

export function operationOutcome(issues: OperationOutcomeIssue[]): OperationOutcome {
  // An OperationOutcome needs at least one issue (1..*): an empty list would itself be invalid R4.
  return { resourceType: 'OperationOutcome', issue: issues.length ? issues : [issue('processing', 'no detail')] };
}

/** The answer to a single resource taken: where its event is, and whether it was new or a re-send. */
export function successOutcome(result: { duplicate: boolean; location: string }): OperationOutcome {
  return operationOutcome([
    result.duplicate
      ? issue('duplicate', `already received: this identifier was taken before as ${result.location}; nothing new was done`, undefined, 'information')
      : issue('informational', `received as ${result.location}`, undefined, 'information'),
  ]);
}

/** What happened to one request entry of a Bundle, by its index in the request. */
export type EntryResult =
  | { index: number; status: 'created' | 'duplicate'; location: string }
  | { index: number; status: FailureStatus; outcome: OperationOutcome };

const STATUS_LINE: Record<EntryResult['status'], string> = {
  created: '201 Created',
  duplicate: '200 OK',
  400: '400 Bad Request',
  415: '415 Unsupported Media Type',
  422: '422 Unprocessable Entity',
};

/**
 * The response Bundle: an entry per request entry, in request order. A created event answers `201 Created` and a
 * re-sent one `200 OK` (nothing new was done), both with the event's location. A transaction-response holds only
 * successes: a transaction with any failed entry is answered with the failure's OperationOutcome instead.
 */
export function bundleResponse(type: 'batch' | 'transaction', results: EntryResult[]): Bundle {
  if (type === 'transaction' && results.some((r) => r.status !== 'created' && r.status !== 'duplicate')) {
    throw new Error('a transaction-response holds only successes: answer a failed transaction with its OperationOutcome');
  }
  const entry: BundleEntry[] = [...results].sort((a, b) => a.index - b.index).map((r) =>
    'location' in r
      ? { response: { status: STATUS_LINE[r.status], location: r.location } }
      : { response: { status: STATUS_LINE[r.status], outcome: r.outcome } },
  );
  return { resourceType: 'Bundle', type: type === 'batch' ? 'batch-response' : 'transaction-response', entry };
}

/** The HTTP status of a set of issues: any structural one makes it 400 (fix the JSON first), else 422. */
export function statusOf(issues: OperationOutcomeIssue[]): 400 | 422 {
  const structural = new Set(['invalid', 'structure', 'invariant', 'code-invalid']);
  return issues.some((i) => structural.has(i.code)) ? 400 : 422;
}
