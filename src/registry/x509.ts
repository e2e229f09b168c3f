import { createHash, X509Certificate } from 'node:crypto';
import { WardenError } from '../core/errors.ts';

/** The facts Warden keeps about an X.509 certificate, read once at registration. */
export interface ParsedCertificate {
  x509: X509Certificate;
  pem: string;
  /** SHA-256 of the DER encoding, lowercase hex: the AWS IoT certificate id. */
  fingerprint: string;
  notBefore: number;
  notAfter: number;
  subject: string;
  issuer: string;
  serialNumber: string;
  isCa: boolean;
  keyType: string;
  keyBits?: number;
  curve?: string;
  publicExponent?: bigint;
}

/**
 * Parses one PEM certificate.
 * @throws WardenError CertificateValidationException when the text is not exactly one certificate.
 */
export function parseCertificatePem(pem: string, label = 'certificate'): ParsedCertificate {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length !== 1) {
    const found =
      blocks.length === 0 ? 'no PEM certificate block' : `${blocks.length} certificate blocks`;
    throw new WardenError(
      'CertificateValidationException',
      `Invalid ${label}: expected one PEM certificate, found ${found}`,
    );
  }

  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(blocks[0] ?? '');
  } catch (error) {
    throw new WardenError(
      'CertificateValidationException',
      `Invalid ${label}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return describe(x509, normalizePem(blocks[0] ?? ''));
}

function describe(x509: X509Certificate, pem: string): ParsedCertificate {
  const details = x509.publicKey.asymmetricKeyDetails ?? {};
  const parsed: ParsedCertificate = {
    x509,
    pem,
    fingerprint: createHash('sha256').update(x509.raw).digest('hex'),
    notBefore: Date.parse(x509.validFrom),
    notAfter: Date.parse(x509.validTo),
    subject: x509.subject,
    issuer: x509.issuer,
    serialNumber: x509.serialNumber.toLowerCase(),
    isCa: x509.ca,
    keyType: x509.publicKey.asymmetricKeyType ?? 'unknown',
  };
  if (details.modulusLength !== undefined) parsed.keyBits = details.modulusLength;
  if (details.namedCurve !== undefined) parsed.curve = details.namedCurve;
  if (details.publicExponent !== undefined) parsed.publicExponent = details.publicExponent;
  return parsed;
}

function normalizePem(block: string): string {
  return `${block.trim()}\n`;
}

/** True when `issuer` issued `certificate`: names match and the signature verifies. */
export function isIssuedBy(certificate: ParsedCertificate, issuer: ParsedCertificate): boolean {
  if (!certificate.x509.checkIssued(issuer.x509)) return false;
  try {
    return certificate.x509.verify(issuer.x509.publicKey);
  } catch {
    return false;
  }
}

/** The subject attributes as a map, e.g. `{ CN: 'device-1', O: 'Fleet' }`; repeats keep the last. */
export function distinguishedName(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const index = line.indexOf('=');
    if (index > 0) fields[line.slice(0, index)] = line.slice(index + 1);
  }
  return fields;
}
