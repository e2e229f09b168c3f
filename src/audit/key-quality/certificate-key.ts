/**
 * Reads, from a certificate's DER, the facts the key-quality checks judge: the public key
 * (algorithm, RSA modulus and exponent, EC curve), the signature algorithm and whether the
 * certificate is self-issued. Node's X509Certificate exposes no signature algorithm and rejects
 * some broken keys, so this reads the DER itself.
 */

import {
  DER_TAG,
  elementBytes,
  expectElement,
  readChildren,
  readElement,
  readObjectIdentifier,
  readUnsignedInteger,
  type DerElement,
} from './der.ts';
import { bitLength } from './bigint-math.ts';

export const KEY_ALGORITHM_OIDS: Record<string, KeyAlgorithm> = {
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.10045.2.1': 'EC',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.2.840.10040.4.1': 'DSA',
};

export type KeyAlgorithm = 'RSA' | 'RSASSA-PSS' | 'EC' | 'Ed25519' | 'Ed448' | 'DSA' | 'UNKNOWN';

/** The public RSA key. */
export interface RsaPublicKey {
  modulus: bigint;
  modulusBits: number;
  publicExponent: bigint;
}

/** The certificate facts the key-quality checks read. */
export interface CertificateKey {
  keyAlgorithm: KeyAlgorithm;
  keyAlgorithmOid: string;
  /** The SubjectPublicKeyInfo DER, which blocklists fingerprint. */
  subjectPublicKeyInfo: Buffer;
  rsa?: RsaPublicKey;
  /** Named-curve OID of an EC key; absent when the key carries explicit curve parameters. */
  curveOid?: string;
  signatureAlgorithmOid: string;
  /** DER of the signature algorithm's parameters, when present (RSASSA-PSS names its hash there). */
  signatureAlgorithmParameters?: Buffer;
  /** Issuer and subject names are byte-identical, as in a self-signed certificate. */
  selfIssued: boolean;
}

/** Decodes the first PEM certificate block of `pem` to DER. */
export function certificateDer(pem: string): Buffer {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  if (match === null) throw new Error('Invalid certificate: no PEM certificate block');
  return Buffer.from((match[1] ?? '').replace(/\s+/g, ''), 'base64');
}

/**
 * Reads the key facts from a certificate given as PEM text or DER bytes.
 * @throws Error when the DER is not an X.509 certificate.
 */
export function readCertificateKey(certificate: string | Uint8Array): CertificateKey {
  const der = typeof certificate === 'string' ? certificateDer(certificate) : certificate;
  const root = expectElement(der, readElement(der, 0), DER_TAG.SEQUENCE, 'Certificate');
  const [tbs, signatureAlgorithm] = readChildren(der, root);
  const tbsFields = readChildren(der, expectElement(der, tbs, DER_TAG.SEQUENCE, 'TBSCertificate'));

  // TBSCertificate: [0] version (optional), serialNumber, signature, issuer, validity, subject, SPKI.
  const fields = tbsFields[0]?.tag === DER_TAG.CONTEXT_0 ? tbsFields.slice(1) : tbsFields;
  const [, , issuer, , subject, spki] = fields;
  const issuerName = expectElement(der, issuer, DER_TAG.SEQUENCE, 'issuer');
  const subjectName = expectElement(der, subject, DER_TAG.SEQUENCE, 'subject');
  const publicKeyInfo = expectElement(der, spki, DER_TAG.SEQUENCE, 'subjectPublicKeyInfo');

  const signature = readAlgorithmIdentifier(der, signatureAlgorithm, 'signatureAlgorithm');
  const key: CertificateKey = {
    ...readPublicKey(der, publicKeyInfo),
    subjectPublicKeyInfo: elementBytes(der, publicKeyInfo),
    signatureAlgorithmOid: signature.oid,
    selfIssued: elementBytes(der, issuerName).equals(elementBytes(der, subjectName)),
  };
  if (signature.parameters !== undefined) {
    key.signatureAlgorithmParameters = elementBytes(der, signature.parameters);
  }
  return key;
}

interface AlgorithmIdentifier {
  oid: string;
  parameters?: DerElement;
}

/** Reads an AlgorithmIdentifier: the OID and its optional parameters. */
export function readAlgorithmIdentifier(
  der: Uint8Array,
  element: DerElement | undefined,
  what: string,
): AlgorithmIdentifier {
  const [oid, parameters] = readChildren(der, expectElement(der, element, DER_TAG.SEQUENCE, what));
  const identifier: AlgorithmIdentifier = {
    oid: readObjectIdentifier(
      der,
      expectElement(der, oid, DER_TAG.OBJECT_IDENTIFIER, `${what} OID`),
    ),
  };
  if (parameters !== undefined && parameters.tag !== DER_TAG.NULL)
    identifier.parameters = parameters;
  return identifier;
}

type PublicKeyFacts = Pick<CertificateKey, 'keyAlgorithm' | 'keyAlgorithmOid' | 'rsa' | 'curveOid'>;

function readPublicKey(der: Uint8Array, spki: DerElement): PublicKeyFacts {
  const [algorithm, bitString] = readChildren(der, spki);
  const identifier = readAlgorithmIdentifier(der, algorithm, 'subjectPublicKeyInfo algorithm');
  const keyAlgorithm = KEY_ALGORITHM_OIDS[identifier.oid] ?? 'UNKNOWN';
  const facts: PublicKeyFacts = { keyAlgorithm, keyAlgorithmOid: identifier.oid };

  if (keyAlgorithm === 'RSA' || keyAlgorithm === 'RSASSA-PSS') {
    facts.rsa = readRsaPublicKey(
      der,
      expectElement(der, bitString, DER_TAG.BIT_STRING, 'subjectPublicKey'),
    );
  }
  if (keyAlgorithm === 'EC' && identifier.parameters?.tag === DER_TAG.OBJECT_IDENTIFIER) {
    facts.curveOid = readObjectIdentifier(der, identifier.parameters);
  }
  return facts;
}

/** Reads RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } from the BIT STRING. */
function readRsaPublicKey(der: Uint8Array, bitString: DerElement): RsaPublicKey {
  // The first content byte of a BIT STRING counts the unused bits, zero for a DER key.
  const sequence = readElement(der, bitString.contentStart + 1, bitString.end);
  const [modulus, exponent] = readChildren(
    der,
    expectElement(der, sequence, DER_TAG.SEQUENCE, 'RSAPublicKey'),
  );
  const n = readUnsignedInteger(der, expectElement(der, modulus, DER_TAG.INTEGER, 'modulus'));
  const e = readUnsignedInteger(
    der,
    expectElement(der, exponent, DER_TAG.INTEGER, 'publicExponent'),
  );
  return { modulus: n, modulusBits: bitLength(n), publicExponent: e };
}
