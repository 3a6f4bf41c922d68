// Deliveries (#/deliveries): the dead (retries exhausted) and rejected (refused for a business reason) deliveries
// under a filter, replayed one at a time, as a selection, or everything the filter selects — redeliver (the same
// idempotency key: never a second effect) or reprocess (today's mappings, a new revision) — and the destinations
// with pause and resume.
import { useState } from 'react';
import { api, query, seg, type Delivery, type DestinationStatus, type List } from '../api.ts';
import { useAction } from '../actions.ts';
import { Card } from '../components/Card.tsx';
import { DeliveryTable } from '../components/DeliveryTable.tsx';
import { DestinationsCard } from '../components/DestinationsCard.tsx';
import { usePrompt } from '../components/Prompt.tsx';
import { LoadState } from '../components/State.tsx';
import { useGet, useSelection } from '../hooks.ts';
import { navigate, paramsOf, type Params, type Route } from '../router.ts';
import { useCan } from '../session.ts';

type Mode = 'redeliver' | 'reprocess';
const STATUSES = ['dead', 'rejected', 'retrying'] as const;
const LIMIT = 500;

export function Deliveries({ route }: { route: Route }) {
  // 'none' (every box unticked) is a status list of its own, not the default.
  const statuses = (route.params.get('status') ?? 'dead,rejected').split(',').filter((s) => (STATUSES as readonly string[]).includes(s));
  const destination = route.params.get('destination') ?? '';
  const eventType = route.params.get('eventType') ?? '';
  const [typedEventType, setTypedEventType] = useState(eventType);
  const [mode, setMode] = useState<Mode>('redeliver');
  const canOperate = useCan('operator');
  const ask = usePrompt();
  const { busy, run } = useAction();

  const filter = { status: statuses.join(','), destination, eventType };
  const list = useGet<List<Delivery>>(statuses.length ? `/v1/deliveries${query({ ...filter, limit: LIMIT })}` : null, 15_000);
  const destinations = useGet<List<DestinationStatus>>('/v1/destinations', 5000);
  const rows = list.data?.data ?? [];
  const selection = useSelection(list.data?.data.map((d) => d.id));
  const go = (change: Params) => navigate('deliveries', { ...paramsOf(route), ...change }, true);
  const toggleStatus = (s: string) => go({ status: (statuses.includes(s) ? statuses.filter((x) => x !== s) : [...statuses, s]).join(',') || 'none' });

  async function replayOne(d: Delivery, m: Mode) {
    if (m === 'reprocess') {
      const ok = await ask({ title: 'Reprocess this message', message: 'The stored message runs through today\'s mappings and master data again; the result is a new revision that supersedes the earlier one.', confirm: 'Reprocess' });
      if (ok === null) return;
    }
    await run(`${m}:${d.id}`, () => api.post<{ mode: Mode }>(`/v1/deliveries/${seg(d.id)}/replay`, { mode: m }), () => {
      list.reload();
      return m === 'redeliver' ? `Delivery to ${d.destination} queued again` : 'Message reprocessed';
    });
  }

  async function replaySelected(m: Mode) {
    const chosen = rows.filter((d) => selection.has(d.id));
    const ok = await ask({ title: `${m === 'redeliver' ? 'Redeliver' : 'Reprocess'} ${chosen.length} selected`, confirm: m === 'redeliver' ? 'Redeliver' : 'Reprocess' });
    if (ok === null) return;
    await run(`selected:${m}`, () => api.post<{ mode: Mode; replayed: number }>('/v1/replay', { ids: chosen.map((d) => d.id), mode: m }), (r) => {
      selection.clear();
      list.reload();
      return `${r.mode}: ${r.replayed} ${r.mode === 'redeliver' ? 'deliveries' : 'messages'} replayed`;
    });
  }

  async function replayMatching() {
    const named = [`status ${filter.status}`, destination && `destination ${destination}`, eventType && `event type ${eventType}`].filter(Boolean).join(', ');
    const ok = await ask({
      title: `${mode === 'redeliver' ? 'Redeliver' : 'Reprocess'} every delivery matching the filter`,
      message: `${named} (${rows.length}${rows.length === LIMIT ? '+' : ''} listed).`, confirm: mode === 'redeliver' ? 'Redeliver all' : 'Reprocess all', danger: mode === 'reprocess',
    });
    if (ok === null) return;
    await run('filter', () => api.post<{ mode: Mode; replayed: number }>('/v1/replay', {
      status: filter.status, ...(destination ? { destination } : {}), ...(eventType ? { eventType } : {}), mode,
    }), (r) => {
      list.reload();
      return `${r.mode}: ${r.replayed} ${r.mode === 'redeliver' ? 'deliveries' : 'messages'} replayed`;
    });
  }

  return (
    <div className="stack">
      <form className="card filter-bar" onSubmit={(e) => { e.preventDefault(); go({ eventType: typedEventType.trim() }); }}>
        <span className="muted small">Status</span>
        {STATUSES.map((s) => (
          <label key={s} className="check">
            <input type="checkbox" checked={statuses.includes(s)} onChange={() => toggleStatus(s)} data-testid={`filter-status-${s}`} /> {s}
          </label>
        ))}
        <label className="field-inline"><span>Destination</span>
          <select value={destination} onChange={(e) => go({ destination: e.target.value })} data-testid="filter-destination">
            <option value="">any</option>
            {destinations.data?.data.map((d) => <option key={d.destination} value={d.destination}>{d.destination}</option>)}
          </select>
        </label>
        <label className="field-inline"><span>Event type</span>
          <input value={typedEventType} onChange={(e) => setTypedEventType(e.target.value)} onBlur={() => typedEventType.trim() !== eventType && go({ eventType: typedEventType.trim() })}
            placeholder="any (e.g. supply.used)" data-testid="filter-event-type" />
        </label>
        <button type="submit" className="primary">Apply</button>
      </form>

      <Card
        title={list.data ? `${rows.length}${rows.length === LIMIT ? '+' : ''} deliveries` : 'Deliveries'}
        actions={canOperate && (
          <>
            <button type="button" disabled={!selection.ids.length || busy !== null} onClick={() => void replaySelected('redeliver')} data-testid="replay-selected-redeliver">
              Redeliver selected ({selection.ids.length})
            </button>
            <button type="button" disabled={!selection.ids.length || busy !== null} onClick={() => void replaySelected('reprocess')} data-testid="replay-selected-reprocess">
              Reprocess selected
            </button>
            <span className="sep" />
            <select value={mode} onChange={(e) => setMode(e.target.value as Mode)} className="compact" data-testid="replay-mode" aria-label="Replay mode">
              <option value="redeliver">redeliver</option>
              <option value="reprocess">reprocess</option>
            </select>
            <button type="button" disabled={!statuses.length || !rows.length || busy !== null} onClick={() => void replayMatching()} data-testid="replay-filter">
              Replay all matching filter
            </button>
          </>
        )}
      >
        {statuses.length === 0 ? <span className="muted">Choose at least one status.</span> : (
          <LoadState state={list}>
            {(d) => <DeliveryTable rows={d.data} selection={selection} canOperate={canOperate} busy={busy} onReplay={(x, m) => void replayOne(x, m)} />}
          </LoadState>
        )}
      </Card>

      <DestinationsCard state={destinations} />
    </div>
  );
}
