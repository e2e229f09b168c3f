/** Registry records as Warden stores them. Times are epoch milliseconds. */

export type CertificateStatus =
  | 'ACTIVE'
  | 'INACTIVE'
  | 'REVOKED'
  | 'PENDING_TRANSFER'
  | 'REGISTER_INACTIVE'
  | 'PENDING_ACTIVATION';

export type CaCertificateStatus = 'ACTIVE' | 'INACTIVE';

export interface Thing {
  thingName: string;
  thingId: string;
  thingTypeName?: string;
  attributes: Record<string, string>;
  version: number;
  createdAt: number;
}

export interface ThingGroup {
  thingGroupName: string;
  thingGroupId: string;
  parentGroupName?: string;
  description?: string;
  attributes: Record<string, string>;
  version: number;
  createdAt: number;
}

export interface CertificateRecord {
  certificateId: string;
  pem: string;
  status: CertificateStatus;
  /** Id of the registered CA that issued it; absent for RegisterCertificateWithoutCA. */
  caCertificateId?: string;
  mode: 'DEFAULT' | 'SNI_ONLY';
  createdAt: number;
  lastModifiedAt: number;
  customerVersion: number;
  generationId: string;
  notBefore: number;
  notAfter: number;
}

export interface CaCertificateRecord {
  certificateId: string;
  pem: string;
  status: CaCertificateStatus;
  autoRegistrationStatus: 'ENABLE' | 'DISABLE';
  mode: 'DEFAULT' | 'SNI_ONLY';
  createdAt: number;
  lastModifiedAt: number;
  customerVersion: number;
  generationId: string;
  notBefore: number;
  notAfter: number;
}

export interface PolicyVersion {
  versionId: string;
  document: string;
  createdAt: number;
}

export interface Policy {
  policyName: string;
  defaultVersionId: string;
  versions: PolicyVersion[];
  createdAt: number;
  lastModifiedAt: number;
  generationId: string;
  /** Next version number to hand out; versions are never reused after deletion. */
  nextVersion: number;
}

export interface LoggingOptions {
  roleArn?: string;
  defaultLogLevel: 'DEBUG' | 'INFO' | 'ERROR' | 'WARN' | 'DISABLED';
  disableAllLogs: boolean;
}

/** The kinds of registry record the store keeps, each keyed by its name or id. */
export interface RegistryRecords {
  thing: Thing;
  thingGroup: ThingGroup;
  certificate: CertificateRecord;
  caCertificate: CaCertificateRecord;
  policy: Policy;
}

export type RecordKind = keyof RegistryRecords;

/** A relation between two registry records, such as a policy attached to a certificate. */
export type LinkKind = 'thing-group-member' | 'thing-principal' | 'policy-target';
