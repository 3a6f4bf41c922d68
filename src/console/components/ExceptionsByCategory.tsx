// Open exceptions per category as the overview counts them, each a link to the workbench filtered to it.
import type { Overview } from '../api.ts';
import { duration, int } from '../format.ts';
import { href } from '../router.ts';
import { Empty } from './State.tsx';

export function ExceptionsByCategory({ rows }: { rows: Overview['exceptions']['byCategory'] }) {
  if (rows.length === 0) return <Empty>No open exceptions.</Empty>;
  return (
    <div className="table-wrap">
      <table className="grid">
        <thead><tr><th>Category</th><th>Owner</th><th className="num">Open</th><th className="num">Oldest</th></tr></thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.category}>
              <td><a href={href('exceptions', { category: c.category, status: 'open' })}>{c.category}</a></td>
              <td>{c.ownerRole}</td>
              <td className="num">{int(c.open)}</td>
              <td className="num">{duration(c.oldestSeconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
