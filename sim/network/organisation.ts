// The fixed shape of the simulated health system: three hospitals, their departments (each with a cost
// center booked to a GL expense account), par locations, and the suppliers. Only ids' timestamps and numbers
// come from the seed.
import type { DepartmentKind, ServiceLine } from './types.ts';

export type DepartmentPlan = {
  code: string;
  kind: DepartmentKind;
  serviceLine: ServiceLine | null;
  name: string;
  costCenter: string;
  /** The GL expense account the cost center books supplies to. */
  glAccount: string;
  /**
   * Finance closed the cost center but the department still points at it: every use at its locations is
   * refused by the ERP until someone fixes the department (a data problem Tendon must surface, not guess around).
   */
  costCenterClosed?: true;
  /** Par locations of the department: [location code, name]. */
  locations: [string, string][];
};

export type FacilityPlan = {
  letter: string;
  name: string;
  timezone: string;
  /** The GPO whose contract tiers the hospital buys on. */
  purchasingGroup: string;
  departments: DepartmentPlan[];
};

/** The chart of accounts' supply expense accounts; one retired with the closed surgery center. */
export const GL_ACCOUNTS: { id: string; name: string; active: boolean }[] = [
  { id: 'GL-6100', name: 'Medical supplies', active: true },
  { id: 'GL-6110', name: 'Implants', active: true },
  { id: 'GL-6120', name: 'Pharmacy', active: true },
  { id: 'GL-6130', name: 'Non-medical supplies', active: true },
  { id: 'GL-6190', name: 'Medical supplies – ambulatory surgery (retired)', active: false },
];

const ortho = (locCode: string, room: string): DepartmentPlan => ({
  code: 'ORTHO', kind: 'or', serviceLine: 'orthopaedics', name: 'Surgical Services – Orthopaedic OR',
  costCenter: '7010', glAccount: 'GL-6110', locations: [[locCode, `${room} – Orthopaedic Implant Core`]],
});
const gsurg = (locCode: string, room: string): DepartmentPlan => ({
  code: 'GSURG', kind: 'or', serviceLine: 'general surgery', name: 'Surgical Services – General Surgery OR',
  costCenter: '7020', glAccount: 'GL-6100', locations: [[locCode, `${room} – General Surgery Core`]],
});
const cath = (): DepartmentPlan => ({
  code: 'CATH', kind: 'cathlab', serviceLine: 'cardiology', name: 'Cardiac Catheterization Lab',
  costCenter: '7150', glAccount: 'GL-6110', locations: [['CATH1', 'Cath Lab Supply Room']],
});
const ir = (): DepartmentPlan => ({
  code: 'IR', kind: 'ir', serviceLine: 'interventional radiology', name: 'Interventional Radiology',
  costCenter: '7260', glAccount: 'GL-6110', locations: [['IR1', 'IR Procedure Supply Room']],
});
const medsurg = (unit: string): DepartmentPlan => ({
  code: 'MEDSURG', kind: 'medsurg', serviceLine: null, name: `Medical-Surgical Unit ${unit}`,
  costCenter: '6100', glAccount: 'GL-6100', locations: [[`MS${unit.charAt(0)}`, `${unit} Supply Cabinet`]],
});
const ed = (): DepartmentPlan => ({
  code: 'ED', kind: 'ed', serviceLine: null, name: 'Emergency Department',
  costCenter: '6300', glAccount: 'GL-6100', locations: [['ED1', 'ED Main Supply Cabinet']],
});

export const FACILITY_PLANS: FacilityPlan[] = [
  {
    letter: 'A', name: 'Riverside General Hospital', timezone: 'America/New_York', purchasingGroup: 'GPO-EAST',
    departments: [ortho('OR1', 'Main OR'), gsurg('OR2', 'Main OR'), cath(), ir(), medsurg('4 West'), ed()],
  },
  {
    letter: 'B', name: 'Lakeview Medical Center', timezone: 'America/Chicago', purchasingGroup: 'GPO-EAST',
    departments: [ortho('OR1', 'Surgery Center'), gsurg('OR2', 'Surgery Center'), cath(), medsurg('3 North'), ed()],
  },
  {
    letter: 'C', name: 'Mesa Valley Hospital', timezone: 'America/Denver', purchasingGroup: 'GPO-WEST',
    // IR's cost center was closed in a reorganisation; the department was never moved to the new one.
    departments: [ortho('OR1', 'OR Suite'), gsurg('OR2', 'OR Suite'), { ...ir(), costCenterClosed: true }, medsurg('2 East'), ed()],
  },
];

/** Cost centers with no department: materials management everywhere, and one closed (inactive) one. */
export const EXTRA_COST_CENTERS: { letter: string; code: string; name: string; glAccount: string; active: boolean }[] = [
  { letter: 'A', code: '8400', name: 'Materials Management', glAccount: 'GL-6130', active: true },
  { letter: 'B', code: '8400', name: 'Materials Management', glAccount: 'GL-6130', active: true },
  { letter: 'C', code: '8400', name: 'Materials Management', glAccount: 'GL-6130', active: true },
  { letter: 'B', code: '7990', name: 'Ambulatory Surgery Center (closed 2025)', glAccount: 'GL-6190', active: false },
];

/** Which department kinds are stocked by Tendon-managed storerooms vs point-of-use cabinets. */
export const MANAGED_BY: Record<DepartmentKind, 'tendon' | 'cabinet'> = {
  or: 'tendon',
  cathlab: 'tendon',
  ir: 'tendon',
  medsurg: 'cabinet',
  ed: 'cabinet',
};
