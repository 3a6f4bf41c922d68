// Short notices in a corner: what an action did, or the hub's problem detail when it failed. Confirmations fade
// after a few seconds, errors after twenty (or when dismissed).
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { messageOf } from '../api.ts';

type Tone = 'ok' | 'warn' | 'error';
interface Toast {
  id: number;
  tone: Tone;
  text: string;
}
export interface Notify {
  ok: (text: string) => void;
  warn: (text: string) => void;
  error: (e: unknown) => void;
}

const ToastContext = createContext<Notify | null>(null);

export function useNotify(): Notify {
  const n = useContext(ToastContext);
  if (!n) throw new Error('useNotify outside ToastProvider');
  return n;
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  const push = useCallback((tone: Tone, text: string) => {
    const id = next.current++;
    setToasts((ts) => [...ts.slice(-4), { id, tone, text }]);
    setTimeout(() => dismiss(id), tone === 'error' ? 20_000 : 6000);
  }, [dismiss]);
  const notify = useMemo<Notify>(() => ({
    ok: (text) => push('ok', text),
    warn: (text) => push('warn', text),
    error: (e) => push('error', messageOf(e)),
  }), [push]);
  return (
    <ToastContext.Provider value={notify}>
      {children}
      <div className="toasts" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.tone}`} data-testid={t.tone === 'error' ? 'toast-error' : 'toast'} role={t.tone === 'error' ? 'alert' : 'status'}>
            <span>{t.text}</span>
            <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => dismiss(t.id)}>×</button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
