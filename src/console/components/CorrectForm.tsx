// Correct one field of a held event and release it (POST /v1/exceptions/{id}/correct). Only the fields the hub
// allows are offered; patient, account and money fields are corrected at their source and reprocessed.
import { useState, type FormEvent } from 'react';
import { api, CORRECTABLE_FIELDS, seg } from '../api.ts';
import { useAction } from '../actions.ts';
import type { Notify } from './Toasts.tsx';

export function CorrectForm({ exceptionId, onDone, notify }: { exceptionId: string; onDone: () => void; notify: Notify }) {
  const [field, setField] = useState<string>(CORRECTABLE_FIELDS[0]);
  const [value, setValue] = useState('');
  const [remove, setRemove] = useState(false);
  const [reason, setReason] = useState('');
  const { busy, run } = useAction();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const typed = remove ? null : field === 'quantity/value' ? Number(value) : value;
    await run('correct', () => api.post<{ released: boolean; stillFailing?: string[] }>(`/v1/exceptions/${seg(exceptionId)}/correct`, { field, value: typed, reason }), (r) => {
      onDone();
      if (!r.released) {
        notify.warn(`Corrected ${field}, but the event is still held: ${(r.stillFailing ?? []).join('; ')}`);
        return null;
      }
      return `Corrected ${field} and released`;
    });
  }

  return (
    <form className="inline-form" onSubmit={submit} data-testid="correct-form">
      <label className="field-inline"><span>Field</span>
        <select value={field} onChange={(e) => setField(e.target.value)} data-testid="correct-field">
          {CORRECTABLE_FIELDS.map((f) => <option key={f} value={f}>{f}</option>)}
        </select>
      </label>
      <label className="field-inline"><span>New value</span>
        <input value={value} disabled={remove} onChange={(e) => setValue(e.target.value)} type={field === 'quantity/value' ? 'number' : 'text'} data-testid="correct-value" />
      </label>
      <label className="check"><input type="checkbox" checked={remove} onChange={(e) => setRemove(e.target.checked)} /> remove the field</label>
      <label className="field-inline grow"><span>Reason</span>
        <input value={reason} onChange={(e) => setReason(e.target.value)} required data-testid="correct-reason" />
      </label>
      <button type="submit" className="primary" disabled={busy !== null || !reason.trim() || (!remove && value.trim() === '')} data-testid="correct-submit">
        Correct and release
      </button>
    </form>
  );
}
