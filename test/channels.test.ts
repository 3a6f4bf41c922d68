// Every inbound channel passes the one conformance suite (test/support/channel-conformance.ts).
import { existsSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { api, used, waitFor } from './support/hub.ts';
import { channelConformance } from './support/channel-conformance.ts';
import { field, MllpTestClient } from './support/mllp-client.ts';
import { NATS_URL, natsPeer, uniqueName, type NatsPeer } from './support/nats.ts';
import { signatureHeader } from '../src/security/signature.ts';
import { controlNumberOf, poAck, postX12, segmentsOf } from './support/x12.ts';

channelConformance('http-json', (p) => ({
  channel: 'http:/v1/events',
  async send(hub, caseId) {
    const res = await api(hub, hub.tokens.operator, 'POST', '/v1/events', [used(caseId, { item: p.implant.id, location: p.location.id, facility: p.facility, caseId })]);
    return res.status === 202 ? 'accepted' : 'refused';
  },
  async sendMalformed(hub) {
    const res = await request(`${hub.url}/v1/events`, { method: 'POST', body: '[{"type":', headers: { authorization: `Bearer ${hub.tokens.operator}`, 'content-type': 'application/json' } });
    await res.body.dump();
    return res.statusCode === 400 && String(res.headers['content-type']).startsWith('application/problem+json') ? 'refused' : 'accepted';
  },
}));

channelConformance('hl7-mllp', (p) => {
  const dft = (caseId: string) => [
    `MSH|^~\\&|OPTIME|${p.facility}|TENDON|NET|20261121091500-0500||DFT^P03|${caseId}|P|2.5.1`,
    `PID|1||MRN0001^^^H^MR||DOE^J||||||||||||ENC-${caseId}`,
    `PV1|1|O|${p.location.id}||||||||||||||||${caseId}`,
    `ZPA|${p.location.id}`,
    `FT1|1|||20261121091400-0500||CG|CDM|||1|||SURG||||||||||${caseId}||||||||||||${p.implant.id}^^erp`,
    `ZQD|SN-${caseId}|LOT-${caseId}|20290131`,
  ].join('\r');
  const ask = async (port: number, message: string) => {
    const client = await MllpTestClient.connect(port);
    try {
      const code = field(await client.request(message), 'MSA', 1);
      return code === 'AA' || code === 'CA' ? 'accepted' : 'refused';
    } finally {
      client.close();
    }
  };
  return {
    channel: 'mllp:ehr',
    send: (hub, caseId) => ask(hub.ports.ehr!, dft(caseId)),
    sendMalformed: (hub) => ask(hub.ports.ehr!, `MSH|^~\\&|OPTIME|${p.facility}|TENDON|NET|20261121||DFT^P03|BAD-1|P|2.5.1\rPID|1||MRN1`),
  };
});

channelConformance('fhir-r4', (p) => {
  const resource = (caseId: string) => ({
    resourceType: 'SupplyDelivery', identifier: [{ system: 'urn:oid:2.16.840.1.113883.3.999.1', value: caseId }], status: 'completed',
    extension: [{ url: 'urn:tendon:extension:facility', valueCode: p.facility }],
    patient: { identifier: { system: 'urn:oid:2.16.840.1.113883.3.999.2', value: 'MRN0001' } },
    contained: [
      { resourceType: 'Device', id: 'd', udiCarrier: [{ deviceIdentifier: p.implant.gtin }], lotNumber: 'L', serialNumber: `S-${caseId}` },
      { resourceType: 'Procedure', id: 'case', identifier: [{ value: caseId }], status: 'completed', subject: { identifier: { value: 'MRN0001' } } },
    ],
    partOf: [{ reference: '#case' }],
    suppliedItem: { quantity: { value: 1 }, itemReference: { reference: '#d' } },
    occurrenceDateTime: '2026-11-21T10:00:00-05:00', destination: { reference: `Location/${p.location.id}` },
  });
  const post = async (hub: { url: string; tokens: { operator: string } }, body: string) => {
    const res = await request(`${hub.url}/fhir/r4/SupplyDelivery`, { method: 'POST', body, headers: { authorization: `Bearer ${hub.tokens.operator}`, 'content-type': 'application/fhir+json' } });
    const outcome = (await res.body.json()) as { resourceType: string };
    return res.statusCode < 300 ? 'accepted' : outcome.resourceType === 'OperationOutcome' ? 'refused' : 'accepted';
  };
  return {
    channel: 'http:/fhir/r4',
    send: (hub, caseId) => post(hub, JSON.stringify(resource(caseId))) as Promise<'accepted' | 'refused'>,
    sendMalformed: (hub) => post(hub, '{"resourceType":"SupplyDelivery","identifier":{"value":"not-an-array"}}') as Promise<'accepted' | 'refused'>,
  };
});

// NATS JetStream: the answer is what the hub's consumer sends back for the message, seen on the wire: +ACK or +TERM.
channelConformance('nats-jetstream', (p) => {
  const stream = uniqueName('TENDON_CONFORMANCE');
  const durable = 'tendon-conformance';
  let nats: NatsPeer;
  const publish = async (body: string) => {
    const answer = await nats.publishAndAnswer(stream, durable, `${stream}.supply.used`, body);
    if (answer !== '+ACK' && answer !== '+TERM') throw new Error(`the hub answered ${answer}`);
    return answer === '+ACK' ? 'accepted' : 'refused';
  };
  return {
    channel: 'nats:jetstream',
    async setup() {
      nats = await natsPeer();
      await nats.stream(stream, stream);
      return (c) => {
        c.inbound = [...(c.inbound ?? []), { kind: 'nats', name: 'jetstream', url: NATS_URL, stream, durable }];
      };
    },
    teardown: () => nats.close(),
    send: (_hub, caseId) => publish(JSON.stringify(used(caseId, { item: p.implant.id, location: p.location.id, facility: p.facility, caseId }))),
    sendMalformed: () => publish('[{"type":'),
  };
});

// Signed webhooks: the answer is the HTTP status; malformed is a body that is not JSON, correctly signed (a bad
// signature, the other refusal, is in webhooks.test.ts).
channelConformance('webhook', (p) => {
  const secret = 'conformance-webhook-secret-0123456789abcdef';
  const post = async (hub: { url: string }, body: string) => {
    const res = await request(`${hub.url}/v1/webhooks/conformance`, {
      method: 'POST', body,
      headers: { 'content-type': 'application/json', 'tendon-signature': signatureHeader(secret, Math.floor(Date.now() / 1000), body) },
    });
    const type = String(res.headers['content-type']);
    await res.body.dump();
    if (res.statusCode === 202) return 'accepted';
    if (res.statusCode === 400 && type.startsWith('application/problem+json')) return 'refused';
    throw new Error(`the hub answered ${res.statusCode}`);
  };
  return {
    channel: 'webhook:conformance',
    setup: async () => (c) => {
      c.inbound = [...(c.inbound ?? []), { kind: 'webhook', name: 'conformance', secret }];
    },
    send: (hub, caseId) => post(hub, JSON.stringify([used(caseId, { item: p.implant.id, location: p.location.id, facility: p.facility, caseId })])),
    sendMalformed: (hub) => post(hub, '[{"type":'),
  };
});

// CSV files in a watched folder: the answer is where the file goes once the hub is done with it: the archive
// (committed) or the error folder with its errors file (refused). The same file content again is a duplicate.
channelConformance('csv-folder', (p) => {
  const inbox = join(mkdtempSync(join(tmpdir(), 'tendon-csv-conformance-')), 'inbox');
  let dropped = 0;
  const drop = async (content: string | Buffer) => {
    const name = `dispense-${++dropped}.csv`;
    writeFileSync(join(inbox, `.${name}.tmp`), content);
    renameSync(join(inbox, `.${name}.tmp`), join(inbox, name));
    await waitFor(`${name} to leave the inbox`, async () => !existsSync(join(inbox, name)), 20_000, 20);
    if (existsSync(join(inbox, 'archive', name))) return 'accepted';
    if (existsSync(join(inbox, 'error', name)) && existsSync(join(inbox, 'error', `${name}.errors.csv`))) return 'refused';
    throw new Error(`${name} went neither to the archive nor to the error folder`);
  };
  const header = 'TransactionID,TransactionDateTime,Facility,CabinetLocation,ItemID,Quantity,PatientMRN,EncounterID,CaseID,LotNumber,SerialNumber';
  return {
    channel: 'csv:cabinets',
    setup: async () => (c) => {
      c.inbound = [...(c.inbound ?? []), { kind: 'csv', name: 'cabinets', path: inbox, format: 'usage', stableMs: 50, pollMs: 20 }];
    },
    send: (_hub, caseId) =>
      drop(`${header}\r\n${caseId},2026-11-21T09:14:00-05:00,${p.facility},${p.location.id},${p.implant.id},1,MRN0001,ENC-${caseId},${caseId},LOT-${caseId},SN-${caseId}\r\n`),
    sendMalformed: () => drop(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00])), // a zip, not CSV
  };
});

// X12 over HTTP: the answer is the status and the interchange that comes back: 200 with a 997 accepting the 855
// (AK5*A) means committed, 400 with a TA1 is the refusal. The same case id sends the same interchange (same ISA13).
channelConformance('x12-http', (p) => {
  const ack = (caseId: string) => poAck({ sender: 'MEDSUPPLYCO', controlNumber: controlNumberOf(caseId), poNumber: caseId, facility: p.facility, itemId: p.implant.id });
  const post = async (hub: { url: string; tokens: { operator: string } }, body: string) => {
    const answer = await postX12(hub, hub.tokens.operator, 'suppliers', body);
    if (answer.status === 200 && segmentsOf(answer.body).includes('AK5*A')) return 'accepted';
    if (answer.status === 400 && segmentsOf(answer.body).some((s) => s.startsWith('TA1*'))) return 'refused';
    throw new Error(`the hub answered ${answer.status}: ${answer.body.slice(0, 300)}`);
  };
  return {
    channel: 'x12:suppliers',
    setup: async () => (c) => {
      c.inbound = [...(c.inbound ?? []), { kind: 'x12', name: 'suppliers', partners: { MEDSUPPLYCO: 'SUP-CONFORMANCE' }, facility: p.facility }];
    },
    send: (hub, caseId) => post(hub, ack(caseId)),
    sendMalformed: (hub) => post(hub, ack('x12-broken').replace(/IEA\*1\*\d{9}/, 'IEA*1*000000000')), // IEA02 is not ISA13
  };
});
