// Failed deliveries with checkboxes and the per-row replays: redeliver (same key) or reprocess (new revision).
import type { Delivery } from '../api.ts';
import { dateTime, shortId } from '../format.ts';
import type { Selection } from '../hooks.ts';
import { href } from '../router.ts';
import { StatusPill } from './Pill.tsx';
import { Empty } from './State.tsx';

export function DeliveryTable({ rows, selection, canOperate, busy, onReplay }: {
  rows: Delivery[]; selection: Selection; canOperate: boolean; busy: string | null; onReplay: (d: Delivery, mode: 'redeliver' | 'reprocess') => void;
}) {
  if (rows.length === 0) return <Empty>No delivery matches: nothing is dead or rejected here.</Empty>;
  const all = rows.every((d) => selection.has(d.id));
  return (
    <div className="table-wrap tall">
      <table className="grid">
        <thead>
          <tr>
            {canOperate && <th className="check-col"><input type="checkbox" aria-label="Select all" checked={all} onChange={(e) => selection.setAll(rows.map((d) => d.id), e.target.checked)} data-testid="delivery-select-all" /></th>}
            <th>Delivery</th><th>Planned</th><th>Destination</th><th>Action</th><th>Status</th><th className="num">Attempts</th><th>Last error</th><th>Transaction</th>
            {canOperate && <th />}
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.id} data-testid="delivery-row" data-id={d.id}>
              {canOperate && <td className="check-col"><input type="checkbox" aria-label={`Select ${d.id}`} checked={selection.has(d.id)} onChange={() => selection.toggle(d.id)} data-testid="delivery-select" /></td>}
              <td className="mono" title={d.id}>{shortId(d.id)}</td>
              <td>{dateTime(d.createdAt)}</td>
              <td>{d.destination}</td>
              <td className="mono">{d.action}</td>
              <td><StatusPill status={d.status} /></td>
              <td className="num">{d.attempts}</td>
              <td className="wrap ellipsis small" title={d.lastError ?? ''}>{d.lastError ?? ''}</td>
              <td><a className="mono" href={href('trace', { kind: 'correlation', q: d.correlationId, cid: d.correlationId })}>{shortId(d.correlationId)}</a></td>
              {canOperate && (
                <td className="actions">
                  <button type="button" disabled={busy !== null} onClick={() => onReplay(d, 'redeliver')} data-testid="delivery-redeliver">Redeliver</button>
                  <button type="button" disabled={busy !== null} onClick={() => onReplay(d, 'reprocess')} data-testid="delivery-reprocess">Reprocess</button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
