import type { ConnectionEvent } from '../history/connection-event.ts';
import type {
  CaCertificateRecord,
  CertificateRecord,
  LoggingOptions,
  Policy,
} from '../registry/types.ts';

/** A role alias: a name devices use to obtain credentials for an IAM role. */
export interface RoleAliasRecord {
  roleAlias: string;
  roleAliasArn: string;
  roleArn: string;
  credentialDurationSeconds: number;
  createdAt: number;
  lastModifiedAt: number;
}

/** An IAM-style role: its permission documents and when each service was last used with it. */
export interface IamRoleRecord {
  roleArn: string;
  /** IAM policy documents (JSON text) attached to the role, inline or managed. */
  policyDocuments: string[];
  /** Service namespace (e.g. `iot`, `dynamodb`) to the epoch ms it was last used; absent = never. */
  serviceLastUsed: Record<string, number>;
}

/** A Cognito identity pool with the roles its identities assume. */
export interface IdentityPoolRecord {
  identityPoolId: string;
  authenticatedRoleArn?: string;
  unauthenticatedRoleArn?: string;
  /** Epoch ms of the pool's last connection to the broker; the checks look 31 days back. */
  lastUsedAt?: number;
}

/** A CRL the operator registered for a CA, as PEM text. */
export interface CrlRecord {
  caCertificateId: string;
  crlPem: string;
  registeredAt: number;
}

/**
 * Everything an audit reads, as plain data. The running service builds it from the registry and
 * the connection history; `warden audit --offline` builds it from a folder of files.
 */
export interface FleetSnapshot {
  accountId: string;
  region: string;
  certificates: CertificateRecord[];
  caCertificates: CaCertificateRecord[];
  policies: Policy[];
  /** Policy name to the ARNs of the certificates and thing groups it is attached to. */
  policyTargets: Record<string, string[]>;
  roleAliases: RoleAliasRecord[];
  roles: IamRoleRecord[];
  identityPools: IdentityPoolRecord[];
  crls: CrlRecord[];
  logging: LoggingOptions | undefined;
  /** Connection events inside the audit's window (for the shared-certificate and client-ID checks). */
  connections: ConnectionEvent[];
  /** The window the connection events cover, epoch ms. */
  window: { since: number; until: number };
}
