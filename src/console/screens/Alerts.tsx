// Alerts (#/alerts, GET /v1/alerts?state=firing|all): the ones firing now, or every alert with its history
// (acknowledged, escalated, cleared), with Acknowledge for operators.
import type { AlertView, List } from '../api.ts';
import { AlertTable } from '../components/AlertTable.tsx';
import { Card } from '../components/Card.tsx';
import { LoadState } from '../components/State.tsx';
import { useGet } from '../hooks.ts';
import { navigate, type Route } from '../router.ts';

export function Alerts({ route }: { route: Route }) {
  const which = route.params.get('state') === 'all' ? 'all' : 'firing';
  const state = useGet<List<AlertView>>(`/v1/alerts?state=${which}`, 10_000);
  return (
    <Card
      title={state.data ? `${state.data.data.length} ${which === 'all' ? 'alerts' : 'firing'}` : 'Alerts'}
      actions={
        <div className="segmented" role="group" aria-label="Which alerts">
          <button type="button" className={which === 'firing' ? 'on' : undefined} onClick={() => navigate('alerts', {}, true)} data-testid="alerts-firing">Firing</button>
          <button type="button" className={which === 'all' ? 'on' : undefined} onClick={() => navigate('alerts', { state: 'all' }, true)} data-testid="alerts-all">All</button>
        </div>
      }
    >
      <LoadState state={state}>
        {({ data }) => <AlertTable alerts={data} onChanged={state.reload} empty={which === 'all' ? 'No alert has fired.' : 'No alerts firing.'} />}
      </LoadState>
    </Card>
  );
}
