// The FHIR R4 codec: pure functions from a request body to canonical events or an OperationOutcome, from a
// delivery to the resource to create, and from a FHIR server's answer to a delivery outcome. No I/O and no clock:
// channels pass bodies, keys and the time in. Validation uses medplum's R4 validator with the R4 definitions,
// loaded once on first use (call loadDefinitions() at start-up to pay the ≈0.6 s there).
//
//   decodeFhir(body, options)           → { ok, events, entries, failures, bundleType } | { ok: false, status, outcome }
//   successOutcome / bundleResponse     → what to answer once the events are stored (201 created / 200 duplicate)
//   capabilityStatement(input)          → GET [base]/metadata
//   encodeChargeItem / encodeChargeCredit / encodeSupplyRequest(body, ctx) → { resource, ifNoneExist } for a
//                                       conditional create; encodePurchaseOrder → one per PO line
//   enteredInError(encoded)             → the same resource withdrawn, for a reversal's conditional update
//   readFhirAnswer(status, body, location?) → success | rejected | retryable, with the server's reason
//   maskFhir(text)                      → the body with patient identity masked, for display
//   validateR4(resource)                → R4 errors with FHIRPath expressions (empty = valid)
export { decodeFhir, type FhirDecodeResult } from './decode.ts';
export { bundleResponse, issue, operationOutcome, successOutcome, type EntryResult, type IssueType, type Severity } from './outcome.ts';
export { capabilityStatement, type CapabilityInput, type CapabilityStatement } from './capability.ts';
export {
  encodeChargeCredit, encodeChargeItem, encodePurchaseOrder, encodeSupplyRequest, enteredInError,
  type ChargeItemContext, type Encoded, type FhirEncodeContext,
} from './encode.ts';
export { readFhirAnswer, type FhirAnswer } from './encode.ts';
export { maskFhir, MASK } from './mask.ts';
export { loadDefinitions, validateR4 } from './validate.ts';
export {
  MAX_ENTRIES, SUPPORTED_TYPES, TENDON,
  type FailureStatus, type FhirDecodeOptions, type FhirDecoded, type FhirEntryFailure, type FhirEntryRef, type SupportedResource,
} from './types.ts';
export type { Bundle, ChargeItem, OperationOutcome, Resource, SupplyDelivery, SupplyRequest } from './r4.ts';
