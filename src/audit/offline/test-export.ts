/**
 * Writes an offline audit folder for tests, as an operator would export it. It has real
 * certificates from the test PKI: a good one, an expired one, an RSA-1024 one, and a revoked one
 * in a bundle. It also has a CRL, a certificate list with one INACTIVE certificate, a broad and a
 * scoped policy, a role alias with its role, disabled logging, and a few bad files.
 */

import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCertificatePem } from '../../registry/x509.ts';
import { thingScopedPolicy } from '../../testing/harness.ts';
import { createTestCa, issueTestCertificate, type TestCertificate } from '../../testing/pki.ts';

const DAY_MS = 24 * 3600 * 1000;

export const EXPORT_ACCOUNT = '210987654321';
export const EXPORT_REGION = 'eu-west-1';
export const ROLE_ARN = `arn:aws:iam::${EXPORT_ACCOUNT}:role/device-credentials`;
export const ROLE_ALIAS_ARN = `arn:aws:iot:${EXPORT_REGION}:${EXPORT_ACCOUNT}:rolealias/device-credentials`;

/** The certificate ids of the export, to assert findings against. */
export interface TestExport {
  folder: string;
  caId: string;
  goodId: string;
  expiredId: string;
  rsa1024Id: string;
  revokedId: string;
  inactiveId: string;
}

/** Writes the export into a new temporary folder and returns its ids. */
export async function writeTestExport(): Promise<TestExport> {
  const folder = await mkdtemp(path.join(tmpdir(), 'warden-export-'));
  const now = Date.now();
  const ca = await createTestCa('Fleet Root CA');
  const good = await issueTestCertificate(ca, 'device-good');
  const expired = await issueTestCertificate(ca, 'device-expired', {
    notBefore: new Date(now - 400 * DAY_MS),
    notAfter: new Date(now - 10 * DAY_MS),
  });
  const rsa1024 = await issueTestCertificate(ca, 'device-rsa1024', { keyType: 'rsa-1024' });
  const revoked = await issueTestCertificate(ca, 'device-revoked');
  const inactive = await issueTestCertificate(ca, 'device-inactive');

  await write(folder, 'certs/ca.pem', ca.certPem);
  await write(folder, 'certs/device-good.pem', `${good.certPem}${ca.certPem}`);
  await write(folder, 'certs/device-expired.crt', expired.certPem);
  await write(folder, 'certs/device-rsa1024.pem', rsa1024.certPem);
  await write(folder, 'certs/bundle.pem', `${revoked.certPem}\n${inactive.certPem}`);
  await write(folder, 'certs/device-good.key.pem', good.keyPem);
  await write(folder, 'certs/broken.pem', brokenCertificate());
  await write(folder, 'crls/fleet-root.crl', await crlOf(ca, [revoked], now));

  const inactiveId = idOf(inactive);
  await writeJson(folder, 'certificates.json', {
    certificates: [
      {
        certificateArn: `arn:aws:iot:${EXPORT_REGION}:${EXPORT_ACCOUNT}:cert/${inactiveId}`,
        certificateId: inactiveId,
        status: 'INACTIVE',
        certificateMode: 'DEFAULT',
        creationDate: '2026-01-05T10:00:00.123000+00:00',
      },
    ],
  });
  await writePolicies(folder);
  await writeRoles(folder, now);
  await writeJson(folder, 'logging.json', {
    roleArn: `arn:aws:iam::${EXPORT_ACCOUNT}:role/iot-logging`,
    defaultLogLevel: 'DISABLED',
    disableAllLogs: false,
  });
  await write(folder, 'notes.json', '{}');
  await write(folder, 'README.txt', 'Exported with the AWS CLI.\n');

  return {
    folder,
    caId: idOf(ca),
    goodId: idOf(good),
    expiredId: idOf(expired),
    rsa1024Id: idOf(rsa1024),
    revokedId: idOf(revoked),
    inactiveId,
  };
}

/** A policy that allows every IoT action on every resource. */
export const OPEN_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }],
};

async function writePolicies(folder: string): Promise<void> {
  await writeJson(folder, 'policies/open-policy.json', OPEN_POLICY);
  await writeJson(folder, 'policies/thing-scoped.json', {
    policyName: 'thing-scoped',
    policyArn: `arn:aws:iot:${EXPORT_REGION}:${EXPORT_ACCOUNT}:policy/thing-scoped`,
    policyDocument: JSON.stringify(thingScopedPolicy()),
    defaultVersionId: '3',
    creationDate: 1767225600,
  });
  await write(folder, 'policies/broken.json', '{ "Statement": [ ');
}

async function writeRoles(folder: string, now: number): Promise<void> {
  await writeJson(folder, 'roles/device-credentials-role.json', {
    roleArn: ROLE_ARN,
    policyDocuments: [
      {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Readings', Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' },
          {
            Sid: 'Uploads',
            Effect: 'Allow',
            Action: 's3:PutObject',
            Resource: 'arn:aws:s3:::up/*',
          },
        ],
      },
    ],
    serviceLastUsed: { dynamodb: new Date(now - 3 * DAY_MS).toISOString() },
  });
  await writeJson(folder, 'roles/device-credentials-alias.json', {
    roleAliasDescription: {
      roleAlias: 'device-credentials',
      roleAliasArn: ROLE_ALIAS_ARN,
      roleArn: ROLE_ARN,
      owner: EXPORT_ACCOUNT,
      credentialDurationSeconds: 3600,
      creationDate: '2026-01-05T10:00:00+00:00',
      lastModifiedDate: '2026-01-05T10:00:00+00:00',
    },
  });
}

/** Builds a PEM block whose body is base64 but not a certificate. */
function brokenCertificate(): string {
  const body = Buffer.from('not a certificate at all').toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

async function crlOf(
  ca: TestCertificate,
  revoked: readonly TestCertificate[],
  now: number,
): Promise<string> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.certificate.subject,
    thisUpdate: new Date(now - DAY_MS),
    nextUpdate: new Date(now + 6 * DAY_MS),
    entries: revoked.map((item) => ({
      serialNumber: item.certificate.serialNumber,
      revocationDate: new Date(now - 2 * DAY_MS),
    })),
    signingKey: ca.keys.privateKey,
    signingAlgorithm: ca.algorithm,
  });
  return `${crl.toString('pem')}\n`;
}

/** Computes the AWS IoT certificate id: SHA-256 of the DER, lowercase hex. */
export function idOf(certificate: TestCertificate): string {
  return parseCertificatePem(certificate.certPem).fingerprint;
}

async function write(folder: string, file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(folder, file)), { recursive: true });
  await writeFile(path.join(folder, file), text);
}

async function writeJson(folder: string, file: string, value: unknown): Promise<void> {
  await write(folder, file, `${JSON.stringify(value, null, 2)}\n`);
}
