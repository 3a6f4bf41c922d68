// Destinations as the dispatcher sees them now (GET /v1/destinations), with Pause and Resume for operators. A
// paused destination keeps its queue and stays paused across a restart.
import { api, seg, type DestinationStatus, type List } from '../api.ts';
import { useAction } from '../actions.ts';
import type { Loaded } from '../hooks.ts';
import { dateTime, int } from '../format.ts';
import { useCan } from '../session.ts';
import { Card } from './Card.tsx';
import { Pill, StatusPill } from './Pill.tsx';
import { Empty, LoadState } from './State.tsx';

export function DestinationsCard({ state }: { state: Loaded<List<DestinationStatus>> }) {
  const canOperate = useCan('operator');
  const { busy, run } = useAction();
  const act = (name: string, action: 'pause' | 'resume') =>
    run(`${action}:${name}`, () => api.post<DestinationStatus>(`/v1/destinations/${seg(name)}/${action}`), () => {
      state.reload();
      return `${name} ${action === 'pause' ? 'paused' : 'resumed'}`;
    });

  return (
    <Card title="Destinations" testId="destinations-card">
      <LoadState state={state}>
        {({ data }) => data.length === 0 ? <Empty>No destinations configured.</Empty> : (
          <div className="table-wrap">
            <table className="grid">
              <thead><tr><th>Destination</th><th>Role</th><th>Address</th><th className="num">Queued</th><th className="num">In flight</th><th className="num">Partitions</th><th>Circuit</th><th>State</th><th>Retry after</th>{canOperate && <th />}</tr></thead>
              <tbody>
                {data.map((d) => (
                  <tr key={d.destination} data-testid={`destination-${d.destination}`}>
                    <td><strong>{d.destination}</strong></td>
                    <td>{d.role}</td>
                    <td className="mono small">{d.url}</td>
                    <td className="num">{int(d.queued)}</td>
                    <td className="num">{int(d.inFlight)}</td>
                    <td className="num">{int(d.partitions)}</td>
                    <td><StatusPill status={d.circuit} /></td>
                    <td>{d.paused ? <Pill tone="warn" testId={`paused-${d.destination}`}>paused</Pill> : <Pill tone="ok">running</Pill>}</td>
                    <td>{d.retryAfterUntil ? dateTime(d.retryAfterUntil) : '—'}</td>
                    {canOperate && (
                      <td className="actions">
                        <button type="button" disabled={d.paused || busy !== null} onClick={() => void act(d.destination, 'pause')} data-testid={`pause-${d.destination}`}>Pause</button>
                        <button type="button" disabled={!d.paused || busy !== null} onClick={() => void act(d.destination, 'resume')} data-testid={`resume-${d.destination}`}>Resume</button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </LoadState>
    </Card>
  );
}
