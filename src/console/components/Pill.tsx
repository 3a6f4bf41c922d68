// Status pills: green when all is well, amber when it needs watching, red when it needs someone.
import type { ReactNode } from 'react';

export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'neutral';

export function Pill({ tone, children, title, testId }: { tone: Tone; children: ReactNode; title?: string; testId?: string }) {
  return <span className={`pill pill-${tone}`} title={title} data-testid={testId}>{children}</span>;
}

const TONES: Record<string, Tone> = {
  // circuits
  closed: 'ok', halfopen: 'warn', open: 'bad',
  // service levels and alerts
  breached: 'bad', 'no-data': 'neutral', critical: 'bad', warning: 'warn',
  // deliveries
  delivered: 'ok', pending: 'info', in_flight: 'info', retrying: 'warn', dead: 'bad', rejected: 'bad', superseded: 'neutral',
  // events
  accepted: 'ok', held: 'warn', dismissed: 'neutral',
  // exceptions and workflows
  resolved: 'ok', running: 'info', completed: 'ok', cancelled: 'neutral',
  // channels
  listening: 'ok', stopped: 'bad',
  // stock
  out: 'bad', low: 'warn',
  // timeline
  message: 'info', event: 'info', delivery: 'neutral', attempt: 'neutral', exception: 'warn',
};

/** An exception's status: open needs someone (amber), resolved is done, dismissed is set aside. */
export const exceptionTone = (status: string): Tone => (status === 'open' ? 'warn' : status === 'resolved' ? 'ok' : 'neutral');

export function ExceptionStatus({ status, testId }: { status: string; testId?: string }) {
  return <Pill tone={exceptionTone(status)} testId={testId}>{status}</Pill>;
}

/** The tone of a status word as the hub writes it; `ok` is green everywhere. */
export const toneOf = (status: string): Tone => (status === 'ok' ? 'ok' : TONES[status] ?? 'neutral');

export function StatusPill({ status, testId }: { status: string; testId?: string }) {
  return <Pill tone={toneOf(status)} testId={testId}>{status.replace('_', ' ')}</Pill>;
}
