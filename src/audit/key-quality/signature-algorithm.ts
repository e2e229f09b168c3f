/**
 * Certificates signed with MD5 or SHA-1 (or MD2, MD4). Chosen-prefix collisions let an attacker
 * who gets one such certificate issued forge another with the same signature: MD5 since 2008
 * (the rogue CA certificate), SHA-1 since 2020 (SHA-1 is a Shambles). A self-issued certificate's
 * own signature is not checked by anyone who trusts it as an anchor, so it is not flagged.
 */

import { DER_TAG, readChildren, readElement, readObjectIdentifier } from './der.ts';
import type { CertificateKey } from './certificate-key.ts';
import { KEY_REASON, type KeyFinding } from './key-finding.ts';

/** Signature algorithm OIDs whose digest is broken, with the algorithm's name and digest. */
export const WEAK_SIGNATURE_ALGORITHMS: Record<string, { name: string; hash: string }> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', hash: 'MD2' },
  '1.2.840.113549.1.1.3': { name: 'md4WithRSAEncryption', hash: 'MD4' },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'MD5' },
  '1.3.14.3.2.3': { name: 'md5WithRSA', hash: 'MD5' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'SHA-1' },
  '1.3.14.3.2.29': { name: 'sha1WithRSASignature', hash: 'SHA-1' },
  '1.2.840.10040.4.3': { name: 'dsa-with-sha1', hash: 'SHA-1' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'SHA-1' },
};

const RSASSA_PSS = '1.2.840.113549.1.1.10';
const WEAK_DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'SHA-1',
  '1.2.840.113549.2.5': 'MD5',
};

/** Returns the weak digest a signature algorithm uses, or undefined for a strong one. */
export function weakSignatureDigest(
  key: CertificateKey,
): { name: string; hash: string } | undefined {
  const known = WEAK_SIGNATURE_ALGORITHMS[key.signatureAlgorithmOid];
  if (known !== undefined) return known;
  if (key.signatureAlgorithmOid !== RSASSA_PSS) return undefined;

  const hash = pssDigestOid(key.signatureAlgorithmParameters);
  const weak = WEAK_DIGESTS[hash];
  return weak === undefined ? undefined : { name: `RSASSA-PSS with ${weak}`, hash: weak };
}

/** RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0] AlgorithmIdentifier DEFAULT sha1, ... } */
function pssDigestOid(parameters: Buffer | undefined): string {
  const sha1 = '1.3.14.3.2.26';
  if (parameters === undefined) return sha1;
  const sequence = readElement(parameters, 0);
  if (sequence.tag !== DER_TAG.SEQUENCE) return sha1;
  const hashField = readChildren(parameters, sequence).find(
    (child) => child.tag === DER_TAG.CONTEXT_0,
  );
  if (hashField === undefined) return sha1;
  const identifier = readElement(parameters, hashField.contentStart, hashField.end);
  const [oid] = readChildren(parameters, identifier);
  return oid === undefined ? sha1 : readObjectIdentifier(parameters, oid);
}

/** Flags a certificate, other than a self-issued one, signed with a broken digest. */
export function checkSignatureAlgorithm(key: CertificateKey): KeyFinding | undefined {
  if (key.selfIssued) return undefined;
  const weak = weakSignatureDigest(key);
  if (weak === undefined) return undefined;
  return {
    code: KEY_REASON.SIGNATURE_WEAK,
    message: `Certificate is signed with ${weak.name}, whose ${weak.hash} digest allows forged certificates through collisions`,
    evidence: {
      SIGNATURE_ALGORITHM: weak.name,
      SIGNATURE_ALGORITHM_OID: key.signatureAlgorithmOid,
    },
  };
}
