// RFC 9457 problem details, the one error shape every simulator answers with. The status code carries the
// meaning Tendon relies on: 422 is a business refusal (do not retry until the data changes), 4xx other than
// that is a malformed request, 5xx / resets are technical failures worth retrying.

export type Problem = { type: string; title: string; status: number; detail: string; [extra: string]: unknown };

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function problem(status: number, detail: string, extra: Record<string, unknown> = {}): Problem {
  const title = TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
  const slug = title.toLowerCase().replace(/[^a-z]+/g, '-');
  return { type: `https://tendon.dev/problems/sim/${slug}`, title, status, detail, ...extra };
}

/**
 * Thrown by domain logic to refuse a request. Handlers throw, the shared error handler turns it into
 * problem+json; nothing has been mutated when one is thrown (checks always run before effects).
 */
export class SimError extends Error {
  readonly status: number;
  readonly extra: Record<string, unknown>;
  constructor(status: number, detail: string, extra: Record<string, unknown> = {}) {
    super(detail);
    this.status = status;
    this.extra = extra;
  }
  toProblem(): Problem {
    return problem(this.status, this.message, this.extra);
  }
}

/** A business refusal: the request is well-formed but the receiving system's data says no. */
export const refuse = (detail: string): SimError => new SimError(422, detail);
export const badRequest = (detail: string, extra: Record<string, unknown> = {}): SimError =>
  new SimError(400, detail, extra);
export const notFound = (detail: string): SimError => new SimError(404, detail);
