// Loading, error and empty states, the same on every screen, and LoadState that picks one of them for a GET.
import type { ReactNode } from 'react';
import { ApiError, messageOf } from '../api.ts';
import type { Loaded } from '../hooks.ts';

export const Loading = ({ what = 'Loading' }: { what?: string }) => <div className="state state-loading" data-testid="loading">{what}…</div>;

export function ErrorNote({ error, retry }: { error: unknown; retry?: () => void }) {
  const notYet = error instanceof ApiError && error.status === 404 && /no route/.test(error.message);
  return (
    <div className="state state-error" role="alert" data-testid="error">
      <strong>{notYet ? 'Not available on this hub' : 'Could not load'}</strong> <span>{messageOf(error)}</span>
      {retry && <button type="button" className="link" onClick={retry}>Retry</button>}
    </div>
  );
}

export const Empty = ({ children }: { children: ReactNode }) => <div className="state state-empty" data-testid="empty">{children}</div>;

/**
 * Shows the loading or error state until the first answer, then the content; a later refresh that fails keeps the
 * content and shows the error above it.
 */
export function LoadState<T>({ state, children }: { state: Loaded<T>; children: (data: T) => ReactNode }) {
  if (state.data === undefined) {
    if (state.error !== undefined) return <ErrorNote error={state.error} retry={state.reload} />;
    return <Loading />;
  }
  return (
    <>
      {state.error !== undefined && <ErrorNote error={state.error} retry={state.reload} />}
      {children(state.data)}
    </>
  );
}
