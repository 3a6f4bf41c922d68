// The billing (patient accounting) simulator: takes charge lines and credits per account, refuses them on
// closed accounts or without a patient MRN, and only credits what was charged.
import type { FastifyInstance } from 'fastify';
import { effectCollection, type EffectRecord } from '../common/effects.ts';
import { createSimApp } from '../common/http.ts';
import { serve, type SimHandle, type SimStartOptions } from '../common/runtime.ts';
import { SimStore } from '../common/store.ts';
import { DEFAULT_SEED } from '../network/build.ts';
import {
  accountStatus,
  chargeSchema,
  checkCharge,
  checkCredit,
  creditSchema,
  netCharged,
  type AccountStatus,
  type Charge,
  type Credit,
  type Posting,
} from './accounts.ts';

export type BillingOptions = { seed?: number; store?: SimStore };

/** Per-account list of its postings' ids (in memory; rebuilt from the stored postings on start). */
type AccountIndex = { charges: string[]; credits: string[] };

export function createBilling(options: BillingOptions = {}): FastifyInstance {
  const seed = options.seed ?? DEFAULT_SEED;
  const store = options.store ?? new SimStore();
  const app = createSimApp({ name: 'billing', store, seed });

  const statusOf = (account: string): AccountStatus =>
    accountStatus(account, store.get<AccountStatus>('account-status', account));
  const accounts = new Map<string, AccountIndex>();
  const indexOf = (account: string): AccountIndex => {
    let index = accounts.get(account);
    if (!index) {
      index = { charges: [], credits: [] };
      accounts.set(account, index);
    }
    return index;
  };
  // Rebuild the index from stored postings (ids sort in posting order), so nothing grows per write.
  for (const kind of ['charges', 'credits'] as const) {
    const stored = store.all<EffectRecord<Charge | Credit>>(kind).sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const r of stored) indexOf(r.body.account)[kind].push(r.id);
  }
  const records = <B>(coll: string, ids: string[]): EffectRecord<B>[] =>
    ids.map((id) => store.get<EffectRecord<B>>(coll, id)).filter((r): r is EffectRecord<B> => r !== undefined);
  const postings = (account: string): { charges: Posting[]; credits: Posting[] } => {
    const index = indexOf(account);
    const asPosting = (r: EffectRecord<Charge | Credit>): Posting => ({
      chargeCode: r.body.chargeCode,
      quantity: r.body.quantity,
      reversed: r.reversalId !== null,
    });
    return {
      charges: records<Charge>('charges', index.charges).map(asPosting),
      credits: records<Credit>('credits', index.credits).map(asPosting),
    };
  };
  // Called after the effect's id is known: the shared effect code numbers it once the checks passed.
  const link = (account: string, kind: 'charges' | 'credits', id: string): void => {
    indexOf(account)[kind].push(id);
  };

  effectCollection<Charge>(app, store, {
    path: '/charges',
    coll: 'charges',
    noun: 'charge',
    prefix: 'CHG',
    schema: chargeSchema,
    kind: () => 'charge',
    apply: (charge) => {
      checkCharge(charge, statusOf(charge.account));
      return {};
    },
    after: (record) => link(record.body.account, 'charges', record.id),
  });

  effectCollection<Credit>(app, store, {
    path: '/credits',
    coll: 'credits',
    noun: 'credit',
    prefix: 'CRD',
    schema: creditSchema,
    kind: () => 'credit',
    apply: (credit) => {
      const { charges, credits } = postings(credit.account);
      checkCredit(credit, statusOf(credit.account), charges, credits);
      return {};
    },
    after: (record) => link(record.body.account, 'credits', record.id),
  });

  app.get('/accounts/:account', async (req) => {
    const { account } = req.params as { account: string };
    const index = indexOf(account);
    const view = <B>(r: EffectRecord<B>) => ({ id: r.id, at: r.at, reversalId: r.reversalId, ...r.body });
    const { charges, credits } = postings(account);
    const codes = new Set(charges.map((c) => c.chargeCode));
    return {
      account,
      status: statusOf(account),
      charges: records<Charge>('charges', index.charges).map(view),
      credits: records<Credit>('credits', index.credits).map(view),
      netQuantityByChargeCode: Object.fromEntries([...codes].map((code) => [code, netCharged(charges, credits, code)])),
    };
  });

  // Control plane: tests close and reopen accounts (no Idempotency-Key needed, setting a state is idempotent).
  for (const status of ['closed', 'open'] as const) {
    app.post(`/_sim/accounts/:account/${status === 'closed' ? 'close' : 'reopen'}`, async (req) => {
      const { account } = req.params as { account: string };
      store.transaction(() => store.put('account-status', account, status));
      await store.durable();
      return { account, status };
    });
  }

  return app;
}

export async function startBilling(options: SimStartOptions = {}): Promise<SimHandle> {
  const store = new SimStore(options.stateFile);
  const app = createBilling({ seed: options.seed, store });
  return serve('billing', app, store, options);
}
