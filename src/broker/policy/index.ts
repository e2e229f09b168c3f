/**
 * The AWS IoT policy engine: validate and compile policy documents, then bind them to a
 * connection and authorize iot:Connect, iot:Publish, iot:Subscribe and iot:Receive requests.
 */

export {
  bindContext,
  DEFAULT_DECISION_CACHE_SIZE,
  type Authorizer,
  type AuthorizerOptions,
  type DecidingStatement,
  type PolicyDecision,
  type PolicyDecisionKind,
} from './authorizer.ts';
export {
  certificateAttributesFromX509,
  type AlternativeNameType,
  type CertificateAttributes,
} from './certificate-attributes.ts';
export { compilePolicy, type CompiledPolicy } from './compiled-policy.ts';
export { evaluate, type PolicyRequest } from './evaluate.ts';
export { type PolicyContext } from './policy-context.ts';
export {
  MAX_POLICY_DOCUMENT_CHARACTERS,
  malformedPolicyError,
  parsePolicyDocument,
  validatePolicyDocument,
  type PolicyCondition,
  type PolicyDocument,
  type PolicyProblem,
  type PolicyProblemCode,
  type PolicyStatement,
  type PolicyValidation,
} from './policy-document.ts';
export {
  iotArnPrefix,
  iotResourceArn,
  type ArnScope,
  type IotResourceType,
} from './resource-arn.ts';
