// The finance side of the master data: GL expense accounts, and each cost center's monthly supply budget for
// the current year and the next, with what has been spent so far. "Now" is REFERENCE_DATE, never the clock,
// so the same seed always gives the same budgets.
import type { Rng } from '../common/prng.ts';
import { formatCents } from './items.ts';
import { GL_ACCOUNTS } from './organisation.ts';
import type { Budget, CostCenter, GlAccount } from './types.ts';

/** The day the simulated world stands on (the default seed's date): months before it are spent, later ones not. */
export const REFERENCE_DATE = '2026-11-21';

/** Monthly supply budget range in dollars, by the GL account a cost center books to. */
const MONTHLY_BUDGET: Record<string, [number, number]> = {
  'GL-6110': [250_000, 600_000], // implant-heavy: orthopaedic OR, cath lab, IR
  'GL-6100': [40_000, 150_000],
  'GL-6130': [8_000, 25_000],
};
const DEFAULT_BUDGET: [number, number] = [20_000, 60_000];
/** Cost center and month pairs that overspent: enough for a report to show, few enough to be news. */
const OVERSPENT = 2;

export function buildGlAccounts(stamp: () => string): GlAccount[] {
  return GL_ACCOUNTS.map((a) => ({ id: a.id, name: a.name, status: a.active ? 'active' : 'inactive', updatedAt: stamp() }));
}

/** Every month of the reference year and the next, as `YYYY-MM`. */
export function budgetPeriods(referenceDate: string = REFERENCE_DATE): string[] {
  const year = Number(referenceDate.slice(0, 4));
  return [year, year + 1].flatMap((y) => Array.from({ length: 12 }, (_, m) => `${y}-${String(m + 1).padStart(2, '0')}`));
}

/**
 * A budget per cost center per month. Past months are 82–99% spent (a couple over budget), the reference month
 * about as far as its days have gone, later months not at all. Next year's budget is 3–6% above this year's.
 */
export function buildBudgets(rng: Rng, costCenters: CostCenter[], stamp: () => string, referenceDate: string = REFERENCE_DATE): Budget[] {
  const currentPeriod = referenceDate.slice(0, 7);
  const day = Number(referenceDate.slice(8, 10));
  const referenceYear = referenceDate.slice(0, 4);
  const budgets: Budget[] = [];
  for (const cc of costCenters) {
    const [min, max] = MONTHLY_BUDGET[cc.glAccountId ?? ''] ?? DEFAULT_BUDGET;
    const base = roundTo(min + rng.next() * (max - min), 500);
    const growth = 1.03 + rng.next() * 0.03;
    for (const period of budgetPeriods(referenceDate)) {
      const yearly = period.startsWith(referenceYear) ? base : base * growth;
      const amountCents = roundTo(yearly * (0.92 + rng.next() * 0.16), 100) * 100;
      const spentShare =
        period < currentPeriod ? 0.82 + rng.next() * 0.17
        : period === currentPeriod ? Math.min(0.99, (day / daysIn(period)) * (0.85 + rng.next() * 0.2))
        : 0;
      budgets.push({
        id: `BUD-${cc.id.replace(/^CC-/, '')}-${period}`,
        costCenterId: cc.id,
        period,
        amount: formatCents(amountCents),
        consumed: formatCents(Math.round(amountCents * spentShare)),
        currency: 'USD',
        updatedAt: stamp(),
      });
    }
  }
  const past = budgets.filter((b) => b.period < currentPeriod);
  for (const b of rng.sample(past, OVERSPENT)) {
    const amountCents = Math.round(Number(b.amount) * 100);
    b.consumed = formatCents(Math.round(amountCents * (1.02 + rng.next() * 0.1)));
  }
  return budgets;
}

function roundTo(value: number, step: number): number {
  return Math.max(step, Math.round(value / step) * step);
}

function daysIn(period: string): number {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
