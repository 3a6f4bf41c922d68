// `tendon replay`: redeliver or reprocess through the hub's API (the same checks and audit as any API caller).
import type { Command } from 'commander';
import { request } from 'undici';

interface Target {
  hub: string;
  tokens: { operator: string };
}

async function call(url: string, token: string, body: unknown): Promise<unknown> {
  const res = await request(url, {
    method: 'POST', body: JSON.stringify(body ?? {}),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
  const answer = await res.body.json();
  if (res.statusCode >= 400) throw new Error(`${res.statusCode}: ${JSON.stringify(answer)}`);
  return answer;
}

export function replayCommand(program: Command, demo: () => Target | null): void {
  program.command('replay')
    .description('redeliver deliveries (same idempotency key) or reprocess messages (a new revision through today\'s mappings)')
    .option('--delivery <id>', 'one delivery')
    .option('--message <id>', 'reprocess one stored message')
    .option('--status <list>', 'filter: delivery statuses, comma-separated (dead,rejected,…)')
    .option('--destination <name>', 'filter: destination')
    .option('--event-type <type>', 'filter: event type')
    .option('--from <iso>', 'filter: created at or after')
    .option('--to <iso>', 'filter: created before')
    .option('--mode <mode>', 'redeliver or reprocess', 'redeliver')
    .option('--hub <url>', 'hub URL (default: from the demo\'s demo.json)')
    .option('--token <token>', 'operator API token (default: TENDON_TOKEN or demo.json)')
    .action(async (o) => {
      const fallback = demo();
      const hub = o.hub ?? fallback?.hub;
      const token = o.token ?? process.env.TENDON_TOKEN ?? fallback?.tokens.operator;
      if (!hub || !token) throw new Error('give --hub and --token (or run the demo, whose demo.json has them)');
      const answer = o.message
        ? await call(`${hub}/v1/messages/${encodeURIComponent(o.message)}/reprocess`, token, {})
        : o.delivery
          ? await call(`${hub}/v1/deliveries/${encodeURIComponent(o.delivery)}/replay`, token, { mode: o.mode })
          : await call(`${hub}/v1/replay`, token, {
              mode: o.mode, status: o.status, destination: o.destination, eventType: o.eventType, from: o.from, to: o.to,
            });
      process.stdout.write(JSON.stringify(answer, null, 2) + '\n');
    });
}
