// The exception workbench (#/exceptions): the queue under a filter (category, facility, owner, status, breached),
// open counts per group as chips, checkboxes to release a selection or everything the filter selects, and the
// detail panel of the exception the route names (`id`). The filter lives in the route, so a link reopens it.
import { api, query, type BulkRelease, type ExceptionItem, type ExceptionSummary, type List } from '../api.ts';
import { useAction } from '../actions.ts';
import { Card } from '../components/Card.tsx';
import { ExceptionDetail } from '../components/ExceptionDetail.tsx';
import { ExceptionFilters, filterOf, type ExceptionFilter } from '../components/ExceptionFilters.tsx';
import { ExceptionTable } from '../components/ExceptionTable.tsx';
import { usePrompt } from '../components/Prompt.tsx';
import { LoadState } from '../components/State.tsx';
import { useGet, useSelection } from '../hooks.ts';
import { navigate, paramsOf, type Params, type Route } from '../router.ts';
import { useCan } from '../session.ts';

const LIMIT = 200;

/** What a bulk release did, in one line. */
export function bulkOutcome(r: BulkRelease): string {
  const parts = [`released ${r.released.length}`];
  if (r.stillHeld.length) parts.push(`still held ${r.stillHeld.length} (${r.stillHeld[0]!.problems.map((p) => p.message).join('; ')})`);
  if (r.skipped.length) parts.push(`skipped ${r.skipped.length} (${r.skipped[0]!.reason})`);
  if (r.more) parts.push('more match: run it again');
  return parts.join('; ');
}

export function Exceptions({ route }: { route: Route }) {
  const f = filterOf(route.params);
  const selectedId = route.params.get('id');
  const canOperate = useCan('operator');
  const ask = usePrompt();
  const { busy, run, notify } = useAction();

  const criteria = { category: f.category, facility: f.facility, owner: f.owner };
  const list = useGet<List<ExceptionItem>>(`/v1/exceptions${query({ ...criteria, status: f.status === 'any' ? undefined : f.status, breached: f.breached ? 'true' : undefined, limit: LIMIT })}`, 15_000);
  const summary = useGet<ExceptionSummary>(`/v1/exceptions/summary${query({ ...criteria, by: f.by })}`, 15_000);
  const openIds = list.data?.data.filter((x) => x.status === 'open').map((x) => x.id);
  const selection = useSelection(openIds);

  const go = (change: Params) => navigate('exceptions', { ...paramsOf(route), ...change }, true);
  const setFilter = (next: ExceptionFilter) => navigate('exceptions', { ...next, breached: next.breached ? 'true' : undefined, id: selectedId }, true);
  const refresh = () => {
    list.reload();
    summary.reload();
  };

  async function releaseSelected() {
    const ids = selection.ids;
    await run('bulk', () => api.post<BulkRelease>('/v1/exceptions/release', { ids }), (r) => {
      selection.clear();
      refresh();
      if (r.stillHeld.length || r.skipped.length) {
        notify.warn(bulkOutcome(r));
        return null;
      }
      return bulkOutcome(r);
    });
  }

  async function releaseMatching() {
    const named = Object.entries(criteria).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(', ');
    const count = summary.data?.total.open;
    const reason = await ask({
      title: 'Release every open exception matching the filter',
      message: `${named}${count !== undefined ? ` — ${count} open` : ''}. Each is released in turn; those still wrong stay held.`,
      label: 'Reason', confirm: 'Release all',
    });
    if (reason === null) return;
    await run('bulk-filter', () => api.post<BulkRelease>('/v1/exceptions/release', {
      filter: Object.fromEntries(Object.entries(criteria).filter(([, v]) => v)), ...(reason ? { reason } : {}),
    }), (r) => {
      refresh();
      if (r.stillHeld.length || r.skipped.length || r.more) {
        notify.warn(bulkOutcome(r));
        return null;
      }
      return bulkOutcome(r);
    });
  }

  const hasCriteria = !!(f.category || f.facility || f.owner);

  return (
    <div className="stack">
      <ExceptionFilters filter={f} onChange={setFilter} summary={summary.data} />

      <div className={selectedId ? 'split' : undefined}>
        <Card
          title={list.data ? `${list.data.data.length}${list.data.data.length === LIMIT ? '+' : ''} exceptions` : 'Exceptions'}
          actions={canOperate && (
            <>
              <button type="button" disabled={selection.ids.length === 0 || busy !== null} onClick={() => void releaseSelected()} data-testid="bulk-release">
                Release selected ({selection.ids.length})
              </button>
              <button type="button" disabled={!hasCriteria || busy !== null} onClick={() => void releaseMatching()} data-testid="bulk-release-filter"
                title={hasCriteria ? undefined : 'choose a category, facility or owner first'}>
                Release all matching filter
              </button>
            </>
          )}
        >
          <LoadState state={list}>
            {(d) => <ExceptionTable rows={d.data} selection={selection} selectable={canOperate} selectedId={selectedId} onOpen={(id) => go({ id })} />}
          </LoadState>
        </Card>
        {selectedId && (
          <ExceptionDetail key={selectedId} id={selectedId} onChanged={refresh} onClose={() => go({ id: undefined })} />
        )}
      </div>
    </div>
  );
}
