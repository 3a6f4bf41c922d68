// The overview's tables, one per thing watched: destinations, channels, service levels and facilities. Each shows
// the monitor's numbers as they come (src/monitoring/overview.ts), with a pill where a person should look.
import type { ChannelFlow, DestinationFlow, FacilityFlow, ServiceLevelStatus } from '../api.ts';
import { duration, inUnit, int, ms, pct, rate } from '../format.ts';
import { href } from '../router.ts';
import { Pill, StatusPill } from './Pill.tsx';
import { Empty } from './State.tsx';

const errorTone = (share: number) => (share >= 0.05 ? 'bad' : share > 0 ? 'warn' : 'ok');

export function DestinationFlowTable({ rows }: { rows: DestinationFlow[] }) {
  if (rows.length === 0) return <Empty>No destinations configured.</Empty>;
  return (
    <div className="table-wrap">
      <table className="grid">
        <thead>
          <tr>
            <th>Destination</th><th>Owner</th><th className="num">Queued</th><th className="num">In flight</th><th className="num">Oldest pending</th>
            <th className="num">Delivered</th><th className="num">Errors</th><th className="num">p95</th><th>Circuit</th><th>Paused</th>
            <th className="num">Dead</th><th className="num">Rejected</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.name} data-testid={`destination-row-${d.name}`}>
              <td><strong>{d.name}</strong> <span className="muted small">{d.role}</span></td>
              <td>{d.ownerRole}</td>
              <td className="num" data-testid={`destination-queued-${d.name}`}>{int(d.queued)}</td>
              <td className="num">{int(d.inFlight)}</td>
              <td className="num">{d.oldestPendingSeconds > 0 ? duration(d.oldestPendingSeconds) : '—'}</td>
              <td className="num">{rate(d.deliveredPerSecond)}</td>
              <td className="num"><Pill tone={errorTone(d.errorRate)} title={`${rate(d.failuresPerSecond)} failed attempts`}>{pct(d.errorRate)}</Pill></td>
              <td className="num">{ms(d.p95LatencyMs)}</td>
              <td><StatusPill status={d.circuit} /></td>
              <td>{d.paused ? <Pill tone="warn">paused</Pill> : <span className="muted">no</span>}</td>
              <td className="num">{d.dead > 0 ? <a href={href('deliveries', { destination: d.name, status: 'dead' })}>{int(d.dead)}</a> : 0}</td>
              <td className="num">{d.rejected > 0 ? <a href={href('deliveries', { destination: d.name, status: 'rejected' })}>{int(d.rejected)}</a> : 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ChannelFlowTable({ rows }: { rows: ChannelFlow[] }) {
  if (rows.length === 0) return <Empty>No inbound channels.</Empty>;
  return (
    <div className="table-wrap">
      <table className="grid">
        <thead>
          <tr>
            <th>Channel</th><th>Kind</th><th>Status</th><th className="num">Messages</th><th className="num">Refused</th><th className="num">Error rate</th>
            <th className="num">p95 commit</th><th className="num">Total</th><th className="num">Total refused</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.name} data-testid={`channel-row-${c.name}`}>
              <td><strong>{c.name}</strong></td>
              <td>{c.kind}</td>
              <td><StatusPill status={c.status} /></td>
              <td className="num">{rate(c.messagesPerSecond)}</td>
              <td className="num">{rate(c.errorsPerSecond)}</td>
              <td className="num"><Pill tone={errorTone(c.errorRate)}>{pct(c.errorRate)}</Pill></td>
              <td className="num">{ms(c.p95CommitMs)}</td>
              <td className="num">{int(c.totalMessages)}</td>
              <td className="num">{int(c.totalErrors)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ServiceLevelTable({ rows }: { rows: ServiceLevelStatus[] }) {
  if (rows.length === 0) return <Empty>No service levels configured.</Empty>;
  return (
    <div className="table-wrap">
      <table className="grid">
        <thead>
          <tr><th>Service level</th><th>Measure</th><th className="num">Current</th><th className="num">Target</th><th className="num">Compliance</th><th className="num">Objective</th><th>Status</th><th>Breaches by facility</th></tr>
        </thead>
        <tbody>
          {rows.map((s) => {
            const breaches = Object.entries(s.breachesByFacility).filter(([, n]) => n > 0);
            return (
              <tr key={s.name} data-testid={`slo-row-${s.name}`}>
                <td title={s.description}><strong>{s.name}</strong><div className="muted small wrap">{s.description}</div></td>
                <td className="mono">{s.measure}</td>
                <td className={`num ${s.current !== null && s.current > s.target ? 'text-bad' : ''}`}>{inUnit(s.current, s.unit)}</td>
                <td className="num muted">≤ {inUnit(s.target, s.unit)}</td>
                <td className={`num ${s.compliance !== null && s.compliance < s.objective ? 'text-bad' : ''}`}>{pct(s.compliance, 2)}</td>
                <td className="num muted">≥ {pct(s.objective, 2)}</td>
                <td><StatusPill status={s.status} testId={`slo-status-${s.name}`} /></td>
                <td className="small">{breaches.length === 0 ? <span className="muted">none</span> : breaches.map(([f, n]) => `${f}: ${n}`).join(', ')}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function FacilityTable({ rows }: { rows: FacilityFlow[] }) {
  if (rows.length === 0) return <Empty>No facility has sent anything yet.</Empty>;
  return (
    <div className="table-wrap">
      <table className="grid">
        <thead><tr><th>Facility</th><th className="num">Events</th><th className="num">Open exceptions</th><th className="num">SLA breaches</th></tr></thead>
        <tbody>
          {rows.map((f) => (
            <tr key={f.facility} data-testid={`facility-row-${f.facility}`}>
              <td><strong>{f.facility}</strong></td>
              <td className="num">{rate(f.eventsPerSecond)}</td>
              <td className="num">{f.openExceptions > 0 ? <a href={href('exceptions', { facility: f.facility, status: 'open' })}>{int(f.openExceptions)}</a> : 0}</td>
              <td className="num">{f.slaBreaches > 0 ? <Pill tone="bad">{int(f.slaBreaches)}</Pill> : 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
