// For an unmapped item: the ERP items the hub thinks the sender's code means (by GTIN, catalog number or the words
// of a description typed here), each with "map and release" — a cross-reference from the sender's code to the item
// (POST /v1/exceptions/{id}/xref), which releases every event held for that code. Any item id can be typed too.
import { useState, type FormEvent } from 'react';
import { api, seg, type BulkRelease, type ExceptionDetail } from '../api.ts';
import { useAction } from '../actions.ts';
import { pct } from '../format.ts';
import { usePrompt } from './Prompt.tsx';
import { Empty } from './State.tsx';

export function ItemSuggestions({ x, words, onWords, canMap, onMapped }: {
  x: ExceptionDetail; words: string; onWords: (w: string) => void; canMap: boolean; onMapped: () => void;
}) {
  const [typed, setTyped] = useState(words);
  const [itemId, setItemId] = useState('');
  const ask = usePrompt();
  const { busy, run, notify } = useAction();
  const items = x.suggestions.items ?? [];
  const code = `${String(x.detail.system ?? '')} ${String(x.detail.code ?? x.detail.gtin ?? '')}`.trim();

  async function map(id: string) {
    const reason = await ask({
      title: `Map ${code} to ${id}`, message: 'Adds the cross-reference and releases every event held for this code.',
      label: 'Reason', required: true, initial: 'mapped from the workbench', confirm: 'Map and release',
    });
    if (reason === null) return;
    await run(`xref:${id}`, () => api.post<BulkRelease & { xref: unknown }>(`/v1/exceptions/${seg(x.id)}/xref`, { itemId: id, reason }), (r) => {
      onMapped();
      const text = `Mapped ${code} → ${id}; released ${r.released.length}`;
      if (r.stillHeld.length === 0) return text;
      // Mapped, but the events show another problem now (a lot missing, …): raised for its owner.
      notify.warn(`${text}; still held ${r.stillHeld.length}: ${r.stillHeld[0]!.problems.map((p) => p.message).join('; ')}`);
      return null;
    });
  }

  const search = (e: FormEvent) => {
    e.preventDefault();
    onWords(typed.trim());
  };

  return (
    <div className="suggestions" data-testid="item-suggestions">
      <h3>Which item is <span className="mono">{code}</span>?</h3>
      <form className="inline-form" onSubmit={search}>
        <input className="grow" value={typed} onChange={(e) => setTyped(e.target.value)} placeholder="describe the item (e.g. femoral stem size 5)" data-testid="suggestion-query" />
        <button type="submit">Suggest</button>
      </form>
      {items.length === 0 ? (
        <Empty>{words ? 'No active item matches these words.' : 'No item matches the code; describe the item to search by words.'}</Empty>
      ) : (
        <div className="table-wrap">
        <table className="grid">
          <thead><tr><th>Item</th><th>Description, and why</th><th className="num">Score</th><th /></tr></thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.itemId} data-testid="suggestion-row">
                <td className="mono">{s.itemId}</td>
                <td className="wrap">{s.description}<div className="small muted">{s.why}</div></td>
                <td className="num">{pct(s.score, 0)}</td>
                <td className="actions">
                  {canMap && <button type="button" disabled={busy !== null} onClick={() => void map(s.itemId)} data-testid="suggestion-map">Map and release</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      {canMap && (
        <form className="inline-form" onSubmit={(e) => { e.preventDefault(); if (itemId.trim()) void map(itemId.trim()); }}>
          <label className="field-inline"><span>Or item id</span>
            <input value={itemId} onChange={(e) => setItemId(e.target.value)} placeholder="ITM-00123" data-testid="xref-item" />
          </label>
          <button type="submit" disabled={busy !== null || !itemId.trim()} data-testid="xref-submit">Map and release</button>
        </form>
      )}
    </div>
  );
}
