// Channels (#/channels): every inbound channel with what it received and refused (GET /v1/channels), and the
// refused messages (GET /v1/messages/refused), each one's raw content viewable (PHI masked by the hub).
import { type ChannelInfo, type List, type MessageMeta } from '../api.ts';
import { Card } from '../components/Card.tsx';
import { MessagePanel } from '../components/MessagePanel.tsx';
import { StatusPill } from '../components/Pill.tsx';
import { Empty, LoadState } from '../components/State.tsx';
import { dateTime, int, shortId } from '../format.ts';
import { useGet } from '../hooks.ts';
import { navigate, type Route } from '../router.ts';

export function Channels({ route }: { route: Route }) {
  const viewing = route.params.get('message');
  const channels = useGet<List<ChannelInfo>>('/v1/channels', 10_000);
  const refused = useGet<List<MessageMeta>>('/v1/messages/refused?limit=200', 30_000);
  const view = (id: string | null) => navigate('channels', { message: id }, true);

  return (
    <div className="stack">
      <Card title="Inbound channels" testId="channels-card">
        <LoadState state={channels}>
          {({ data }) => data.length === 0 ? <Empty>No inbound channel is configured.</Empty> : (
            <div className="table-wrap">
              <table className="grid">
                <thead><tr><th>Channel</th><th>Kind</th><th>Status</th><th>Listening on</th><th className="num">Received</th><th className="num">Refused</th><th className="num">Per second</th></tr></thead>
                <tbody>
                  {data.map((c) => (
                    <tr key={c.name} data-testid="channel-row">
                      <td><strong>{c.name}</strong></td>
                      <td>{c.kind}</td>
                      <td><StatusPill status={c.status} /></td>
                      <td className="mono small">{c.listening ?? '—'}</td>
                      <td className="num">{int(c.received)}</td>
                      <td className={`num ${c.refused > 0 ? 'text-warn' : ''}`}>{int(c.refused)}</td>
                      <td className="num">{c.messagesPerSecond.toFixed(2)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </LoadState>
      </Card>

      <div className={viewing ? 'split' : undefined}>
        <Card title="Refused messages, newest first" testId="refused-card">
          <LoadState state={refused}>
            {({ data }) => data.length === 0 ? <Empty>No message was refused.</Empty> : (
              <div className="table-wrap tall">
                <table className="grid clickable">
                  <thead><tr><th>Received</th><th>Channel</th><th>From</th><th>Type</th><th>Why refused</th><th /></tr></thead>
                  <tbody>
                    {data.map((m) => (
                      <tr key={m.id} data-testid="refused-row" className={m.id === viewing ? 'row-selected' : undefined} onClick={() => view(m.id)}>
                        <td title={m.receivedAt}>{dateTime(m.receivedAt)}</td>
                        <td className="mono small">{m.channel}</td>
                        <td>{m.sourceSystem}</td>
                        <td className="small">{m.contentType}</td>
                        <td className="wrap ellipsis small" title={m.error ?? ''}>{m.error ?? ''}</td>
                        <td className="actions"><button type="button" className="link" data-testid="refused-view">View raw {shortId(m.id)}</button></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </LoadState>
        </Card>
        {viewing && (
          <Card className="detail" title="Refused message" actions={<button type="button" className="link" onClick={() => view(null)}>Close ×</button>}>
            <MessagePanel key={viewing} id={viewing} withEvents={false} />
          </Card>
        )}
      </div>
    </div>
  );
}
