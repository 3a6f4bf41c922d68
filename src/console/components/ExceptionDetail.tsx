// One exception in the workbench: its facts and SLA, what usually fixes it, the held event beside the raw message
// it came from (PHI masked by the hub), suggestions for an unmapped item, and the actions that resolve it:
// release, dismiss (with a reason), correct one field, map the item and release, or a workflow decision.
import { useEffect, useState, type ReactNode } from 'react';
import { api, query, seg, type ExceptionDetail as Detail } from '../api.ts';
import { useAction } from '../actions.ts';
import { ago, dateTime, hours, json } from '../format.ts';
import { useGet } from '../hooks.ts';
import { href } from '../router.ts';
import { useCan } from '../session.ts';
import { Card, Facts } from './Card.tsx';
import { Code, Json } from './Code.tsx';
import { CorrectForm } from './CorrectForm.tsx';
import { Decisions } from './Decisions.tsx';
import { problemOf } from './ExceptionTable.tsx';
import { ItemSuggestions } from './ItemSuggestions.tsx';
import { ExceptionStatus, Pill, StatusPill } from './Pill.tsx';
import { usePrompt } from './Prompt.tsx';
import { LoadState } from './State.tsx';

const show = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function ExceptionDetail({ id, onChanged, onClose }: { id: string; onChanged: () => void; onClose: () => void }) {
  const [words, setWords] = useState('');
  const state = useGet<Detail>(`/v1/exceptions/${seg(id)}${query({ q: words })}`);
  const changed = () => {
    state.reload();
    onChanged();
  };
  return (
    <Card
      className="detail"
      testId="exception-detail"
      title={<>Exception <span className="mono muted small">{id}</span></>}
      actions={<button type="button" className="link" onClick={onClose} aria-label="Close" data-testid="exception-close">Close ×</button>}
    >
      <LoadState state={state}>{(x) => <Body x={x} words={words} onWords={setWords} onChanged={changed} />}</LoadState>
    </Card>
  );
}

function Body({ x, words, onWords, onChanged }: { x: Detail; words: string; onWords: (w: string) => void; onChanged: () => void }) {
  const canOperate = useCan('operator');
  const ask = usePrompt();
  const { busy, run, notify } = useAction();
  const [correcting, setCorrecting] = useState(false);
  useEffect(() => setCorrecting(false), [x.id, x.status]);

  const open = x.status === 'open';
  const heldEvent = !!x.eventId && !x.deliveryId && !x.workflow;
  const stillFailing = Array.isArray(x.detail.stillFailing) ? (x.detail.stillFailing as string[]) : [];
  const decisions = Array.isArray(x.detail.decisions) ? (x.detail.decisions as string[]) : [];
  const facts = Object.entries(x.suggestions.facts ?? {});

  async function release() {
    await run('release', () => api.post<{ released: boolean }>(`/v1/exceptions/${seg(x.id)}/release`, {}), () =>
      (x.deliveryId ? 'Released: the delivery is sent again' : 'Released: the event is processed'));
    // Refreshed either way: a release that found the event still wrong updated the exception (or raised another).
    onChanged();
  }

  async function dismiss() {
    const reason = await ask({ title: 'Dismiss this exception', message: heldEvent ? 'The held event is never processed.' : undefined, label: 'Reason', required: true, confirm: 'Dismiss', danger: true });
    if (reason === null) return;
    await run('dismiss', () => api.post(`/v1/exceptions/${seg(x.id)}/dismiss`, { reason }), () => {
      onChanged();
      return 'Dismissed';
    });
  }

  return (
    <div className="stack">
      <div className="detail-head">
        <span className="mono strong">{x.category}</span>
        <ExceptionStatus status={x.status} testId="exception-status" />
        {x.breached && <Pill tone="bad">past SLA</Pill>}
      </div>
      <p className="problem">{problemOf(x)}</p>
      {stillFailing.length > 0 && open && (
        <div className="state state-warn" data-testid="exception-still-failing">
          Still failing after the last release{typeof x.detail.lastReleaseBy === 'string' ? ` by ${x.detail.lastReleaseBy}` : ''}: {stillFailing.join('; ')}
        </div>
      )}
      <div className="fix"><span className="muted">Suggested fix: </span>{x.suggestions.fix || x.suggestedFix}</div>

      <Facts rows={[
        ['Facility', x.facility],
        ['Owner', x.ownerRole],
        ['Raised', <span title={x.createdAt}>{dateTime(x.createdAt)} ({ago(x.createdAt)})</span>],
        ['SLA', `${x.policy.slaHours} h · due ${dateTime(x.slaDueAt)} · age ${hours(x.ageHours)}`],
        ['Trace', <a href={href('trace', { kind: 'correlation', q: x.correlationId, cid: x.correlationId })} className="mono">{x.correlationId}</a>],
        ...(x.workflow ? [['Workflow', <a href={href('workflows', { wtype: x.workflow.type, wkey: x.workflow.key })} className="mono">{x.workflow.type} {x.workflow.key}</a>] as [string, ReactNode]] : []),
        ...(x.resolvedAt ? [['Closed', `${dateTime(x.resolvedAt)} by ${x.resolvedBy ?? '—'}: ${x.resolution ?? ''}`] as [string, ReactNode]] : []),
      ]} />

      {facts.length > 0 && <Facts rows={facts.map(([k, v]) => [k, <span className="mono">{show(v)}</span>])} />}

      {open && canOperate && (
        <div className="button-row">
          {x.workflow ? (
            <Decisions type={x.workflow.type} wkey={x.workflow.key} decisions={decisions} exceptionId={x.id}
              data={typeof x.detail.invoiceNumber === 'string' ? { invoiceNumber: x.detail.invoiceNumber } : undefined} onDecided={onChanged} />
          ) : (
            <>
              <button type="button" className="primary" onClick={() => void release()} disabled={busy !== null} data-testid="exception-release">
                {x.deliveryId ? 'Release (redeliver)' : 'Release'}
              </button>
              {heldEvent && (
                <button type="button" onClick={() => setCorrecting((c) => !c)} disabled={busy !== null} data-testid="exception-correct">Correct field…</button>
              )}
              <button type="button" className="danger" onClick={() => void dismiss()} disabled={busy !== null} data-testid="exception-dismiss">Dismiss…</button>
            </>
          )}
        </div>
      )}
      {correcting && open && <CorrectForm exceptionId={x.id} onDone={() => { setCorrecting(false); onChanged(); }} notify={notify} />}

      {x.category === 'unmapped_item' && (
        <ItemSuggestions x={x} words={words} onWords={onWords} canMap={open && canOperate} onMapped={onChanged} />
      )}

      {x.delivery && (
        <div>
          <h3>Delivery</h3>
          <Facts rows={[
            ['Destination', x.delivery.destination], ['Action', x.delivery.action], ['Status', <StatusPill status={x.delivery.status} />],
            ['Attempts', String(x.delivery.attempts)], ['Last error', <span className="mono wrap">{x.delivery.lastError ?? '—'}</span>],
          ]} />
        </div>
      )}

      {(x.event || x.message) && (
        <div className="grid-2 tight">
          <div>
            <h3>{x.event?.status === 'held' ? 'Held event' : 'Event'}</h3>
            {x.event ? <Json value={x.event} testId="exception-event" /> : <span className="muted">no event</span>}
          </div>
          <div>
            <h3>Raw message <span className="muted small">{x.message ? `${x.message.contentType} · ${x.message.channel}` : ''}</span></h3>
            {x.message ? <Code text={x.message.raw} testId="exception-raw" /> : <span className="muted">no message</span>}
          </div>
        </div>
      )}

      {!!x.detail.corrections && (
        <details><summary>Corrections made</summary><Code text={json(x.detail.corrections)} /></details>
      )}
    </div>
  );
}
