// The workbench's filter bar, and the open counts per group as chips: a chip narrows the filter to its group.
import { useEffect, useState, type FormEvent } from 'react';
import type { ExceptionSummary } from '../api.ts';
import { int } from '../format.ts';

export interface ExceptionFilter {
  category: string;
  facility: string;
  owner: string;
  /** open | resolved | dismissed | any */
  status: string;
  breached: boolean;
  by: 'category' | 'facility' | 'owner';
}

export function filterOf(p: URLSearchParams): ExceptionFilter {
  const by = p.get('by');
  return {
    category: p.get('category') ?? '',
    facility: p.get('facility') ?? '',
    owner: p.get('owner') ?? '',
    status: p.get('status') ?? 'open',
    breached: p.get('breached') === 'true',
    by: by === 'facility' || by === 'owner' ? by : 'category',
  };
}

export function ExceptionFilters({ filter, onChange, summary }: { filter: ExceptionFilter; onChange: (f: ExceptionFilter) => void; summary?: ExceptionSummary }) {
  const [draft, setDraft] = useState(filter);
  // The route changed (a chip, a link, back): the inputs show it.
  const shown = JSON.stringify(filter);
  useEffect(() => setDraft(filter), [shown]);
  const apply = (e?: FormEvent) => {
    e?.preventDefault();
    if (JSON.stringify(draft) !== shown) onChange(draft);
  };
  const set = (change: Partial<ExceptionFilter>, now = false) => {
    const next = { ...draft, ...change };
    setDraft(next);
    if (now) onChange(next);
  };
  const chipKey = filter.by;

  return (
    <div className="card filters">
      <form className="filter-bar" onSubmit={apply}>
        <label className="field-inline"><span>Category</span>
          <input value={draft.category} onChange={(e) => set({ category: e.target.value })} onBlur={() => apply()} placeholder="any" data-testid="filter-category" />
        </label>
        <label className="field-inline"><span>Facility</span>
          <input value={draft.facility} onChange={(e) => set({ facility: e.target.value })} onBlur={() => apply()} placeholder="any" data-testid="filter-facility" />
        </label>
        <label className="field-inline"><span>Owner</span>
          <input value={draft.owner} onChange={(e) => set({ owner: e.target.value })} onBlur={() => apply()} placeholder="any" data-testid="filter-owner" />
        </label>
        <label className="field-inline"><span>Status</span>
          <select value={draft.status} onChange={(e) => set({ status: e.target.value, breached: e.target.value === 'open' ? draft.breached : false }, true)} data-testid="filter-status">
            <option value="open">open</option>
            <option value="resolved">resolved</option>
            <option value="dismissed">dismissed</option>
            <option value="any">any</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={draft.breached} disabled={draft.status !== 'open'} onChange={(e) => set({ breached: e.target.checked }, true)} data-testid="filter-breached" />
          past SLA only
        </label>
        <button type="submit" className="primary">Apply</button>
        <button type="button" onClick={() => { const cleared = { ...filter, category: '', facility: '', owner: '', status: 'open', breached: false }; setDraft(cleared); onChange(cleared); }}>Clear</button>
      </form>
      <div className="chips">
        <span className="muted small">Open by</span>
        <select value={filter.by} onChange={(e) => onChange({ ...filter, by: e.target.value as ExceptionFilter['by'] })} data-testid="summary-by" className="compact">
          <option value="category">category</option>
          <option value="facility">facility</option>
          <option value="owner">owner</option>
        </select>
        {summary && (
          <>
            <span className="chip chip-total">total {int(summary.total.open)}{summary.total.breached > 0 && <b className="text-bad"> · {int(summary.total.breached)} past SLA</b>}</span>
            {summary.data.map((g) => (
              <button key={g.key} type="button" className={`chip ${filter[chipKey] === g.key ? 'chip-on' : ''}`} data-testid="summary-chip"
                onClick={() => onChange({ ...filter, [chipKey]: filter[chipKey] === g.key ? '' : g.key })}>
                {g.key} <b>{int(g.open)}</b>{g.breached > 0 && <b className="text-bad"> · {int(g.breached)} late</b>}
              </button>
            ))}
          </>
        )}
      </div>
    </div>
  );
}
