// The R4 types the codec reads and writes, as far as it uses them (element names and cardinalities from the R4
// specification, 4.0.1). Why not @medplum/fhirtypes: its declarations re-export `./Bundle` without a file
// extension from an ESM package, which TypeScript cannot resolve under this project's `nodenext` module resolution,
// so every type it names silently became `any`. Shapes are still checked at runtime by the R4 validator.
export interface Element {
  id?: string;
  extension?: Extension[];
}

export interface Extension extends Element {
  url: string;
  valueCode?: string;
  valueString?: string;
  valueIdentifier?: Identifier;
  valueReference?: Reference;
}

export interface Coding extends Element {
  system?: string;
  version?: string;
  code?: string;
  display?: string;
}

export interface CodeableConcept extends Element {
  coding?: Coding[];
  text?: string;
}

export interface Identifier extends Element {
  use?: string;
  type?: CodeableConcept;
  system?: string;
  value?: string;
}

export interface Reference extends Element {
  reference?: string;
  type?: string;
  identifier?: Identifier;
  display?: string;
}

export interface Quantity extends Element {
  value?: number;
  comparator?: string;
  unit?: string;
  system?: string;
  code?: string;
}

export interface Money extends Element {
  value?: number;
  currency?: string;
}

export interface Period extends Element {
  start?: string;
  end?: string;
}

export interface Narrative extends Element {
  status: string;
  div: string;
}

export interface Resource {
  resourceType: string;
  id?: string;
  meta?: Record<string, unknown>;
  text?: Narrative;
  contained?: Resource[];
  extension?: Extension[];
}

export interface Device extends Resource {
  resourceType: 'Device';
  identifier?: Identifier[];
  udiCarrier?: { deviceIdentifier?: string; issuer?: string; jurisdiction?: string; carrierHRF?: string }[];
  status?: string;
  expirationDate?: string;
  lotNumber?: string;
  serialNumber?: string;
  type?: CodeableConcept;
}

export interface Patient extends Resource {
  resourceType: 'Patient';
  identifier?: Identifier[];
}

export interface Location extends Resource {
  resourceType: 'Location';
  identifier?: Identifier[];
  managingOrganization?: Reference;
}

export interface Procedure extends Resource {
  resourceType: 'Procedure';
  identifier?: Identifier[];
  status: string;
  code?: CodeableConcept;
  subject: Reference;
  encounter?: Reference;
  performer?: { function?: CodeableConcept; actor: Reference }[];
}

export interface SupplyDelivery extends Resource {
  resourceType: 'SupplyDelivery';
  identifier?: Identifier[];
  basedOn?: Reference[];
  partOf?: Reference[];
  status?: string;
  patient?: Reference;
  type?: CodeableConcept;
  suppliedItem?: { quantity?: Quantity; itemCodeableConcept?: CodeableConcept; itemReference?: Reference };
  occurrenceDateTime?: string;
  occurrencePeriod?: Period;
  occurrenceTiming?: Record<string, unknown>;
  supplier?: Reference;
  destination?: Reference;
  receiver?: Reference[];
}

export interface SupplyRequest extends Resource {
  resourceType: 'SupplyRequest';
  identifier?: Identifier[];
  status?: string;
  category?: CodeableConcept;
  priority?: 'routine' | 'urgent' | 'asap' | 'stat';
  itemCodeableConcept?: CodeableConcept;
  itemReference?: Reference;
  quantity: Quantity;
  occurrenceDateTime?: string;
  authoredOn?: string;
  requester?: Reference;
  supplier?: Reference[];
  /** Ordered item details (R4: code + a CodeableConcept, Quantity, Range or boolean value). */
  parameter?: { code?: CodeableConcept; valueQuantity?: Quantity }[];
  reasonCode?: CodeableConcept[];
  deliverTo?: Reference;
}

export interface ChargeItem extends Resource {
  resourceType: 'ChargeItem';
  identifier?: Identifier[];
  status: string;
  code: CodeableConcept;
  subject: Reference;
  context?: Reference;
  occurrenceDateTime?: string;
  occurrencePeriod?: Period;
  performer?: { function?: CodeableConcept; actor: Reference }[];
  quantity?: Quantity;
  priceOverride?: Money;
  enteredDate?: string;
  productReference?: Reference;
  productCodeableConcept?: CodeableConcept;
  account?: Reference[];
  note?: { text: string }[];
}

export interface OperationOutcomeIssue extends Element {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  code: string;
  details?: CodeableConcept;
  diagnostics?: string;
  expression?: string[];
}

export interface OperationOutcome extends Resource {
  resourceType: 'OperationOutcome';
  issue: OperationOutcomeIssue[];
}

export interface BundleEntry extends Element {
  fullUrl?: string;
  resource?: Resource;
  request?: { method: string; url: string; ifNoneExist?: string };
  response?: { status: string; location?: string; etag?: string; outcome?: Resource };
}

export interface Bundle extends Resource {
  resourceType: 'Bundle';
  type: string;
  entry?: BundleEntry[];
}
