// One workflow instance (GET /v1/workflows/{type}/{key}): where it stands, the decisions open to a person (on the
// instance, and on each open process exception), its timers, deliveries, exceptions and every step it took.
import { seg, type WorkflowDetail as Detail } from '../api.ts';
import { dateTime, json } from '../format.ts';
import { useGet } from '../hooks.ts';
import { href } from '../router.ts';
import { Card, Facts } from './Card.tsx';
import { Code, Json } from './Code.tsx';
import { Decisions } from './Decisions.tsx';
import { ExceptionStatus, StatusPill } from './Pill.tsx';
import { Empty, LoadState } from './State.tsx';

/** A step's input in a few words: its kind and what it names. */
function inputOf(input: unknown): string {
  if (!input || typeof input !== 'object') return String(input);
  const i = input as Record<string, unknown>;
  const event = i.event && typeof i.event === 'object' ? (i.event as Record<string, unknown>).type : undefined;
  const what = [event, i.name, i.decision, i.status, i.actor && `by ${String(i.actor)}`].filter((v) => typeof v === 'string').join(' ');
  return `${String(i.kind ?? 'input')}${what ? `: ${what}` : ''}`;
}

export function WorkflowDetail({ type, wkey, onChanged, onClose }: { type: string; wkey: string; onChanged: () => void; onClose: () => void }) {
  const state = useGet<Detail>(`/v1/workflows/${seg(type)}/${seg(wkey)}`);
  const decided = () => {
    state.reload();
    onChanged();
  };
  return (
    <Card className="detail" testId="workflow-detail" title={<>{type} <span className="mono small">{wkey}</span></>}
      actions={<button type="button" className="link" onClick={onClose}>Close ×</button>}>
      <LoadState state={state}>
        {(w) => {
          const open = w.exceptions.filter((x) => x.status === 'open');
          const decisionsOf = (x: (typeof open)[number]) => (Array.isArray(x.detail.decisions) ? (x.detail.decisions as string[]) : []);
          // A decision an open exception offers is taken there (it names the exception); the rest are the instance's own.
          const ownDecisions = w.decisions.filter((d) => !open.some((x) => decisionsOf(x).includes(d)));
          return (
            <div className="stack">
              <Facts rows={[
                ['Stage', <strong>{w.stage}</strong>],
                ['Status', <StatusPill status={w.status} />],
                ['Facility', w.facility],
                ['Version', String(w.version)],
                ['Started', dateTime(w.createdAt)],
                ['Updated', dateTime(w.updatedAt)],
                ['Trace', <a className="mono" href={href('trace', { kind: 'correlation', q: w.correlationId, cid: w.correlationId })}>{w.correlationId}</a>],
              ]} />

              <div>
                <h3>Decisions</h3>
                {ownDecisions.length > 0 || open.length === 0
                  ? <Decisions type={w.type} wkey={w.key} decisions={ownDecisions} onDecided={decided} />
                  : <span className="muted">on the open exception below</span>}
              </div>

              {open.map((x) => (
                <div key={x.id} className="state state-warn" data-testid="workflow-exception">
                  <div><a href={href('exceptions', { id: x.id, status: 'any' })} className="mono">{x.category}</a> · {x.ownerRole} · raised {dateTime(x.createdAt)}</div>
                  <p>{typeof x.detail.message === 'string' ? x.detail.message : ''}</p>
                  <Decisions type={w.type} wkey={w.key} exceptionId={x.id}
                    decisions={decisionsOf(x)}
                    data={typeof x.detail.invoiceNumber === 'string' ? { invoiceNumber: x.detail.invoiceNumber } : undefined} onDecided={decided} />
                </div>
              ))}

              <div>
                <h3>Timers</h3>
                {w.timers.length === 0 ? <Empty>No timer set.</Empty> : (
                  <table className="grid"><thead><tr><th>Timer</th><th>Due</th></tr></thead>
                    <tbody>{w.timers.map((t) => <tr key={t.name}><td className="mono">{t.name}</td><td>{dateTime(t.dueAt)}</td></tr>)}</tbody></table>
                )}
              </div>

              <div>
                <h3>Deliveries</h3>
                {w.deliveries.length === 0 ? <Empty>No deliveries.</Empty> : (
                  <table className="grid">
                    <thead><tr><th>Destination</th><th>Action</th><th>Status</th><th>Remote ref</th><th>Last error</th></tr></thead>
                    <tbody>{w.deliveries.map((d) => (
                      <tr key={d.id}><td>{d.destination}</td><td className="mono">{d.action}</td><td><StatusPill status={d.status} /></td><td className="mono">{d.remoteRef ?? '—'}</td><td className="wrap small">{d.lastError ?? ''}</td></tr>
                    ))}</tbody>
                  </table>
                )}
              </div>

              {w.exceptions.length > open.length && (
                <div>
                  <h3>Closed exceptions</h3>
                  <table className="grid">
                    <thead><tr><th>Category</th><th>Status</th><th>Closed</th><th>Resolution</th></tr></thead>
                    <tbody>{w.exceptions.filter((x) => x.status !== 'open').map((x) => (
                      <tr key={x.id}><td className="mono">{x.category}</td><td><ExceptionStatus status={x.status} /></td><td>{dateTime(x.resolvedAt)} {x.resolvedBy ?? ''}</td><td className="wrap small">{x.resolution ?? ''}</td></tr>
                    ))}</tbody>
                  </table>
                </div>
              )}

              <div>
                <h3>History ({w.history.length} steps)</h3>
                <table className="grid">
                  <thead><tr><th className="num">#</th><th>At</th><th>Input</th><th className="num">Effects</th><th /></tr></thead>
                  <tbody>{w.history.map((h) => (
                    <tr key={h.seq} data-testid="workflow-step">
                      <td className="num">{h.seq}</td>
                      <td>{dateTime(h.at)}</td>
                      <td className="mono small">{inputOf(h.input)}</td>
                      <td className="num">{h.effects.length}</td>
                      <td><details><summary>show</summary><Code text={json({ input: h.input, effects: h.effects })} /></details></td>
                    </tr>
                  ))}</tbody>
                </table>
              </div>

              <details><summary>State</summary><Json value={w.state} /></details>
            </div>
          );
        }}
      </LoadState>
    </Card>
  );
}
