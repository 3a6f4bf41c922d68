// Master data drift (#/drift, GET /v1/masterdata/drift): where the systems' data has drifted apart before it turns
// into held events — codes senders use that map to no item, inactive items and suppliers still referenced,
// departments and cost centers that cannot be charged, chargeable items without a chargemaster line.
import type { ReactNode } from 'react';
import { query, type Drift as DriftAnswer } from '../api.ts';
import { Card, Kpi } from '../components/Card.tsx';
import { Empty, LoadState } from '../components/State.tsx';
import { int } from '../format.ts';
import { useGet } from '../hooks.ts';
import { href, navigate, type Route } from '../router.ts';

const WINDOWS = [1, 7, 30, 90];

function Section<T>({ title, rows, empty, head, row, testId }: {
  title: string; rows: T[]; empty: string; head: ReactNode; row: (r: T, i: number) => ReactNode; testId: string;
}) {
  return (
    <Card title={`${title} (${rows.length})`} testId={testId}>
      {rows.length === 0 ? <Empty>{empty}</Empty> : (
        <div className="table-wrap">
          <table className="grid"><thead>{head}</thead><tbody>{rows.map(row)}</tbody></table>
        </div>
      )}
    </Card>
  );
}

export function Drift({ route }: { route: Route }) {
  const days = Number(route.params.get('sinceDays') ?? 30) || 30;
  const state = useGet<DriftAnswer>(`/v1/masterdata/drift${query({ sinceDays: days })}`, 60_000);
  return (
    <div className="stack">
      <div className="toolbar">
        <label className="field-inline"><span>Volumes over the last</span>
          <select value={days} onChange={(e) => navigate('drift', { sinceDays: e.target.value }, true)} data-testid="drift-window">
            {WINDOWS.map((d) => <option key={d} value={d}>{d} day{d > 1 ? 's' : ''}</option>)}
          </select>
        </label>
      </div>
      <LoadState state={state}>
        {(d) => (
          <>
            <div className="kpis">
              <Kpi label={`item events mapped (${d.sinceDays} d)`} testId="drift-coverage"
                value={d.mappingCoveragePercent === null ? '—' : `${d.mappingCoveragePercent.toFixed(2)}%`}
                tone={d.mappingCoveragePercent === null ? undefined : d.mappingCoveragePercent >= 99 ? 'ok' : d.mappingCoveragePercent >= 95 ? 'warn' : 'bad'} />
              <Kpi label="unmapped codes" value={int(d.unmappedCodes.length)} tone={d.unmappedCodes.length ? 'warn' : 'ok'} />
              <Kpi label="inactive items referenced" value={int(d.inactiveItemsReferenced.length)} tone={d.inactiveItemsReferenced.length ? 'warn' : 'ok'} />
              <Kpi label="invalid financial dimensions" value={int(d.invalidFinancialDimensions.length)} tone={d.invalidFinancialDimensions.length ? 'bad' : 'ok'} />
              <Kpi label="chargeable without chargemaster" value={int(d.chargeableWithoutChargemaster.length)} tone={d.chargeableWithoutChargemaster.length ? 'warn' : 'ok'} />
            </div>
            <Section title="Unmapped codes" testId="drift-unmapped" rows={d.unmappedCodes} empty="Every code senders use maps to an item."
              head={<tr><th>System</th><th>Code</th><th>GTIN</th><th className="num">Held events</th></tr>}
              row={(u) => (
                <tr key={`${u.system}|${u.code}|${u.gtin ?? ''}`} data-testid="drift-unmapped-row">
                  <td>{u.system}</td>
                  <td className="mono">{u.code}</td>
                  <td className="mono">{u.gtin ?? '—'}</td>
                  <td className="num"><a href={href('exceptions', { category: 'unmapped_item', status: 'open' })}>{int(u.events)}</a></td>
                </tr>
              )} />
            <Section title="Invalid financial dimensions" testId="drift-financial" rows={d.invalidFinancialDimensions} empty="Every department and cost center can be charged."
              head={<tr><th>Kind</th><th>Id</th><th>Problem</th></tr>}
              row={(f) => <tr key={`${f.kind}|${f.id}`}><td>{f.kind}</td><td className="mono">{f.id}</td><td>{f.problem}</td></tr>} />
            <div className="grid-2">
              <Section title="Inactive items still referenced" testId="drift-inactive-items" rows={d.inactiveItemsReferenced} empty="No inactive item is referenced."
                head={<tr><th>Item</th><th>Referenced by</th></tr>}
                row={(i) => <tr key={i.itemId}><td className="mono">{i.itemId}</td><td className="wrap small">{i.referencedBy.join('; ')}</td></tr>} />
              <Section title="Inactive suppliers with active items" testId="drift-inactive-suppliers" rows={d.inactiveSuppliersReferenced} empty="No inactive supplier has active items."
                head={<tr><th>Supplier</th><th>Active items</th></tr>}
                row={(s) => <tr key={s.supplierId}><td className="mono">{s.supplierId}</td><td className="wrap small mono">{s.activeItems.join(', ')}</td></tr>} />
            </div>
            <Section title="Chargeable items without a chargemaster line" testId="drift-no-cdm" rows={d.chargeableWithoutChargemaster} empty="Every chargeable item has a chargemaster line."
              head={<tr><th>Item</th><th>Description</th></tr>}
              row={(c) => <tr key={c.itemId}><td className="mono">{c.itemId}</td><td>{c.description}</td></tr>} />
          </>
        )}
      </LoadState>
    </div>
  );
}
