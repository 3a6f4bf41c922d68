// Workflows (#/workflows): the durable workflow instances (requisitions, purchase orders, charge follow-ups) by
// type, status and stage, and one instance's history, timers, deliveries and exceptions with the decisions a
// person may take on it (the route's `wtype` and `wkey` name it).
import { useState, type FormEvent } from 'react';
import { query, WORKFLOW_TYPES, type List, type WorkflowSummary } from '../api.ts';
import { Card } from '../components/Card.tsx';
import { StatusPill } from '../components/Pill.tsx';
import { Empty, LoadState } from '../components/State.tsx';
import { WorkflowDetail } from '../components/WorkflowDetail.tsx';
import { dateTime } from '../format.ts';
import { useGet } from '../hooks.ts';
import { navigate, paramsOf, type Params, type Route } from '../router.ts';

const LIMIT = 200;

export function Workflows({ route }: { route: Route }) {
  const type = route.params.get('type') ?? '';
  const status = route.params.get('status') ?? 'running';
  const stage = route.params.get('stage') ?? '';
  const wtype = route.params.get('wtype');
  const wkey = route.params.get('wkey');
  const [typedStage, setTypedStage] = useState(stage);
  const list = useGet<List<WorkflowSummary>>(`/v1/workflows${query({ type, status: status === 'any' ? undefined : status, stage, limit: LIMIT })}`, 15_000);
  const go = (change: Params) => navigate('workflows', { ...paramsOf(route), ...change }, true);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    go({ stage: typedStage.trim() });
  };

  return (
    <div className="stack">
      <form className="card filter-bar" onSubmit={submit}>
        <label className="field-inline"><span>Type</span>
          <select value={type} onChange={(e) => go({ type: e.target.value })} data-testid="workflow-type">
            <option value="">any</option>
            {WORKFLOW_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </label>
        <label className="field-inline"><span>Status</span>
          <select value={status} onChange={(e) => go({ status: e.target.value })} data-testid="workflow-status">
            {['running', 'completed', 'cancelled', 'any'].map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label className="field-inline"><span>Stage</span>
          <input value={typedStage} onChange={(e) => setTypedStage(e.target.value)} placeholder="any (e.g. awaiting-ack)" data-testid="workflow-stage" />
        </label>
        <button type="submit" className="primary">Apply</button>
      </form>

      <div className={wtype && wkey ? 'split' : undefined}>
        <Card title={list.data ? `${list.data.data.length}${list.data.data.length === LIMIT ? '+' : ''} workflows, newest first` : 'Workflows'}>
          <LoadState state={list}>
            {({ data }) => data.length === 0 ? <Empty>No workflow matches.</Empty> : (
              <div className="table-wrap tall">
                <table className="grid clickable">
                  <thead><tr><th>Type</th><th>Key</th><th>Stage</th><th>Status</th><th>Facility</th><th className="num">Steps</th><th>Updated</th><th>Decisions</th></tr></thead>
                  <tbody>
                    {data.map((w) => (
                      <tr key={`${w.type}/${w.key}`} data-testid="workflow-row" className={w.type === wtype && w.key === wkey ? 'row-selected' : undefined}
                        onClick={() => go({ wtype: w.type, wkey: w.key })}>
                        <td>{w.type}</td>
                        <td className="mono ellipsis" title={w.key}>{w.key}</td>
                        <td>{w.stage}</td>
                        <td><StatusPill status={w.status} /></td>
                        <td>{w.facility}</td>
                        <td className="num">{w.steps}</td>
                        <td>{dateTime(w.updatedAt)}</td>
                        <td className="small">{w.decisions.join(', ') || <span className="muted">—</span>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </LoadState>
        </Card>
        {wtype && wkey && <WorkflowDetail key={`${wtype}/${wkey}`} type={wtype} wkey={wkey} onChanged={list.reload} onClose={() => go({ wtype: undefined, wkey: undefined })} />}
      </div>
    </div>
  );
}
