// Per-site decisions read from the configuration alone, pure: which destinations receive a flow's deliveries,
// and the thresholds that apply at a facility.
import type { DestinationRole } from '../flows/plan.ts';
import type { DestinationConfig, HubConfig, RouteConfig, ThresholdsConfig } from './schema.ts';

/**
 * Actions only some kinds of destination carry: master-file updates exist only in HL7 v2 (MFN^M16, MFN^M04), so a
 * billing system taken over REST or FHIR keeps its chargemaster by its own means and is not sent them.
 */
const ACTION_KINDS: Record<string, readonly string[]> = {
  'item.master': ['mllp'],
  'chargemaster.update': ['mllp'],
  // Purchase orders and AP postings exist in the ERP's REST API only; without one, Tendon numbers its orders.
  'purchase-order.create': ['http'],
  'ap-invoice.post': ['http'],
};

/**
 * Routing: for a role and an event, the first route naming that role whose facilities and event types match decides
 * the destinations (a network whose hospitals use two billing systems); without one, every destination of the role.
 * Of those, only the ones whose kind carries the action.
 */
export function routeTable(destinations: DestinationConfig[], routes: RouteConfig[]) {
  const byName = new Map(destinations.map((d) => [d.name, d]));
  const byRole = new Map<string, DestinationConfig[]>();
  for (const d of destinations) byRole.set(d.role, [...(byRole.get(d.role) ?? []), d]);
  return (role: DestinationRole, event: { facility: string; type: string }, action?: string): DestinationConfig[] => {
    const match = routes.find((r) => r.role === role && (!r.facilities || r.facilities.includes(event.facility)) && (!r.eventTypes || r.eventTypes.includes(event.type as never)));
    const chosen = match ? match.to.map((name) => byName.get(name)!) : (byRole.get(role) ?? []);
    const kinds = action === undefined ? undefined : ACTION_KINDS[action];
    return kinds ? chosen.filter((d) => kinds.includes(d.kind)) : chosen;
  };
}

/** The thresholds at a facility: its own where the site sets them, the network's defaults otherwise. */
export function thresholdsFor(config: Pick<HubConfig, 'thresholds' | 'sites'>): (facility: string) => ThresholdsConfig {
  return (facility) => ({ ...config.thresholds, ...config.sites[facility]?.thresholds });
}
