// One message (GET /v1/messages/{id}): the raw content as received, PHI masked by the hub, beside the canonical
// events made from it.
import { seg, type MessageView } from '../api.ts';
import { dateTime } from '../format.ts';
import { useGet } from '../hooks.ts';
import { Code, Json } from './Code.tsx';
import { LoadState } from './State.tsx';

export function MessagePanel({ id, withEvents = true }: { id: string; withEvents?: boolean }) {
  const state = useGet<MessageView>(`/v1/messages/${seg(id)}`);
  return (
    <LoadState state={state}>
      {(m) => (
        <div className="stack" data-testid="message-panel">
          <div className="small muted">
            <span className="mono">{m.id}</span> · {m.channel} · from {m.sourceSystem}{m.sourceId ? ` (${m.sourceId})` : ''} · {m.contentType} · {dateTime(m.receivedAt)}
          </div>
          {m.error && <div className="state state-error">Refused: {m.error}</div>}
          <div className={withEvents ? 'grid-2 tight' : undefined}>
            <div>
              <h3>Raw (PHI masked)</h3>
              <Code text={m.raw} testId="message-raw" />
            </div>
            {withEvents && (
              <div>
                <h3>Canonical events ({m.events?.length ?? 0})</h3>
                <Json value={m.events ?? []} testId="message-events" />
              </div>
            )}
          </div>
        </div>
      )}
    </LoadState>
  );
}
