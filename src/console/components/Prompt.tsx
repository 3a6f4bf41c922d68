// A small modal that asks one thing before an action: a reason to dismiss, a confirmation to release everything a
// filter selects. `const ask = usePrompt(); const reason = await ask({...})` answers the text, or null if cancelled.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';

export interface PromptOptions {
  title: string;
  /** What the action will do, in a sentence. */
  message?: string;
  /** The input's label; without one the dialog only confirms. */
  label?: string;
  required?: boolean;
  initial?: string;
  confirm?: string;
  danger?: boolean;
}
type Ask = (o: PromptOptions) => Promise<string | null>;

const PromptContext = createContext<Ask | null>(null);

export function usePrompt(): Ask {
  const ask = useContext(PromptContext);
  if (!ask) throw new Error('usePrompt outside PromptProvider');
  return ask;
}

export function PromptProvider({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState<(PromptOptions & { resolve: (v: string | null) => void }) | null>(null);
  const ask = useCallback<Ask>((o) => new Promise((resolve) => setOpen({ ...o, resolve })), []);
  const close = (value: string | null) => {
    open?.resolve(value);
    setOpen(null);
  };
  return (
    <PromptContext.Provider value={ask}>
      {children}
      {open && <PromptDialog options={open} onClose={close} />}
    </PromptContext.Provider>
  );
}

function PromptDialog({ options, onClose }: { options: PromptOptions; onClose: (v: string | null) => void }) {
  const [value, setValue] = useState(options.initial ?? '');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') onClose(null); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const blocked = !!options.required && value.trim() === '';
  return (
    <div className="modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) onClose(null); }}>
      <form className="modal" role="dialog" aria-modal="true" aria-label={options.title} data-testid="dialog"
        onSubmit={(e) => { e.preventDefault(); if (!blocked) onClose(value.trim()); }}>
        <h3>{options.title}</h3>
        {options.message && <p className="muted">{options.message}</p>}
        {options.label && (
          <label className="field">
            <span>{options.label}{options.required ? '' : ' (optional)'}</span>
            <input ref={input} value={value} onChange={(e) => setValue(e.target.value)} data-testid="dialog-input" />
          </label>
        )}
        <div className="modal-actions">
          <button type="button" onClick={() => onClose(null)} data-testid="dialog-cancel">Cancel</button>
          <button type="submit" className={options.danger ? 'danger' : 'primary'} disabled={blocked} data-testid="dialog-confirm">
            {options.confirm ?? 'Confirm'}
          </button>
        </div>
      </form>
    </div>
  );
}
