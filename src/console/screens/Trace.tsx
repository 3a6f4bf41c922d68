// Trace (#/trace): find a business transaction by any of its identifiers (GET /v1/search: a PO number, an HL7
// MSH-10, an item, lot, serial or patient token, or "auto"), then follow it (GET /v1/trace/{correlationId}):
// message → events → deliveries → attempts, with the raw message beside its canonical events. A message that was
// refused has no trace; the search lists it by its own id, with a link to its raw content.
import { useEffect, useState, type FormEvent } from 'react';
import { api, query, SEARCH_KINDS, type SearchAnswer, type SearchKind } from '../api.ts';
import { Card } from '../components/Card.tsx';
import { SearchResults } from '../components/SearchResults.tsx';
import { ErrorNote, Loading } from '../components/State.tsx';
import { TraceView } from '../components/TraceView.tsx';
import { dateTime, ms } from '../format.ts';
import { href, navigate, type Route } from '../router.ts';

const KIND_LABELS: Record<SearchKind, string> = {
  auto: 'auto', correlation: 'correlation id', po: 'PO number', msh10: 'HL7 MSH-10', source: 'source id (ISA13, Idempotency-Key)', item: 'item', lot: 'lot', serial: 'serial', patient: 'patient',
};

interface Search {
  loading: boolean;
  answer?: SearchAnswer;
  error?: unknown;
  elapsedMs?: number;
}

export function Trace({ route }: { route: Route }) {
  const q = route.params.get('q') ?? '';
  const kindParam = route.params.get('kind') ?? 'auto';
  const kind = ((SEARCH_KINDS as readonly string[]).includes(kindParam) ? kindParam : 'auto') as SearchKind;
  // A link may name a correlation id as the query alone (kind=correlation): it opens straight away.
  const cid = route.params.get('cid') ?? (kind === 'correlation' && q ? q : null);
  const [draft, setDraft] = useState(q);
  const [draftKind, setDraftKind] = useState<SearchKind>(kind);
  const [search, setSearch] = useState<Search>({ loading: false });
  const [again, setAgain] = useState(0);
  useEffect(() => { setDraft(q); setDraftKind(kind); }, [q, kind]);

  // A search by anything but a correlation id: timed, so the screen can say how long the hub took.
  useEffect(() => {
    if (!q || kind === 'correlation') {
      setSearch({ loading: false });
      return;
    }
    const abort = new AbortController();
    const started = performance.now();
    setSearch({ loading: true });
    api.get<SearchAnswer>(`/v1/search${query({ q, kind })}`, abort.signal).then(
      (answer) => {
        setSearch({ loading: false, answer, elapsedMs: performance.now() - started });
        // One transaction found: open it straight away.
        if (answer.results.length === 1 && !cid) navigate('trace', { q, kind, cid: answer.results[0]!.correlationId }, true);
      },
      (error: unknown) => { if (!abort.signal.aborted) setSearch({ loading: false, error, elapsedMs: performance.now() - started }); },
    );
    return () => abort.abort();
    // `cid` is read, not watched: opening a result must not search again.
  }, [q, kind, again]);

  function submit(e: FormEvent) {
    e.preventDefault();
    const value = draft.trim();
    if (!value) return;
    if (draftKind === 'correlation') navigate('trace', { q: value, kind: draftKind, cid: value });
    else if (value === q && draftKind === kind) setAgain((n) => n + 1);
    else navigate('trace', { q: value, kind: draftKind });
  }

  return (
    <div className="stack">
      <form className="card filter-bar search-bar" onSubmit={submit}>
        <select value={draftKind} onChange={(e) => setDraftKind(e.target.value as SearchKind)} data-testid="trace-kind" aria-label="Search by">
          {SEARCH_KINDS.map((k) => <option key={k} value={k}>{KIND_LABELS[k]}</option>)}
        </select>
        <input className="grow mono" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="correlation id, PO number, MSH-10, item, lot, serial…"
          data-testid="trace-query" aria-label="Search value" />
        <button type="submit" className="primary" data-testid="trace-search">Search</button>
      </form>

      {kind !== 'correlation' && q && (
        <Card title="Results" actions={search.elapsedMs !== undefined && <span className="muted small" data-testid="search-elapsed">
          {search.answer
            ? `${search.answer.results.length} found as ${search.answer.kind} in ${ms(search.elapsedMs)}${search.answer.elapsedMs !== undefined ? ` (hub ${ms(search.answer.elapsedMs)})` : ''}`
            : `answered in ${ms(search.elapsedMs)}`}
        </span>}>
          {search.loading ? <Loading what="Searching" /> : search.error !== undefined ? <ErrorNote error={search.error} />
            : search.answer ? <SearchResults results={search.answer.results} openId={cid} onOpen={(id) => navigate('trace', { q, kind, cid: id })} /> : null}
        </Card>
      )}

      {search.answer && search.answer.refused.length > 0 && (
        <Card title={`Refused messages (${search.answer.refused.length}): answered with the protocol's error, no trace`} testId="search-refused">
          <table className="grid">
            <thead><tr><th>Received</th><th>Channel</th><th>Source id</th><th>Why</th></tr></thead>
            <tbody>
              {search.answer.refused.map((m) => (
                <tr key={m.id} data-testid="refused-result">
                  <td>{dateTime(m.receivedAt)}</td>
                  <td>{m.channel}</td>
                  <td className="mono"><a href={href('channels', { message: m.id })}>{m.sourceId}</a></td>
                  <td className="wrap">{m.error}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}

      {cid && <TraceView key={cid} correlationId={cid} />}
    </div>
  );
}
