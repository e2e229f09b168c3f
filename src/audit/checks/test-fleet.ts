/**
 * A builder of fleet snapshots for the audit check tests, with real certificates, CRLs and policy
 * documents. A fresh `TestFleet` is clean: every check finds nothing in it, so each test plants
 * exactly the fault it looks for.
 */

import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

import type { AuditCheck } from '../audit-check.ts';
import type { CheckResult } from '../audit-types.ts';
import type { FleetSnapshot, IdentityPoolRecord } from '../fleet-snapshot.ts';
import type { ConnectionEvent, ConnectionEventType } from '../../history/connection-event.ts';
import { Arns } from '../../registry/arn.ts';
import type {
  CaCertificateRecord,
  CaCertificateStatus,
  CertificateRecord,
  CertificateStatus,
} from '../../registry/types.ts';
import { parseCertificatePem } from '../../registry/x509.ts';
import {
  createTestCa,
  issueTestCertificate,
  type IssueOptions,
  type TestCertificate,
  type TestKeyType,
} from '../../testing/pki.ts';

/** The audit time of every test: 2025-06-01T00:00:00Z. */
export const NOW = Date.parse('2025-06-01T00:00:00.000Z');
export const DAY = 24 * 60 * 60 * 1000;
export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';
export const ARNS = new Arns(REGION, ACCOUNT_ID);

/** Validity and registry fields of a test certificate. */
export interface CertificateOptions {
  notBefore?: number;
  notAfter?: number;
  /** Registration time; ten days before `NOW` by default. */
  createdAt?: number;
  /** Key of the certificate; intermediate CAs always get P-256. */
  keyType?: TestKeyType;
}

export interface DeviceOptions extends CertificateOptions {
  status?: CertificateStatus;
  /** The CA the registry records; the issuing CA's ID by default, `null` for none. */
  caCertificateId?: string | null;
}

export interface CaOptions extends CertificateOptions {
  status?: CaCertificateStatus;
  /** The CA that signs this one; self-signed when absent. */
  parent?: TestCa;
}

/** A CA with its keys and registry record. */
export interface TestCa {
  pki: TestCertificate;
  record: CaCertificateRecord;
}

/** A device certificate with its keys and registry record. */
export interface TestDevice {
  pki: TestCertificate;
  record: CertificateRecord;
}

export interface CrlOptions {
  thisUpdate?: number;
  nextUpdate?: number;
  /** Signs with these keys instead of the CA's, giving a CRL whose signature does not verify. */
  signWith?: TestCertificate;
  /** Issuer name written into the CRL; the CA's subject by default. */
  issuer?: string;
  /** The CA the CRL is registered for; the signing CA by default. */
  registerFor?: string;
}

/** Builds a fleet snapshot piece by piece. */
export class TestFleet {
  readonly fleet: FleetSnapshot = {
    accountId: ACCOUNT_ID,
    region: REGION,
    certificates: [],
    caCertificates: [],
    policies: [],
    policyTargets: {},
    roleAliases: [],
    roles: [],
    identityPools: [],
    crls: [],
    logging: { defaultLogLevel: 'INFO', disableAllLogs: false },
    connections: [],
    window: { since: NOW - 31 * DAY, until: NOW - 2 * 60 * 60 * 1000 },
  };

  /** Creates and registers a CA: a self-signed root, or an intermediate signed by `parent`. */
  async addCa(commonName: string, options: CaOptions = {}): Promise<TestCa> {
    const issue = validity(options);
    const pki = options.parent
      ? await createIntermediateCa(options.parent.pki, commonName, issue)
      : await createTestCa(commonName, issue);
    const parsed = parseCertificatePem(pki.certPem);
    const record: CaCertificateRecord = {
      certificateId: parsed.fingerprint,
      pem: parsed.pem,
      status: options.status ?? 'ACTIVE',
      autoRegistrationStatus: 'DISABLE',
      ...registryFields(options, parsed),
    };
    this.fleet.caCertificates.push(record);
    return { pki, record };
  }

  /** Issues a device certificate from `ca` and registers it. */
  async addDevice(
    ca: TestCa,
    commonName: string,
    options: DeviceOptions = {},
  ): Promise<TestDevice> {
    const pki = await issueTestCertificate(ca.pki, commonName, validity(options));
    const parsed = parseCertificatePem(pki.certPem);
    const record: CertificateRecord = {
      certificateId: parsed.fingerprint,
      pem: parsed.pem,
      status: options.status ?? 'ACTIVE',
      ...registryFields(options, parsed),
    };
    const caId =
      options.caCertificateId === undefined ? ca.record.certificateId : options.caCertificateId;
    if (caId !== null) record.caCertificateId = caId;
    this.fleet.certificates.push(record);
    return { pki, record };
  }

  /** Signs a CRL for `ca` listing the given certificates and registers it. */
  async addCrl(
    ca: TestCa,
    revoked: readonly { pki: TestCertificate }[],
    options: CrlOptions = {},
  ): Promise<string> {
    const signer = options.signWith ?? ca.pki;
    const crl = await x509.X509CrlGenerator.create({
      issuer: options.issuer ?? ca.pki.certificate.subject,
      thisUpdate: new Date(options.thisUpdate ?? NOW - DAY),
      nextUpdate: new Date(options.nextUpdate ?? NOW + 6 * DAY),
      entries: revoked.map((item) => ({
        serialNumber: item.pki.certificate.serialNumber,
        revocationDate: new Date(NOW - 2 * DAY),
      })),
      signingKey: signer.keys.privateKey,
      signingAlgorithm: signer.algorithm,
    });
    const crlPem = crl.toString('pem');
    const caCertificateId = options.registerFor ?? ca.record.certificateId;
    this.fleet.crls.push({ caCertificateId, crlPem, registeredAt: NOW - DAY });
    return crlPem;
  }

  /** Adds a policy whose default version 1 has `document`, attached to `targets`. */
  addPolicy(
    policyName: string,
    document: unknown,
    targets: string[] = [ARNS.certificate('0'.repeat(64))],
  ): void {
    const text = typeof document === 'string' ? document : JSON.stringify(document);
    this.fleet.policies.push({
      policyName,
      defaultVersionId: '1',
      versions: [{ versionId: '1', document: text, createdAt: NOW - DAY }],
      createdAt: NOW - DAY,
      lastModifiedAt: NOW - DAY,
      generationId: 'generation-1',
      nextVersion: 2,
    });
    if (targets.length > 0) this.fleet.policyTargets[policyName] = targets;
  }

  /** Adds an IAM role with policy documents and the services it used, by days before `NOW`. */
  addRole(roleArn: string, documents: unknown[], usedDaysAgo: Record<string, number> = {}): void {
    const serviceLastUsed: Record<string, number> = {};
    for (const [service, days] of Object.entries(usedDaysAgo)) {
      serviceLastUsed[service] = NOW - days * DAY;
    }
    const policyDocuments = documents.map((item) =>
      typeof item === 'string' ? item : JSON.stringify(item),
    );
    this.fleet.roles.push({ roleArn, policyDocuments, serviceLastUsed });
  }

  /** Adds a role alias pointing at `roleArn`; returns the alias ARN. */
  addRoleAlias(roleAlias: string, roleArn: string): string {
    const roleAliasArn = `arn:aws:iot:${REGION}:${ACCOUNT_ID}:rolealias/${roleAlias}`;
    this.fleet.roleAliases.push({
      roleAlias,
      roleAliasArn,
      roleArn,
      credentialDurationSeconds: 3600,
      createdAt: NOW - DAY,
      lastModifiedAt: NOW - DAY,
    });
    return roleAliasArn;
  }

  /** Adds a Cognito identity pool last used `lastUsedDaysAgo` days before `NOW` (never when absent). */
  addIdentityPool(
    identityPoolId: string,
    roles: { authenticated?: string; unauthenticated?: string },
    lastUsedDaysAgo?: number,
  ): void {
    const pool: IdentityPoolRecord = { identityPoolId };
    if (roles.authenticated !== undefined) pool.authenticatedRoleArn = roles.authenticated;
    if (roles.unauthenticated !== undefined) pool.unauthenticatedRoleArn = roles.unauthenticated;
    if (lastUsedDaysAgo !== undefined) pool.lastUsedAt = NOW - lastUsedDaysAgo * DAY;
    this.fleet.identityPools.push(pool);
  }

  /** Records the events of one connection session of a client. */
  addSession(session: TestSession): void {
    const base = {
      clientId: session.clientId,
      certificateId: session.certificateId,
      sourceIp: session.sourceIp ?? '198.51.100.10',
      sourcePort: session.sourcePort ?? 40000,
    };
    if (session.from !== undefined) {
      this.fleet.connections.push({ ...base, time: session.from, type: 'connect-success' });
    }
    if (session.to !== undefined) {
      const reason = session.takenOver ? 'duplicate-client-id' : 'client-disconnected';
      this.fleet.connections.push({ ...base, time: session.to, type: 'disconnect', reason });
    }
  }

  /** Records a connection taking over the client ID of a live session, as the broker does. */
  addTakeover(old: TestSession & { from: number }, next: TestSession & { from: number }): void {
    this.addSession({ ...old, to: next.from + 5, takenOver: true });
    this.fleet.connections.push(event('takeover', next, next.from));
    this.addSession(next);
  }

  /** Sorts the recorded events by time, as the connection history returns them. */
  sortConnections(): void {
    this.fleet.connections.sort((a, b) => a.time - b.time);
  }
}

/** One session of a client for `addSession`: from connect to disconnect, either may be absent. */
export interface TestSession {
  clientId: string;
  certificateId?: string;
  sourceIp?: string;
  sourcePort?: number;
  from?: number;
  to?: number;
  takenOver?: boolean;
}

/** Runs a check at `NOW` with an optional configuration. */
export async function runCheck(
  check: AuditCheck,
  fleet: FleetSnapshot,
  configuration: Record<string, string> = {},
  now = NOW,
): Promise<CheckResult> {
  return await check.run({ fleet, now, configuration });
}

/** Returns the reason codes of a result, in order. */
export function reasonCodes(result: CheckResult): string[] {
  return result.nonCompliant.map((item) => item.reasonForNonComplianceCode);
}

function event(type: ConnectionEventType, session: TestSession, time: number): ConnectionEvent {
  return {
    time,
    type,
    clientId: session.clientId,
    certificateId: session.certificateId,
    sourceIp: session.sourceIp ?? '198.51.100.10',
    sourcePort: session.sourcePort ?? 40000,
  };
}

function validity(options: CertificateOptions): IssueOptions {
  const issue: IssueOptions = {
    notBefore: new Date(options.notBefore ?? NOW - 30 * DAY),
    notAfter: new Date(options.notAfter ?? NOW + 365 * DAY),
  };
  if (options.keyType !== undefined) issue.keyType = options.keyType;
  return issue;
}

function registryFields(
  options: CertificateOptions,
  parsed: { notBefore: number; notAfter: number },
) {
  const createdAt = options.createdAt ?? NOW - 10 * DAY;
  return {
    mode: 'DEFAULT' as const,
    createdAt,
    lastModifiedAt: createdAt,
    customerVersion: 1,
    generationId: 'generation-1',
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
  };
}

/** Creates a CA certificate signed by `parent`, which `src/testing/pki.ts` does not make. */
async function createIntermediateCa(
  parent: TestCertificate,
  commonName: string,
  options: IssueOptions,
): Promise<TestCertificate> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const serial = Buffer.from(webcrypto.getRandomValues(new Uint8Array(12)));
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serial.toString('hex'),
    subject: `CN=${commonName}`,
    issuer: parent.certificate.subject,
    notBefore: options.notBefore ?? new Date(NOW - 30 * DAY),
    notAfter: options.notAfter ?? new Date(NOW + 365 * DAY),
    publicKey: keys.publicKey,
    signingKey: parent.keys.privateKey,
    signingAlgorithm: parent.algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
    ],
  });
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const body =
    der
      .toString('base64')
      .match(/.{1,64}/g)
      ?.join('\n') ?? '';
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`;
  return { certPem: `${certificate.toString('pem')}\n`, keyPem, keys, certificate, algorithm };
}
