// Data hooks shared by the screens: one GET with loading, error and reload; a set of checked row ids.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api.ts';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * GETs `path` (nothing while it is null), again when it changes, on reload(), and every `everyMs` if given. The
 * last good answer stays shown while the next one loads, so a table does not blink on each refresh.
 */
export function useGet<T>(path: string | null, everyMs?: number): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  const shownPath = useRef<string | null>(null);

  useEffect(() => {
    if (path === null) {
      setData(undefined);
      setError(undefined);
      setLoading(false);
      return;
    }
    // A different record: what was shown belongs to another one.
    if (shownPath.current !== path) setData(undefined);
    const abort = new AbortController();
    setLoading(true);
    api.get<T>(path, abort.signal).then(
      (answer) => {
        shownPath.current = path;
        setData(answer);
        setError(undefined);
        setLoading(false);
      },
      (e: unknown) => {
        if (abort.signal.aborted) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => abort.abort();
  }, [path, tick]);

  useEffect(() => {
    if (!everyMs || path === null) return;
    const timer = setInterval(() => setTick((n) => n + 1), everyMs);
    return () => clearInterval(timer);
  }, [everyMs, path]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}

export interface Selection {
  ids: string[];
  has: (id: string) => boolean;
  toggle: (id: string) => void;
  setAll: (ids: string[], on: boolean) => void;
  clear: () => void;
}

/** Checked rows, kept to the ids still listed (a refresh drops the ones that left the list). */
export function useSelection(listed: string[] | undefined): Selection {
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const key = listed?.join(',') ?? '';
  useEffect(() => {
    const present = new Set(listed ?? []);
    setChosen((c) => {
      const kept = [...c].filter((id) => present.has(id));
      return kept.length === c.size ? c : new Set(kept);
    });
    // Keyed on the listed ids' text: a new array with the same rows is no change.
  }, [key]);
  return {
    ids: [...chosen],
    has: (id) => chosen.has(id),
    toggle: (id) => setChosen((c) => {
      const next = new Set(c);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    }),
    setAll: (ids, on) => setChosen(on ? new Set(ids) : new Set()),
    clear: () => setChosen(new Set()),
  };
}
