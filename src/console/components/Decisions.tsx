// The decisions a person may take on a workflow instance (or on one of its process exceptions): one button each,
// a reason asked first, then POST /v1/workflows/{type}/{key}/decisions. Operators only.
import { api, seg, type WorkflowSummary } from '../api.ts';
import { useAction } from '../actions.ts';
import { useCan } from '../session.ts';
import { usePrompt } from './Prompt.tsx';

export function Decisions({ type, wkey, decisions, exceptionId, data, onDecided }: {
  type: string; wkey: string; decisions: string[]; exceptionId?: string; data?: Record<string, unknown>; onDecided: () => void;
}) {
  const canDecide = useCan('operator');
  const ask = usePrompt();
  const { busy, run } = useAction();
  if (decisions.length === 0) return <span className="muted">no decision possible now</span>;

  async function decide(decision: string) {
    const reason = await ask({ title: `Decide: ${decision}`, message: `${type} ${wkey}${exceptionId ? `, exception ${exceptionId}` : ''}`, label: 'Reason', confirm: decision });
    if (reason === null) return;
    await run(`decide:${decision}`, () => api.post<WorkflowSummary>(`/v1/workflows/${seg(type)}/${seg(wkey)}/decisions`, {
      decision, ...(reason ? { reason } : {}), ...(exceptionId ? { exceptionId } : {}), ...(data ? { data } : {}),
    }), (w) => {
      onDecided();
      return `${decision}: ${type} ${wkey} is now ${w.stage} (${w.status})`;
    });
  }

  return (
    <div className="button-row">
      {decisions.map((d) => (
        <button key={d} type="button" disabled={!canDecide || busy !== null} onClick={() => void decide(d)} data-testid={`decision-${d}`}
          title={canDecide ? undefined : 'operators decide'}>
          {d}
        </button>
      ))}
    </div>
  );
}
