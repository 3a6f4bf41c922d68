import { createNatsOutbound } from './src/engine/outbound/nats.ts';
import { DestinationConfig } from './src/config/schema.ts';
const o = createNatsOutbound(DestinationConfig.parse({ name: 'x', role: 'analytics', kind: 'nats', url: 'nats://127.0.0.1:4222', nats: { stream: 'CHK_X', subjectPrefix: 'chk-x' } }));
await o.close();
console.log('closed');
setTimeout(() => { console.log((process as any)._getActiveHandles().map((h: any) => h.constructor.name)); }, 2000).unref();
