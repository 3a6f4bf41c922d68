// A transaction's deliveries, each expandable to its attempts (when, outcome, status code, latency, error).
import { Fragment } from 'react';
import type { Attempt, Delivery } from '../api.ts';
import { dateTime, ms, shortId } from '../format.ts';
import { Pill, StatusPill } from './Pill.tsx';
import { Empty } from './State.tsx';

const outcomeTone = (o: Attempt['outcome']) => (o === 'success' ? 'ok' : o === 'rejected' ? 'bad' : 'warn');

export function DeliveryAttempts({ deliveries, openId, onOpen }: {
  deliveries: (Delivery & { attemptLog: Attempt[] })[]; openId: string | null; onOpen: (id: string | null) => void;
}) {
  if (deliveries.length === 0) return <Empty>No deliveries were planned.</Empty>;
  return (
    <div className="table-wrap">
      <table className="grid clickable">
        <thead><tr><th>Delivery</th><th>Destination</th><th>Action</th><th>Status</th><th className="num">Attempts</th><th>Planned</th><th>Remote ref</th><th>Last error</th></tr></thead>
        <tbody>
          {deliveries.map((d) => (
            <Fragment key={d.id}>
              <tr data-testid="trace-delivery" className={d.id === openId ? 'row-selected' : undefined} onClick={() => onOpen(d.id === openId ? null : d.id)}>
                <td className="mono" title={d.id}>{shortId(d.id)}</td>
                <td>{d.destination}</td>
                <td className="mono">{d.action}</td>
                <td><StatusPill status={d.status} /></td>
                <td className="num">{d.attempts}</td>
                <td>{dateTime(d.createdAt)}</td>
                <td className="mono">{d.remoteRef ?? '—'}</td>
                <td className="wrap small">{d.lastError ?? ''}</td>
              </tr>
              {d.id === openId && (
                <tr className="subrow">
                  <td colSpan={8}>
                    {d.attemptLog.length === 0 ? <span className="muted">No attempt yet.</span> : (
                      <table className="grid inner">
                        <thead><tr><th>At</th><th>Outcome</th><th className="num">Status</th><th className="num">Latency</th><th>Error</th></tr></thead>
                        <tbody>
                          {d.attemptLog.map((a, i) => (
                            <tr key={i} data-testid="attempt-row">
                              <td>{dateTime(a.at)}</td>
                              <td><Pill tone={outcomeTone(a.outcome)}>{a.outcome}</Pill></td>
                              <td className="num">{a.statusCode ?? '—'}</td>
                              <td className="num">{ms(a.latencyMs)}</td>
                              <td className="wrap small">{a.error ?? ''}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    )}
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
