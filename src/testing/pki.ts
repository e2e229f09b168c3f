import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type KeyPair = webcrypto.CryptoKeyPair;

/** Key types the test PKI can make. */
export type TestKeyType = 'ec-p256' | 'ec-p384' | 'rsa-2048' | 'rsa-1024';

export interface TestCertificate {
  certPem: string;
  keyPem: string;
  keys: KeyPair;
  certificate: x509.X509Certificate;
  algorithm: Algorithm;
}

interface Algorithm {
  name: string;
  hash: string;
  namedCurve?: string;
  modulusLength?: number;
  publicExponent?: Uint8Array;
}

export interface IssueOptions {
  keyType?: TestKeyType;
  notBefore?: Date;
  notAfter?: Date;
  /** Extra subject attributes, e.g. `O=Fleet`. */
  subjectSuffix?: string;
}

const DAY_MS = 24 * 3600 * 1000;

function algorithmOf(keyType: TestKeyType): Algorithm {
  switch (keyType) {
    case 'ec-p256':
      return { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    case 'ec-p384':
      return { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' };
    case 'rsa-2048':
    case 'rsa-1024':
      return {
        name: 'RSASSA-PKCS1-v1_5',
        hash: 'SHA-256',
        modulusLength: keyType === 'rsa-2048' ? 2048 : 1024,
        publicExponent: new Uint8Array([1, 0, 1]),
      };
  }
}

async function generate(keyType: TestKeyType): Promise<{ keys: KeyPair; algorithm: Algorithm }> {
  const algorithm = algorithmOf(keyType);
  const keys = (await webcrypto.subtle.generateKey(algorithm as never, true, [
    'sign',
    'verify',
  ])) as KeyPair;
  return { keys, algorithm };
}

async function keyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  const lines =
    der
      .toString('base64')
      .match(/.{1,64}/g)
      ?.join('\n') ?? '';
  return `-----BEGIN PRIVATE KEY-----\n${lines}\n-----END PRIVATE KEY-----\n`;
}

function serial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(12));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

/** Creates a self-signed CA certificate with real keys. */
export async function createTestCa(
  commonName: string,
  options: IssueOptions = {},
): Promise<TestCertificate> {
  const { keys, algorithm } = await generate(options.keyType ?? 'ec-p256');
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}${options.subjectSuffix ?? ''}`,
    notBefore: options.notBefore ?? new Date(now - DAY_MS),
    notAfter: options.notAfter ?? new Date(now + 365 * DAY_MS),
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
    ],
  });
  return {
    certPem: `${certificate.toString('pem')}\n`,
    keyPem: await keyPem(keys.privateKey),
    keys,
    certificate,
    algorithm,
  };
}

/** Issues a client certificate for `commonName`, signed by `ca`. */
export async function issueTestCertificate(
  ca: TestCertificate,
  commonName: string,
  options: IssueOptions = {},
): Promise<TestCertificate> {
  const { keys, algorithm } = await generate(options.keyType ?? 'ec-p256');
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${commonName}${options.subjectSuffix ?? ''}`,
    issuer: ca.certificate.subject,
    notBefore: options.notBefore ?? new Date(now - DAY_MS),
    notAfter: options.notAfter ?? new Date(now + 90 * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: ca.algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
    ],
  });
  return {
    certPem: `${certificate.toString('pem')}\n`,
    keyPem: await keyPem(keys.privateKey),
    keys,
    certificate,
    algorithm,
  };
}

/** A self-signed end-entity certificate, as used with RegisterCertificateWithoutCA. */
export async function createSelfSignedTestCertificate(
  commonName: string,
  options: IssueOptions = {},
): Promise<TestCertificate> {
  const { keys, algorithm } = await generate(options.keyType ?? 'ec-p256');
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    notBefore: options.notBefore ?? new Date(now - DAY_MS),
    notAfter: options.notAfter ?? new Date(now + 90 * DAY_MS),
    keys,
    signingAlgorithm: algorithm,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true)],
  });
  return {
    certPem: `${certificate.toString('pem')}\n`,
    keyPem: await keyPem(keys.privateKey),
    keys,
    certificate,
    algorithm,
  };
}
