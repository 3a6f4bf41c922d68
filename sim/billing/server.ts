// The billing (patient accounting) simulator: takes charge lines and credits per account, refuses them on
// closed accounts or without a patient MRN, and only credits what was charged. Over HTTP (JSON), as FHIR R4
// ChargeItems at /fhir (fhir.ts) and, when started with an MLLP port, as HL7 DFT^P03 (mllp.ts): all reach the
// same rules and the same ledger. The MLLP door also takes chargemaster updates (MFN^M04, chargemaster.ts).
import type { FastifyInstance } from 'fastify';
import { effectCollection, type EffectRecord, type EffectSpec } from '../common/effects.ts';
import { NO_FAULTS, type FaultSwitch } from '../common/faults.ts';
import { createSimApp } from '../common/http.ts';
import { DEFAULT_HOST, serve, type SimHandle, type SimStartOptions } from '../common/runtime.ts';
import { SimStore } from '../common/store.ts';
import { chargemasterView } from './chargemaster.ts';
import { billingFhirDoor } from './fhir.ts';
import { startBillingMllp } from './mllp.ts';
import { withMllpDoor } from '../common/mllp-door.ts';
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

/** The billing sim's parts that its listeners share: the HTTP app, the store, the faults and the effect specs. */
export type BillingSim = {
  app: FastifyInstance;
  store: SimStore;
  seed: number;
  faults: FaultSwitch;
  charges: EffectSpec<Charge>;
  credits: EffectSpec<Credit>;
};

/** Per-account list of its postings' ids (in memory; rebuilt from the stored postings on start). */
type AccountIndex = { charges: string[]; credits: string[] };

export function createBilling(options: BillingOptions = {}): FastifyInstance {
  return createBillingSim(options).app;
}

export function createBillingSim(options: BillingOptions = {}): BillingSim {
  const seed = options.seed ?? DEFAULT_SEED;
  const store = options.store ?? new SimStore();
  const faults: FaultSwitch = { state: NO_FAULTS };
  const app = createSimApp({ name: 'billing', store, seed, faults });

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

  const charges: EffectSpec<Charge> = {
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
  };
  const credits: EffectSpec<Credit> = {
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
  };
  effectCollection(app, store, charges);
  effectCollection(app, store, credits);

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

  const sim = { app, store, seed, faults, charges, credits };
  billingFhirDoor(sim); // FHIR ChargeItems at /fhir: the same rules and the same ledger
  chargemasterView(app, store); // what MFN^M04 over MLLP keeps
  return sim;
}

export type BillingStartOptions = SimStartOptions & {
  /** Also listen for HL7 DFT^P03 over MLLP on this port (0: a free one); no MLLP listener when absent or null. */
  mllpPort?: number | null;
};

export async function startBilling(options: BillingStartOptions = {}): Promise<SimHandle> {
  const store = new SimStore(options.stateFile);
  const sim = createBillingSim({ seed: options.seed, store });
  const handle = await serve('billing', sim.app, store, options);
  if (options.mllpPort === undefined || options.mllpPort === null) return handle;
  return withMllpDoor(handle, () => startBillingMllp(sim, { host: options.host ?? DEFAULT_HOST, port: options.mllpPort! }));
}
