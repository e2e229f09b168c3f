/** Registry records as Warden stores them. Times are epoch milliseconds. */

import type {
  CrlRecord,
  IamRoleRecord,
  IdentityPoolRecord,
  RoleAliasRecord,
} from '../audit/fleet-snapshot.ts';

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

export type LogLevel = 'DEBUG' | 'INFO' | 'ERROR' | 'WARN' | 'DISABLED';

/** A per-event override of the account's log level, as SetV2LoggingOptions takes it. */
export interface LogEventConfiguration {
  eventType: string;
  logLevel?: LogLevel;
  logDestination?: string;
}

export interface LoggingOptions {
  roleArn?: string;
  defaultLogLevel: LogLevel;
  disableAllLogs: boolean;
  eventConfigurations?: LogEventConfiguration[];
}

/** A resource tag as the AWS IoT API carries it. */
export interface ResourceTag {
  Key: string;
  Value?: string;
}

/** A role alias as stored: the audit's record plus the tags CreateRoleAlias took. */
export interface RoleAlias extends RoleAliasRecord {
  tags: ResourceTag[];
}

/** The kinds of registry record the store keeps, each keyed by its name or id. */
export interface RegistryRecords {
  thing: Thing;
  thingGroup: ThingGroup;
  certificate: CertificateRecord;
  caCertificate: CaCertificateRecord;
  policy: Policy;
  roleAlias: RoleAlias;
  /** Keyed by role name, the last segment of the role ARN. */
  iamRole: IamRoleRecord;
  identityPool: IdentityPoolRecord;
  /** Keyed by the id of the CA certificate that issued the CRL. */
  crl: CrlRecord;
}

export type RecordKind = keyof RegistryRecords;

/** A relation between two registry records, such as a policy attached to a certificate. */
export type LinkKind = 'thing-group-member' | 'thing-principal' | 'policy-target';
