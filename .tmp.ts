import { startErp } from './sim/erp/server.ts';
const erp = await startErp({});
const u = erp.url;
let r = await fetch(`${u}/api/items?limit=2`); console.log(r.status, JSON.stringify(await r.json()).slice(0,300));
const tx = { type:'issue', itemId:'ITM-00001', quantity:1, uom:'EA', locationId:'LOC-A-OR1', costCenterId:'CC-A-7010', unitCost:'12.34', currency:'USD', occurredAt:'2026-11-21T09:14:03.000-05:00', reference:{eventId:'e1', correlationId:'c1'} };
const post = (p: string, b: unknown, k?: string) => fetch(`${u}${p}`, { method:'POST', headers: { 'content-type':'application/json', ...(k?{'idempotency-key':k}:{}) }, body: JSON.stringify(b) });
for (const k of [undefined,'k1','k1']) { r = await post('/inventory-transactions', tx, k); console.log(r.status, r.headers.get('content-type'), await r.text()); }
r = await post('/inventory-transactions', {...tx, costCenterId:'CC-B-7990'}, 'k2'); console.log(r.status, await r.text());
r = await post('/inventory-transactions', {...tx, quantity: 'x'}, 'k3'); console.log(r.status, await r.text());
r = await post('/inventory-transactions/IT-000001/reversal', undefined, 'r1'); console.log(r.status, await r.text());
r = await post('/inventory-transactions/IT-000001/reversal', undefined, 'r2'); console.log(r.status, await r.text());
r = await fetch(`${u}/inventory-transactions/IT-000001/reversal`, {method:'POST', headers:{'idempotency-key':'r1'}}); console.log(r.status, await r.text());
r = await post('/requisitions', {locationId:'LOC-A-OR1', itemId:'ITM-00001', quantity: 2, uom:'EA', priority:'routine', reference:{eventId:'e2'}}, 'q1'); console.log(r.status, await r.text());
r = await fetch(`${u}/requisitions?status=open`); console.log(r.status, await r.text());
r = await post('/requisitions/REQ-000001/fulfil', {}, 'f1'); console.log(r.status, await r.text());
r = await fetch(`${u}/_sim/ledger`); console.log(r.status, await r.text());
r = await fetch(`${u}/nope`); console.log(r.status, await r.text());
r = await fetch(`${u}/api/items/ITM-00001`, {method:'PATCH', headers:{'content-type':'application/json'}, body: JSON.stringify({status:'inactive'})}); console.log(r.status, await r.text());
await erp.close();
