/**
 * Certificate revocation lists in PEM: parsing, and the checks that tie a CRL to the CA that
 * issued it. Source: RFC 5280, section 5 (CRL fields and extensions) and section 6.3.3 (the CRL
 * issuer must match the certificate issuer and its key must verify the CRL signature); RFC 7468,
 * section 5 (the "X509 CRL" PEM label).
 */

import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import { invalidRequest } from '../../core/errors.ts';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** The delta CRL indicator extension (RFC 5280, section 5.2.4). */
const DELTA_CRL_INDICATOR = '2.5.29.27';

/** Both labels in use: RFC 7468 writes "X509 CRL", some tools (@peculiar/x509 among them) "CRL". */
const PEM_BLOCK = /-----BEGIN (X509 CRL|CRL)-----([\s\S]*?)-----END \1-----/g;

/** The facts Warden reads from a CRL. Times are epoch milliseconds. */
export interface ParsedCrl {
  crl: x509.X509Crl;
  /** The PEM block alone, trimmed, with one final newline. */
  pem: string;
  issuer: string;
  thisUpdate: number;
  nextUpdate?: number;
  /** Revoked serial numbers as lowercase hex without leading zeros; see normalizeSerialNumber. */
  revokedSerialNumbers: string[];
}

/**
 * Parses one PEM-encoded CRL.
 * @throws WardenError InvalidRequestException when the text is not exactly one decodable CRL.
 */
export function parseCrlPem(text: string): ParsedCrl {
  const blocks = [...text.matchAll(PEM_BLOCK)];
  const block = blocks[0];
  if (blocks.length !== 1 || block === undefined) {
    const found = blocks.length === 0 ? 'none' : `${blocks.length} CRL blocks`;
    throw invalidRequest(`Invalid CRL: expected one PEM "X509 CRL" block, found ${found}`);
  }

  let crl: x509.X509Crl;
  try {
    crl = new x509.X509Crl(decodeBase64Body(block[2] ?? ''));
  } catch (error) {
    const reason = (error as Error).message.replace(/\.$/, '');
    throw invalidRequest(`Invalid CRL: the PEM block does not decode as a CRL: ${reason}`);
  }
  return describe(crl, `${block[0].trim()}\n`);
}

function decodeBase64Body(body: string): Buffer {
  const compact = body.replace(/\s+/g, '');
  if (compact === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    throw new Error('its body is not base64');
  }
  return Buffer.from(compact, 'base64');
}

function describe(crl: x509.X509Crl, pem: string): ParsedCrl {
  const parsed: ParsedCrl = {
    crl,
    pem,
    issuer: crl.issuer,
    thisUpdate: crl.thisUpdate.getTime(),
    revokedSerialNumbers: crl.entries.map((entry) => normalizeSerialNumber(entry.serialNumber)),
  };
  if (crl.nextUpdate !== undefined) parsed.nextUpdate = crl.nextUpdate.getTime();
  return parsed;
}

/**
 * Checks that `caPem` issued the CRL: a complete CRL, named for the CA's subject, signed by its key,
 * with nextUpdate after thisUpdate. Returns the reason it is not, or undefined when it is.
 */
export async function crlIssueProblem(
  parsed: ParsedCrl,
  caPem: string,
): Promise<string | undefined> {
  const ca = new x509.X509Certificate(caPem);
  if (parsed.crl.extensions.some((extension) => extension.type === DELTA_CRL_INDICATOR)) {
    return 'it is a delta CRL; register a complete CRL';
  }
  if (!sameName(parsed.crl.issuerName, ca.subjectName)) {
    return `its issuer "${parsed.issuer}" is not the CA's subject "${ca.subject}"`;
  }
  const keyUsage = ca.getExtension(x509.KeyUsagesExtension);
  if (keyUsage && (keyUsage.usages & x509.KeyUsageFlags.cRLSign) === 0) {
    return "the CA certificate's key usage does not include cRLSign";
  }
  if (!(await verifies(parsed.crl, ca))) {
    return "its signature does not verify with the CA certificate's public key";
  }
  if (parsed.nextUpdate !== undefined && parsed.nextUpdate < parsed.thisUpdate) {
    return `its nextUpdate ${iso(parsed.nextUpdate)} is before its thisUpdate ${iso(parsed.thisUpdate)}`;
  }
  return undefined;
}

/** Serial numbers compare as integers: lowercase hex with leading zeros dropped, "0" for zero. */
export function normalizeSerialNumber(hex: string): string {
  return hex.toLowerCase().replace(/^0+(?=.)/, '');
}

/** RFC 5280 compares names after normalization; equal DER, or equal text, is taken as a match. */
function sameName(a: x509.Name, b: x509.Name): boolean {
  const der = Buffer.from(a.toArrayBuffer()).equals(Buffer.from(b.toArrayBuffer()));
  return der || a.toString() === b.toString();
}

/** Verifies the CRL signature, counting a key of another algorithm (the verifier throws) as a failure. */
async function verifies(crl: x509.X509Crl, ca: x509.X509Certificate): Promise<boolean> {
  try {
    return await crl.verify({ publicKey: ca.publicKey });
  } catch {
    return false;
  }
}

export function iso(epochMilliseconds: number): string {
  return new Date(epochMilliseconds).toISOString();
}
