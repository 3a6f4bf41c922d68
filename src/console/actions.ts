// Running an action (a POST) from a button: which one is busy, a confirmation when it is done, and the hub's
// problem detail as an error toast when it fails (a 403 included: the API has the last word on roles).
import { useCallback, useState } from 'react';
import { useNotify } from './components/Toasts.tsx';

export function useAction() {
  const notify = useNotify();
  const [busy, setBusy] = useState<string | null>(null);
  const run = useCallback(async <T>(key: string, work: () => Promise<T>, done?: (result: T) => string | null | undefined): Promise<T | undefined> => {
    setBusy(key);
    try {
      const result = await work();
      const text = done?.(result);
      if (text) notify.ok(text);
      return result;
    } catch (e) {
      notify.error(e);
      return undefined;
    } finally {
      setBusy(null);
    }
  }, [notify]);
  return { busy, run, notify };
}
