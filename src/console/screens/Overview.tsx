// The overview (#/overview): live from the hub's monitor. KPIs, the alerts firing, five minutes of backlog and
// throughput, and the tables behind them: destinations, service levels, channels, facilities, open exceptions.
import { messageOf } from '../api.ts';
import { AlertTable } from '../components/AlertTable.tsx';
import { Card, Kpi } from '../components/Card.tsx';
import { BacklogChart, ThroughputChart } from '../components/FlowCharts.tsx';
import { ChannelFlowTable, DestinationFlowTable, FacilityTable, ServiceLevelTable } from '../components/OverviewTables.tsx';
import { ErrorNote, Loading } from '../components/State.tsx';
import { ExceptionsByCategory } from '../components/ExceptionsByCategory.tsx';
import { dateTime, int, rate } from '../format.ts';
import { useOverviewStream, type Connection } from '../overviewStream.ts';

const CONNECTION_LABEL: Record<Connection, string> = { connecting: 'connecting', live: 'live', reconnecting: 'reconnecting' };

export function ConnectionIndicator({ connection, at }: { connection: Connection; at?: string }) {
  return (
    <div className={`connection connection-${connection}`} data-testid="connection" data-state={connection} title={at ? `last update ${at}` : undefined}>
      <span className="dot" /> {CONNECTION_LABEL[connection]}
      {at && <span className="muted small"> · {dateTime(at)}</span>}
    </div>
  );
}

export function Overview() {
  const { overview: o, error, connection, history } = useOverviewStream();

  if (!o) {
    return (
      <div className="stack">
        <ConnectionIndicator connection={connection} />
        {error !== undefined ? <ErrorNote error={error} /> : <Loading what="Waiting for the first overview" />}
      </div>
    );
  }

  const messages = o.channels.reduce((n, c) => n + c.messagesPerSecond, 0);
  const delivered = o.destinations.reduce((n, d) => n + d.deliveredPerSecond, 0);
  const backlog = o.destinations.reduce((n, d) => n + d.queued, 0);
  const critical = o.alerts.some((a) => a.severity === 'critical');
  const breached = o.serviceLevels.filter((s) => s.status === 'breached').length;

  return (
    <div className="stack">
      <div className="toolbar">
        <ConnectionIndicator connection={connection} at={o.at} />
        {error !== undefined && <span className="text-bad small">{messageOf(error)}</span>}
      </div>

      <div className="kpis">
        <Kpi label="messages in" value={rate(messages)} testId="kpi-messages" hint="all inbound channels" />
        <Kpi label="deliveries out" value={rate(delivered)} testId="kpi-deliveries" hint="all destinations" />
        <Kpi label="queued deliveries" value={int(backlog)} testId="kpi-backlog" tone={backlog > 0 ? 'warn' : undefined} />
        <Kpi label="open exceptions" value={int(o.exceptions.open)} testId="kpi-exceptions" tone={o.exceptions.open > 0 ? 'warn' : undefined} />
        <Kpi label="alerts firing" value={int(o.alerts.length)} testId="kpi-alerts" tone={o.alerts.length === 0 ? 'ok' : critical ? 'bad' : 'warn'} />
        <Kpi label="service levels breached" value={`${breached} / ${o.serviceLevels.length}`} testId="kpi-slo" tone={breached > 0 ? 'bad' : 'ok'} />
      </div>

      <Card title={`Alerts firing (${o.alerts.length})`} testId="alerts-firing">
        <AlertTable alerts={o.alerts} />
      </Card>

      <div className="grid-2">
        <Card><BacklogChart history={history} destinations={o.destinations.map((d) => d.name)} /></Card>
        <Card><ThroughputChart history={history} /></Card>
      </div>

      <Card title="Destinations" testId="destinations"><DestinationFlowTable rows={o.destinations} /></Card>
      <Card title="Service levels" testId="service-levels"><ServiceLevelTable rows={o.serviceLevels} /></Card>
      <div className="grid-2">
        <Card title="Channels" testId="channels"><ChannelFlowTable rows={o.channels} /></Card>
        <Card title="Facilities" testId="facilities"><FacilityTable rows={o.facilities} /></Card>
      </div>
      <Card title={`Open exceptions by category (${o.exceptions.open})`} testId="exceptions-by-category">
        <ExceptionsByCategory rows={o.exceptions.byCategory} />
      </Card>
    </div>
  );
}
