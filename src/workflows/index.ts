// Every workflow definition, by type and version. A running instance keeps the version it started with: a new
// version is added beside the old one (never edited in place) until no instance runs on the old one.
import { chargeWorkflow } from './charge.ts';
import { purchaseOrderWorkflow, purchaseOrderWorkflowV1 } from './purchase-order.ts';
import { requisitionWorkflow } from './requisition.ts';
import type { WorkflowDefinition } from './types.ts';

const DEFINITIONS: WorkflowDefinition<never>[] = [requisitionWorkflow, purchaseOrderWorkflowV1, purchaseOrderWorkflow, chargeWorkflow] as unknown as WorkflowDefinition<never>[];

export const WORKFLOW_TYPES = [...new Set(DEFINITIONS.map((d) => d.type))];

/** The definition an instance runs on. */
export function definition(type: string, version: number): WorkflowDefinition<unknown> {
  const d = DEFINITIONS.find((x) => x.type === type && x.version === version);
  if (!d) throw new Error(`no workflow ${type} version ${version}`);
  return d as unknown as WorkflowDefinition<unknown>;
}

/** The version new instances start on. */
export function latest(type: string): WorkflowDefinition<unknown> {
  const versions = DEFINITIONS.filter((x) => x.type === type).sort((a, b) => b.version - a.version);
  if (!versions[0]) throw new Error(`no workflow ${type}`);
  return versions[0] as unknown as WorkflowDefinition<unknown>;
}

export { DEFAULT_WORKFLOW_SETTINGS } from './types.ts';
export type { WorkflowSettings } from './types.ts';
