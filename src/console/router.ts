// Hash routing: `#/screen?param=value`. The hash holds what a link should reopen (filters, the selected record),
// so a screen reads its state from the route and changes it by navigating.
import { useEffect, useState } from 'react';

export const SCREENS = ['overview', 'exceptions', 'trace', 'deliveries', 'workflows', 'drift', 'channels', 'stock', 'alerts'] as const;
export type Screen = (typeof SCREENS)[number];

export interface Route {
  screen: Screen;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const screen = (SCREENS as readonly string[]).includes(path) ? (path as Screen) : 'overview';
  return { screen, params: new URLSearchParams(search) };
}

export type Params = Record<string, string | number | boolean | null | undefined>;

export function href(screen: Screen, params: Params = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '' && v !== false) q.set(k, String(v));
  const s = q.toString();
  return `#/${screen}${s ? `?${s}` : ''}`;
}

/** Goes to a screen; `replace` changes the current history entry (a filter edit, not a new page). */
export function navigate(screen: Screen, params: Params = {}, replace = false): void {
  const target = href(screen, params);
  if (replace) {
    history.replaceState(null, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = target;
  }
}

/** The current route's params as a plain object, to change one and navigate. */
export const paramsOf = (route: Route): Params => Object.fromEntries(route.params.entries());

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
