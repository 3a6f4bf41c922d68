// Alerts as a table: rule, subject, severity, owner, since when, what is wrong and the runbook to follow, and an
// Acknowledge button for operators (POST /v1/alerts/{id}/acknowledge). Used by the overview and the alerts screen.
import { api, seg, type AlertView } from '../api.ts';
import { useAction } from '../actions.ts';
import { ago, dateTime } from '../format.ts';
import { useCan } from '../session.ts';
import { Pill } from './Pill.tsx';
import { Empty } from './State.tsx';

/**
 * Runbooks are repository paths (docs/runbooks/….md); the hub serves them under its own origin. Change this one
 * line to point elsewhere (a docs site, the repository's web view).
 */
export const runbookHref = (path: string): string => `/${path.replace(/^\/+/, '')}`;

function stateOf(a: AlertView): { label: string; tone: 'bad' | 'warn' | 'ok' | 'neutral' } {
  if (a.clearedAt) return { label: 'cleared', tone: 'ok' };
  if (a.acknowledgedAt) return { label: 'acknowledged', tone: 'neutral' };
  if (a.escalatedAt) return { label: 'escalated', tone: 'bad' };
  return { label: 'firing', tone: a.severity === 'critical' ? 'bad' : 'warn' };
}

export function AlertTable({ alerts, onChanged, empty = 'No alerts firing.' }: { alerts: AlertView[]; onChanged?: () => void; empty?: string }) {
  const canAck = useCan('operator');
  const { busy, run } = useAction();
  if (alerts.length === 0) return <Empty>{empty}</Empty>;

  const acknowledge = (a: AlertView) => run(`ack:${a.id}`, () => api.post(`/v1/alerts/${seg(a.id)}/acknowledge`), () => {
    onChanged?.();
    return `Acknowledged ${a.rule} on ${a.subject}`;
  });

  return (
    <div className="table-wrap">
      <table className="grid">
        <thead>
          <tr>
            <th>Severity</th><th>Rule</th><th>Subject</th><th>Owner</th><th>Started</th><th>Summary</th><th>Runbook</th><th>State</th><th />
          </tr>
        </thead>
        <tbody>
          {alerts.map((a) => {
            const state = stateOf(a);
            return (
              <tr key={a.id} data-testid="alert-row" className={a.clearedAt ? 'row-muted' : undefined}>
                <td><Pill tone={a.severity === 'critical' ? 'bad' : 'warn'}>{a.severity}</Pill></td>
                <td className="mono">{a.rule}</td>
                <td>{a.subject}</td>
                <td>{a.ownerRole}</td>
                <td title={a.startedAt}>{dateTime(a.startedAt)} <span className="muted">({ago(a.startedAt)})</span></td>
                <td className="wrap">{a.summary}</td>
                <td><a href={runbookHref(a.runbook)} target="_blank" rel="noreferrer" className="mono">{a.runbook.split('/').pop()}</a></td>
                <td>
                  <Pill tone={state.tone}>{state.label}</Pill>
                  {a.acknowledgedBy && <div className="muted small">by {a.acknowledgedBy} {ago(a.acknowledgedAt)}</div>}
                </td>
                <td className="actions">
                  {!a.acknowledgedAt && !a.clearedAt && canAck && (
                    <button type="button" onClick={() => void acknowledge(a)} disabled={busy === `ack:${a.id}`} data-testid="alert-acknowledge">
                      Acknowledge
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
