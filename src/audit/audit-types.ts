/**
 * The audit's data model in the AWS IoT shapes: check names, severities, resource types and the
 * `ResourceIdentifier`, `NonCompliantResource` and `RelatedResource` members findings carry.
 */

export type AuditSeverity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';

export type ResourceType =
  | 'DEVICE_CERTIFICATE'
  | 'CA_CERTIFICATE'
  | 'IOT_POLICY'
  | 'COGNITO_IDENTITY_POOL'
  | 'CLIENT_ID'
  | 'ACCOUNT_SETTINGS'
  | 'ROLE_ALIAS'
  | 'IAM_ROLE'
  | 'ISSUER_CERTIFICATE';

/** Exactly the members that identify one resource of the given type. */
export interface ResourceIdentifier {
  deviceCertificateId?: string;
  caCertificateId?: string;
  cognitoIdentityPoolId?: string;
  clientId?: string;
  policyVersionIdentifier?: { policyName: string; policyVersionId: string };
  account?: string;
  iamRoleArn?: string;
  roleAliasArn?: string;
  issuerCertificateIdentifier?: {
    issuerCertificateSubject?: string;
    issuerId?: string;
    issuerCertificateSerialNumber?: string;
  };
  deviceCertificateArn?: string;
}

/** A resource a finding names, with free-form details such as `EXPIRATION_TIME`. */
export interface AuditResource {
  resourceType: ResourceType;
  resourceIdentifier: ResourceIdentifier;
  additionalInfo?: Record<string, string>;
}

/** One non-compliant resource found by a check, before it becomes a stored finding. */
export interface NonCompliance {
  resource: AuditResource;
  relatedResources: AuditResource[];
  reasonForNonCompliance: string;
  reasonForNonComplianceCode: string;
}

/** What one run of one check produced. */
export interface CheckResult {
  /** Resources the check examined, compliant or not. */
  totalResourcesCount: number;
  nonCompliant: NonCompliance[];
  /** Set when the check could not judge yet, e.g. no connection history covers its window. */
  waitingForDataCollection?: boolean;
}
