// The transactions a search found, newest first (the hub caps the answer): a click opens one's trace.
import type { SearchResult } from '../api.ts';
import { dateTime } from '../format.ts';
import { Empty } from './State.tsx';

export function SearchResults({ results, openId, onOpen }: { results: SearchResult[]; openId: string | null; onOpen: (correlationId: string) => void }) {
  if (results.length === 0) return <Empty>Nothing found.</Empty>;
  return (
    <div className="table-wrap">
      <table className="grid clickable">
        <thead><tr><th>Correlation id</th><th>Matched</th><th>Facility</th><th>Event types</th><th>First</th><th>Last</th></tr></thead>
        <tbody>
          {results.map((r) => (
            <tr key={r.correlationId} data-testid="search-result" className={r.correlationId === openId ? 'row-selected' : undefined} onClick={() => onOpen(r.correlationId)}>
              <td className="mono">{r.correlationId}</td>
              <td><span className="muted">{r.kind}</span> <span className="mono">{r.value}</span></td>
              <td>{r.facility}</td>
              <td className="wrap small">{r.eventTypes.join(', ')}</td>
              <td>{dateTime(r.firstAt)}</td>
              <td>{dateTime(r.lastAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
