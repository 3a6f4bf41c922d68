// One business transaction (GET /v1/trace/{correlationId}): its timeline in time order, indented by lineage
// (message → event → delivery → attempt), the selected message's raw content beside its canonical events, every
// delivery with its attempts, and the exceptions raised on the way.
import { useEffect, useState } from 'react';
import { api, seg, type Trace, type TimelineEntry } from '../api.ts';
import { dateTime, ms, shortId, time } from '../format.ts';
import { href } from '../router.ts';
import { Card } from './Card.tsx';
import { DeliveryAttempts } from './DeliveryAttempts.tsx';
import { MessagePanel } from './MessagePanel.tsx';
import { ExceptionStatus, Pill, toneOf } from './Pill.tsx';
import { ErrorNote, Loading } from './State.tsx';

const DEPTH: Record<string, number> = { message: 0, event: 1, exception: 1, delivery: 2, attempt: 3 };

export function TraceView({ correlationId }: { correlationId: string }) {
  const [trace, setTrace] = useState<Trace | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [elapsed, setElapsed] = useState<number | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const [messageId, setMessageId] = useState<string | null>(null);
  const [deliveryId, setDeliveryId] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    const started = performance.now();
    api.get<Trace>(`/v1/trace/${seg(correlationId)}`, abort.signal).then(
      (t) => {
        setTrace(t);
        setError(undefined);
        setElapsed(performance.now() - started);
        setMessageId((m) => m ?? t.messages[0]?.id ?? null);
      },
      (e: unknown) => { if (!abort.signal.aborted) setError(e); },
    );
    return () => abort.abort();
  }, [correlationId, tick]);

  if (!trace) return error !== undefined ? <ErrorNote error={error} /> : <Loading what="Loading trace" />;

  const eventById = new Map(trace.events.map((e) => [e.id, e]));
  function select(entry: TimelineEntry) {
    if (entry.kind === 'message') setMessageId(entry.id);
    else if (entry.kind === 'event') setMessageId(eventById.get(entry.id)?.messageId ?? null);
    else if (entry.kind === 'delivery' || entry.kind === 'attempt') setDeliveryId(entry.id);
  }
  const selected = (e: TimelineEntry) =>
    (e.kind === 'message' && e.id === messageId) || (e.kind === 'event' && eventById.get(e.id)?.messageId === messageId && !!messageId)
    || ((e.kind === 'delivery' || e.kind === 'attempt') && e.id === deliveryId);

  return (
    <div className="stack" data-testid="trace-view">
      <Card
        title={<>Transaction <span className="mono">{trace.correlationId}</span></>}
        actions={<>
          <span className="muted small" data-testid="trace-elapsed">{trace.messages.length} messages · {trace.events.length} events · {trace.deliveries.length} deliveries · {trace.exceptions.length} exceptions{elapsed !== undefined ? ` · loaded in ${ms(elapsed)}` : ''}</span>
          <button type="button" onClick={() => setTick((n) => n + 1)}>Refresh</button>
        </>}
      >
        {error !== undefined && <ErrorNote error={error} />}
        <div className="split trace-split">
          <ol className="timeline" data-testid="timeline">
            {trace.timeline.map((e, i) => (
              <li key={`${e.kind}:${e.id}:${i}`} data-testid="timeline-entry" data-kind={e.kind}
                className={`timeline-entry depth-${DEPTH[e.kind] ?? 1} ${selected(e) ? 'selected' : ''}`} onClick={() => select(e)}>
                <span className="timeline-time" title={e.at}>{time(e.at)}</span>
                <Pill tone={e.kind === 'attempt' ? attemptTone(e.summary) : toneOf(e.kind)}>{e.kind}</Pill>
                <span className="timeline-summary">{e.summary}</span>
                {e.kind === 'exception'
                  ? <a href={href('exceptions', { id: e.id, status: 'any' })} onClick={(ev) => ev.stopPropagation()} className="mono small">{shortId(e.id)}</a>
                  : <span className="mono small muted">{shortId(e.id)}</span>}
              </li>
            ))}
          </ol>
          <div>
            {messageId ? <MessagePanel key={messageId} id={messageId} /> : <span className="muted">Select a message or an event in the timeline.</span>}
          </div>
        </div>
      </Card>

      <Card title="Deliveries">
        <DeliveryAttempts deliveries={trace.deliveries} openId={deliveryId} onOpen={setDeliveryId} />
      </Card>

      {trace.exceptions.length > 0 && (
        <Card title="Exceptions">
          <table className="grid">
            <thead><tr><th>Category</th><th>Status</th><th>Owner</th><th>Raised</th><th>Problem</th></tr></thead>
            <tbody>
              {trace.exceptions.map((x) => (
                <tr key={x.id}>
                  <td><a href={href('exceptions', { id: x.id, status: 'any' })} className="mono">{x.category}</a></td>
                  <td><ExceptionStatus status={x.status} /></td>
                  <td>{x.ownerRole}</td>
                  <td>{dateTime(x.createdAt)}</td>
                  <td className="wrap">{typeof x.detail.message === 'string' ? x.detail.message : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </div>
  );
}

/** The timeline writes an attempt as "<destination> <outcome> …". */
const attemptTone = (summary: string) => (/ success\b/.test(summary) ? 'ok' : / rejected\b/.test(summary) ? 'bad' : 'warn');
