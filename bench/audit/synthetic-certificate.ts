/**
 * Synthetic X.509 certificates for the key-quality benchmark: a valid DER structure (version 3,
 * serial, signature algorithm, issuer and subject names, validity, SubjectPublicKeyInfo) with a
 * random signature value. Signing 100,000 certificates for real would take minutes and the
 * audit never verifies signatures, so only the structure is real.
 */

import { randomBytes } from 'node:crypto';

export const SIGNATURE_OIDS = {
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  sha1WithRSAEncryption: '1.2.840.113549.1.1.5',
  md5WithRSAEncryption: '1.2.840.113549.1.1.4',
} as const;

function length(size: number): Buffer {
  if (size < 0x80) return Buffer.from([size]);
  const bytes: number[] = [];
  for (let rest = size; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

function unsigned(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  return tlv(0x02, (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) {
      chunk.unshift((value & 0x7f) | 0x80);
    }
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function name(commonName: string): Buffer {
  const attribute = tlv(0x30, oid('2.5.4.3'), tlv(0x0c, Buffer.from(commonName)));
  return tlv(0x30, tlv(0x31, attribute));
}

function algorithm(dotted: string): Buffer {
  return tlv(0x30, oid(dotted), Buffer.from([0x05, 0x00]));
}

/** Encodes an RSA modulus and exponent as SubjectPublicKeyInfo DER. */
export function rsaSpki(modulus: bigint, exponent: bigint): Buffer {
  const key = tlv(0x30, unsigned(modulus), unsigned(exponent));
  return tlv(0x30, algorithm('1.2.840.113549.1.1.1'), tlv(0x03, Buffer.from([0]), key));
}

const VALIDITY = tlv(
  0x30,
  tlv(0x17, Buffer.from('250101000000Z')),
  tlv(0x17, Buffer.from('351231235959Z')),
);

/** Returns the PEM of a certificate for `spki`, "signed" by "CN=Bench CA" with `signatureOid`. */
export function syntheticCertificatePem(
  serial: number,
  spki: Buffer,
  signatureOid: string = SIGNATURE_OIDS.sha256WithRSAEncryption,
): string {
  const tbs = tlv(
    0x30,
    tlv(0xa0, unsigned(2n)),
    unsigned(BigInt(serial + 1)),
    algorithm(signatureOid),
    name('Bench CA'),
    VALIDITY,
    name(`device-${serial}`),
    spki,
  );
  const signature = tlv(0x03, Buffer.from([0]), randomBytes(256));
  const der = tlv(0x30, tbs, algorithm(signatureOid), signature);
  const lines =
    der
      .toString('base64')
      .match(/.{1,64}/g)
      ?.join('\n') ?? '';
  return `-----BEGIN CERTIFICATE-----\n${lines}\n-----END CERTIFICATE-----\n`;
}
