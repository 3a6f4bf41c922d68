// The overview's two charts over the last five minutes of the stream: queued deliveries per destination, and
// messages in against deliveries out per second. Animation is off: the data moves every second already.
import type { ReactElement } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { time } from '../format.ts';
import type { Sample } from '../overviewStream.ts';
import { Empty } from './State.tsx';

const PALETTE = ['#60a5fa', '#f59e0b', '#34d399', '#f472b6', '#a78bfa', '#fb7185', '#22d3ee', '#facc15', '#94a3b8', '#4ade80'];
const AXIS = { stroke: '#6b7686', fontSize: 11 };
const TOOLTIP = { contentStyle: { background: '#151a21', border: '1px solid #2a3340', fontSize: 12 }, labelStyle: { color: '#9aa5b4' } };
const tickTime = (t: number) => time(new Date(t).toISOString());

function Frame({ title, children }: { title: string; children: ReactElement }) {
  return (
    <div className="chart">
      <div className="chart-title">{title}</div>
      <ResponsiveContainer width="100%" height={220}>{children}</ResponsiveContainer>
    </div>
  );
}

export function BacklogChart({ history, destinations }: { history: Sample[]; destinations: string[] }) {
  if (history.length < 2) return <Empty>The chart fills as the stream brings samples.</Empty>;
  const data = history.map((s) => ({ t: s.t, ...s.backlog }));
  return (
    <Frame title="Queued deliveries per destination">
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="#232b36" vertical={false} />
        <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={tickTime} {...AXIS} />
        <YAxis allowDecimals={false} width={48} {...AXIS} />
        <Tooltip labelFormatter={(t) => tickTime(Number(t))} {...TOOLTIP} />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        {destinations.map((name, i) => (
          <Line key={name} dataKey={name} name={name} type="monotone" dot={false} isAnimationActive={false}
            stroke={PALETTE[i % PALETTE.length]} strokeWidth={1.5} connectNulls={false} />
        ))}
      </LineChart>
    </Frame>
  );
}

export function ThroughputChart({ history }: { history: Sample[] }) {
  if (history.length < 2) return <Empty>The chart fills as the stream brings samples.</Empty>;
  const data = history.map((s) => ({ t: s.t, in: s.messagesPerSecond, out: s.deliveredPerSecond }));
  return (
    <Frame title="Messages in and deliveries out per second">
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="#232b36" vertical={false} />
        <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={tickTime} {...AXIS} />
        <YAxis width={48} {...AXIS} />
        <Tooltip labelFormatter={(t) => tickTime(Number(t))} formatter={(v) => (typeof v === 'number' ? v.toFixed(2) : String(v))} {...TOOLTIP} />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        <Line dataKey="in" name="messages/s" type="monotone" dot={false} isAnimationActive={false} stroke={PALETTE[0]} strokeWidth={1.5} />
        <Line dataKey="out" name="deliveries/s" type="monotone" dot={false} isAnimationActive={false} stroke={PALETTE[2]} strokeWidth={1.5} />
      </LineChart>
    </Frame>
  );
}
