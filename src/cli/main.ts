// The `tendon` command.
import { Command, InvalidArgumentError } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { TendonError } from '../core/errors.ts';
import { loadConfigFile } from '../config/load.ts';
import { configJsonSchema } from '../config/schema.ts';
import { EVENT_TYPES, eventJsonSchemas, type EventType } from '../model/events.ts';
import { runDemo } from './demo.ts';
import { openStore, startHub } from './hub.ts';
import { addActor } from './actors.ts';
import { ROLES, type Role } from '../core/types.ts';
import { SIM_MAIN } from './processes.ts';
import { replayCommand } from './replay.ts';

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('a whole number');
  return n;
};
const num = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('a number');
  return n;
};

const program = new Command('tendon')
  .description('Healthcare operations sync hub: every operational event in once, delivered exactly once in effect.')
  .showHelpAfterError();

program.command('demo')
  .description('run the hub on its embedded store with a simulated hospital network and steady traffic (what `npm start` runs)')
  .option('--data-dir <dir>', 'where the store and demo.json live', process.env.TENDON_DATA_DIR ?? './data')
  .option('--host <host>', 'address to bind', process.env.TENDON_HOST ?? '127.0.0.1')
  .option('--port <port>', 'hub HTTP port', int, Number(process.env.TENDON_HTTP_PORT ?? 8080))
  .option('--seed <n>', 'seed of the simulated network', int, 42)
  .option('--rate <n>', 'traffic, events per second', num, 5)
  .option('--bad-rate <f>', 'share of deliberately bad events (unknown items, implants without lot)', num, 0.02)
  .option('--no-traffic', 'start without the traffic generator')
  .option('--mllp-port <port>', 'HL7 v2 MLLP listener port', int, Number(process.env.TENDON_MLLP_PORT ?? 2575))
  .option('--erp-port <port>', 'ERP simulator port (0: any free port)', int, Number(process.env.TENDON_SIM_ERP_PORT ?? 0))
  .option('--inventory-port <port>', 'inventory simulator port (0: any free port)', int, Number(process.env.TENDON_SIM_INVENTORY_PORT ?? 0))
  .option('--billing-port <port>', 'billing simulator port (0: any free port)', int, Number(process.env.TENDON_SIM_BILLING_PORT ?? 0))
  .option('--billing-mllp-port <port>', 'billing simulator HL7 (MLLP) port (0: any free port)', int, Number(process.env.TENDON_SIM_BILLING_MLLP_PORT ?? 0))
  .option('--supplier-port <port>', 'supplier simulator X12 port (0: any free port)', int, Number(process.env.TENDON_SIM_SUPPLIER_PORT ?? 0))
  .action((o) => runDemo({
    dataDir: o.dataDir, host: o.host, port: o.port, seed: o.seed, rate: o.rate, badRate: o.badRate, traffic: o.traffic, mllpPort: o.mllpPort,
    simPorts: { erp: o.erpPort, inventory: o.inventoryPort, billing: o.billingPort, billingMllp: o.billingMllpPort, supplier: o.supplierPort },
  }));

program.command('start')
  .description('run the hub from a configuration file')
  .requiredOption('-c, --config <file>', 'configuration file (YAML or JSON; ${ENV} references are replaced)')
  .action(async (o) => {
    const hub = await startHub(loadConfigFile(o.config));
    const stop = async () => {
      await hub.stop();
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

program.command('actor')
  .description('identities: API tokens and console users share one actor model')
  .command('add')
  .description('add an actor with a role; prints its API token and, with --user, a console username and password (shown once)')
  .requiredOption('-c, --config <file>', 'the hub configuration (its store is written)')
  .requiredOption('--name <name>', 'actor name, as the audit log will show it')
  .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, (v: string) => {
    if (!(ROLES as readonly string[]).includes(v)) throw new InvalidArgumentError(`one of ${ROLES.join(', ')}`);
    return v as Role;
  })
  .option('--user', 'also make a console user named like the actor')
  .action(async (o: { config: string; name: string; role: Role; user?: boolean }) => {
    const store = openStore(loadConfigFile(o.config));
    try {
      const made = await addActor(store, o.name, o.role, o.user ? o.name : undefined);
      process.stdout.write(JSON.stringify({ actor: o.name, role: o.role, ...made }, null, 2) + '\n');
    } finally {
      await store.close();
    }
  });

program.command('sim')
  .description('run the simulated hospital network (ERP, inventory, billing) alone; options are passed to sim/main.ts (see --help there)')
  .allowUnknownOption()
  .helpOption(false)
  .argument('[args...]')
  .action((args: string[]) => {
    const child = spawn(process.execPath, [SIM_MAIN, ...args], { stdio: 'inherit' });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
    child.on('exit', (code) => process.exit(code ?? 0));
  });

replayCommand(program, () => {
  const file = join(process.env.TENDON_DATA_DIR ?? './data', 'demo.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { hub: string; tokens: { operator: string } }) : null;
});

program.command('schema')
  .description('print the JSON Schema (draft 2020-12) of the canonical events, or of one type')
  .argument('[type]', `one of: ${EVENT_TYPES.join(', ')}`)
  .action((type?: string) => {
    const all = eventJsonSchemas();
    if (type && !(type in all)) throw new InvalidArgumentError(`unknown event type ${type}`);
    process.stdout.write(JSON.stringify(type ? all[type as EventType] : all, null, 2) + '\n');
  });

const config = program.command('config').description('configuration tools');
config.command('schema')
  .description('print the JSON Schema of the configuration file')
  .action(() => {
    process.stdout.write(JSON.stringify(configJsonSchema(), null, 2) + '\n');
  });
config.command('check')
  .description('validate a configuration file and report each error with its location')
  .argument('<file>')
  .action((file: string) => {
    const config = loadConfigFile(file);
    process.stdout.write(`${file}: valid (${config.destinations.length} destinations)\n`);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof TendonError) {
    process.stderr.write(`${error.message}\n${error.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}\n`);
    process.exit(2);
  }
  // Anything else: one clear line; the stack only when asked for.
  process.stderr.write(`tendon: ${(error as Error).message}\n${process.env.TENDON_DEBUG ? `${(error as Error).stack}\n` : ''}`);
  process.exit(1);
}
