// The workbench queue: one row per exception with its SLA clock; open ones can be checked for a bulk release,
// and a click opens the detail panel.
import type { ExceptionItem } from '../api.ts';
import { dateTime, hours } from '../format.ts';
import type { Selection } from '../hooks.ts';
import { ExceptionStatus, Pill } from './Pill.tsx';
import { Empty } from './State.tsx';

/** The problem in the hub's words: its message, else the destination's reason, else the category. */
export function problemOf(x: Pick<ExceptionItem, 'detail' | 'category'>): string {
  const { message, reason } = x.detail;
  if (typeof message === 'string' && message !== 'delivery rejected') return message;
  if (typeof reason === 'string') return reason;
  return typeof message === 'string' ? message : x.category.replace(/_/g, ' ');
}

export function ExceptionTable({ rows, selection, selectable, selectedId, onOpen }: {
  rows: ExceptionItem[]; selection: Selection; selectable: boolean; selectedId: string | null; onOpen: (id: string) => void;
}) {
  if (rows.length === 0) return <Empty>No exception matches this filter.</Empty>;
  const open = rows.filter((x) => x.status === 'open').map((x) => x.id);
  const all = open.length > 0 && open.every((id) => selection.has(id));
  return (
    <div className="table-wrap tall">
      <table className="grid clickable">
        <thead>
          <tr>
            {selectable && (
              <th className="check-col">
                <input type="checkbox" aria-label="Select all open" checked={all} onChange={(e) => selection.setAll(open, e.target.checked)} data-testid="exception-select-all" />
              </th>
            )}
            <th>Category</th><th>Facility</th><th>Owner</th><th>Problem</th><th>Raised</th><th className="num">Age</th><th>SLA</th><th>Status</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((x) => (
            <tr key={x.id} data-testid="exception-row" data-id={x.id} className={x.id === selectedId ? 'row-selected' : undefined} onClick={() => onOpen(x.id)}>
              {selectable && (
                <td className="check-col" onClick={(e) => e.stopPropagation()}>
                  <input type="checkbox" aria-label={`Select ${x.id}`} disabled={x.status !== 'open'} checked={selection.has(x.id)}
                    onChange={() => selection.toggle(x.id)} data-testid="exception-select" />
                </td>
              )}
              <td><span className="mono">{x.category}</span>{x.workflow && <span className="muted small"> · {x.workflow.type}</span>}</td>
              <td>{x.facility}</td>
              <td>{x.ownerRole}</td>
              <td className="wrap ellipsis" title={problemOf(x)}>{problemOf(x)}</td>
              <td title={x.createdAt}>{dateTime(x.createdAt)}</td>
              <td className="num">{hours(x.ageHours)}</td>
              <td title={`due ${x.slaDueAt}`}>{x.breached ? <Pill tone="bad">past SLA</Pill> : x.status === 'open' ? <span className="muted">due {dateTime(x.slaDueAt)}</span> : <span className="muted">—</span>}</td>
              <td><ExceptionStatus status={x.status} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
