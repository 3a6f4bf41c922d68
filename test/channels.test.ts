// Every inbound channel passes the one conformance suite (test/support/channel-conformance.ts).
import { request } from 'undici';
import { api, used } from './support/hub.ts';
import { channelConformance } from './support/channel-conformance.ts';
import { field, MllpTestClient } from './support/mllp-client.ts';

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
