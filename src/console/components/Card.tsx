// A titled panel, and the KPI tile the overview opens with.
import type { ReactNode } from 'react';

export function Card({ title, actions, children, className, testId }: {
  title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string; testId?: string;
}) {
  return (
    <section className={`card ${className ?? ''}`} data-testid={testId}>
      {(title || actions) && (
        <header className="card-head">
          {title && <h2>{title}</h2>}
          {actions && <div className="card-actions">{actions}</div>}
        </header>
      )}
      <div className="card-body">{children}</div>
    </section>
  );
}

export function Kpi({ label, value, tone, hint, testId }: { label: string; value: ReactNode; tone?: 'ok' | 'warn' | 'bad'; hint?: string; testId?: string }) {
  return (
    <div className={`kpi ${tone ? `kpi-${tone}` : ''}`} data-testid={testId} title={hint}>
      <div className="kpi-value">{value}</div>
      <div className="kpi-label">{label}</div>
    </div>
  );
}

/** Label/value pairs, two columns, for a record's facts. */
export function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {rows.map(([k, v]) => (
        <div key={k} className="fact"><dt>{k}</dt><dd>{v}</dd></div>
      ))}
    </dl>
  );
}
