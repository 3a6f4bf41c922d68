// The live overview: GET /v1/overview once for a first picture, then GET /v1/overview/stream (server-sent events
// named `overview`, one a second) for as long as the screen is open. The last five minutes of samples are kept in
// memory for the charts; nothing is made up between samples: a gap in the stream is a gap in the chart.
import { useEffect, useState } from 'react';
import { api, type Overview } from './api.ts';

export type Connection = 'connecting' | 'live' | 'reconnecting';

export interface Sample {
  /** Epoch ms of the overview (the hub's clock). */
  t: number;
  messagesPerSecond: number;
  deliveredPerSecond: number;
  /** Queued deliveries per destination. */
  backlog: Record<string, number>;
}

export const HISTORY_MS = 5 * 60_000;
/** After the browser gives up on the stream (a 401, the hub restarting), try again this often. */
const RETRY_MS = 5000;

export function sampleOf(o: Overview): Sample {
  return {
    t: Date.parse(o.at),
    messagesPerSecond: o.channels.reduce((n, c) => n + c.messagesPerSecond, 0),
    deliveredPerSecond: o.destinations.reduce((n, d) => n + d.deliveredPerSecond, 0),
    backlog: Object.fromEntries(o.destinations.map((d) => [d.name, d.queued])),
  };
}

export function useOverviewStream(): { overview: Overview | undefined; error: unknown; connection: Connection; history: Sample[] } {
  const [overview, setOverview] = useState<Overview | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [history, setHistory] = useState<Sample[]>([]);

  useEffect(() => {
    let stopped = false;
    let streamed = false;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;

    const take = (o: Overview) => {
      setOverview(o);
      setError(undefined);
      const s = sampleOf(o);
      if (Number.isNaN(s.t)) return;
      setHistory((h) => {
        if (h.length > 0 && h[h.length - 1]!.t >= s.t) return h;
        return [...h.filter((x) => x.t > s.t - HISTORY_MS), s];
      });
    };

    // A plain GET: the first picture, and between stream attempts (it also finds an ended session: 401 signs out).
    const poll = () => api.get<Overview>('/v1/overview').then((o) => { if (!stopped && !streamed) take(o); }, (e: unknown) => { if (!stopped) setError(e); });

    const connect = () => {
      if (stopped) return;
      source = new EventSource('/v1/overview/stream');
      source.addEventListener('open', () => setConnection('live'));
      source.addEventListener('overview', (m) => {
        streamed = true;
        setConnection('live');
        try {
          take(JSON.parse((m as MessageEvent<string>).data) as Overview);
        } catch (e) {
          setError(e);
        }
      });
      source.addEventListener('error', () => {
        setConnection('reconnecting');
        // CONNECTING: the browser retries by itself. CLOSED: it gave up (an error status); try again later.
        if (source?.readyState === EventSource.CLOSED) {
          source.close();
          streamed = false;
          retry = setTimeout(() => { void poll(); connect(); }, RETRY_MS);
        }
      });
    };

    void poll();
    connect();
    return () => {
      stopped = true;
      source?.close();
      if (retry) clearTimeout(retry);
    };
  }, []);

  return { overview, error, connection, history };
}
