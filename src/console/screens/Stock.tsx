// Stock-out risk (#/stock, GET /v1/stock/risk): locations out of an item or below their reorder point, out first,
// with what is already on order (open purchase orders, an open requisition), so a person sees where nothing is
// coming. The hub ranks the rows (critical items and nothing on order first); the page keeps its order.
import { useState } from 'react';
import type { List, StockRisk } from '../api.ts';
import { Card, Kpi } from '../components/Card.tsx';
import { Pill, StatusPill } from '../components/Pill.tsx';
import { Empty, LoadState } from '../components/State.tsx';
import { int } from '../format.ts';
import { useGet } from '../hooks.ts';
import { href } from '../router.ts';

const RANK: Record<string, number> = { out: 0, low: 1 };

/** Out before low, whatever else: a stable sort keeps the hub's order within each. */
export const outFirst = (a: StockRisk, b: StockRisk): number => (RANK[a.status] ?? 2) - (RANK[b.status] ?? 2);

export function Stock() {
  const state = useGet<List<StockRisk> & { total?: number }>('/v1/stock/risk', 30_000);
  const [text, setText] = useState('');
  return (
    <LoadState state={state}>
      {({ data, total }) => {
        const words = text.trim().toLowerCase();
        const rows = data.filter((r) => !words || `${r.location} ${r.itemId} ${r.itemName ?? ''}`.toLowerCase().includes(words)).sort(outFirst);
        const out = data.filter((r) => r.status === 'out').length;
        const uncovered = data.filter((r) => r.onOrder === 0 && !r.openRequisition).length;
        return (
          <div className="stack">
            <div className="kpis">
              <Kpi label="out of stock" value={int(out)} tone={out ? 'bad' : 'ok'} testId="stock-out" />
              <Kpi label="below par" value={int(data.length - out)} tone={data.length - out ? 'warn' : 'ok'} testId="stock-low" />
              <Kpi label="nothing on order" value={int(uncovered)} tone={uncovered ? 'bad' : 'ok'} testId="stock-uncovered" hint="no open purchase order and no open requisition" />
            </div>
            <Card title={`At risk (${rows.length}${total !== undefined && total > data.length ? ` of ${total}` : ''})`} actions={<input value={text} onChange={(e) => setText(e.target.value)} placeholder="filter location or item" className="compact" data-testid="stock-filter" />}>
              {rows.length === 0 ? <Empty>{data.length === 0 ? 'No location is out or below par.' : 'Nothing matches the filter.'}</Empty> : (
                <div className="table-wrap tall">
                  <table className="grid">
                    <thead><tr><th>Status</th><th>Location</th><th>Item</th><th>Description</th><th className="num">On hand</th><th className="num">Reorder at</th><th className="num">Par</th><th className="num">On order</th><th>Open purchase orders</th><th>Requisition</th></tr></thead>
                    <tbody>
                      {rows.map((r) => (
                        <tr key={`${r.location}|${r.itemId}`} data-testid="stock-row" data-status={r.status}>
                          <td><StatusPill status={r.status} />{r.critical && <> <Pill tone="bad" title="a critical item at this location">critical</Pill></>}</td>
                          <td className="mono">{r.location}</td>
                          <td className="mono">{r.itemId}</td>
                          <td>{r.itemName ?? <span className="muted">not in master data</span>}</td>
                          <td className="num">{int(r.onHand)}</td>
                          <td className="num">{int(r.reorderPoint)}</td>
                          <td className="num">{int(r.par)}</td>
                          <td className="num">{r.onOrder > 0 ? int(r.onOrder) : <Pill tone={r.openRequisition ? 'neutral' : 'bad'}>0</Pill>}</td>
                          <td className="small">
                            {r.openPurchaseOrders.length === 0 ? <span className="muted">none</span>
                              : r.openPurchaseOrders.map((po, i) => <span key={po}>{i > 0 && ', '}<a className="mono" href={href('trace', { kind: 'po', q: po })}>{po}</a></span>)}
                          </td>
                          <td>{r.openRequisition ? <Pill tone="info">open</Pill> : <span className="muted">none</span>}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </Card>
          </div>
        );
      }}
    </LoadState>
  );
}
