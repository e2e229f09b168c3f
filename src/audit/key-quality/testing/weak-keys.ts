/**
 * Builders of certificates with deliberately weak keys for the key-quality tests. Primes come
 * from OpenSSL's Miller-Rabin tests (node's generatePrimeSync and checkPrimeSync). Keys built
 * from two primes are assembled as a private JWK and imported with createPrivateKey, which
 * proves they are real RSA keys. Keys no private key can match, such as those with an even
 * exponent, are written as SubjectPublicKeyInfo DER by hand. A test CA signs the certificates
 * with @peculiar/x509.
 */

import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { execFileSync } from 'node:child_process';
import {
  checkPrimeSync,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  generatePrimeSync,
  randomBytes,
  webcrypto,
  type KeyObject,
} from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { TestCertificate } from '../../../testing/pki.ts';
import { primesUpTo } from '../roca-fingerprint.ts';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/**
 * Returns a random prime of `bits` bits whose top two bits are set, as RSA key generators pick
 * them, so that the product of two such primes has exactly twice as many bits.
 */
export function randomPrime(bits: number): bigint {
  for (;;) {
    const prime = generatePrimeSync(bits, { bigint: true });
    if (prime >> BigInt(bits - 2) === 3n) return prime;
  }
}

/** Returns the smallest prime at or above `start`. */
export function nextPrime(start: bigint): bigint {
  let candidate = start % 2n === 0n ? start + 1n : start;
  while (!checkPrimeSync(candidate)) candidate += 2n;
  return candidate;
}

/**
 * Returns a prime with the ROCA structure, p = k * M + (65537^a mod M), where M is the product
 * of the first 39 primes (2 to 167), the constant of Infineon's 512-bit key class. Its top two
 * bits are set, like those of `randomPrime`.
 */
export function rocaPrime(bits: number): bigint {
  const primorial = primesUpTo(167).reduce((product, prime) => product * BigInt(prime), 1n);
  // k ranges over [3 * 2^(bits-2) / M, 2^bits / M), which keeps the top two bits set.
  const low = (3n << BigInt(bits - 2)) / primorial + 1n;
  const span = (1n << BigInt(bits)) / primorial - low;
  for (;;) {
    const k = low + (randomBigInt(bits) % span);
    const a = randomBigInt(64);
    const candidate = k * primorial + modPow(65537n, a, primorial);
    const exactSize = candidate >> BigInt(bits - 2) === 3n;
    if (exactSize && (candidate - 1n) % 65537n !== 0n && checkPrimeSync(candidate))
      return candidate;
  }
}

/** Returns a uniformly random integer of at most `bits` bits. */
export function randomBigInt(bits: number): bigint {
  const bytes = randomBytes(Math.ceil(bits / 8));
  return BigInt(`0x${bytes.toString('hex')}`) & ((1n << BigInt(bits)) - 1n);
}

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let square = base % modulus;
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = (result * square) % modulus;
    square = (square * square) % modulus;
  }
  return result;
}

function modInverse(value: bigint, modulus: bigint): bigint {
  let [oldR, r] = [((value % modulus) + modulus) % modulus, modulus];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  if (oldR !== 1n) throw new RangeError(`Value "${value}" has no inverse modulo the given modulus`);
  return ((oldS % modulus) + modulus) % modulus;
}

function base64Url(value: bigint): string {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex').toString('base64url');
}

/** Builds a real RSA private key from two primes and imports it as a private JWK. */
export function rsaPrivateKeyFromPrimes(p: bigint, q: bigint, e = 65537n): KeyObject {
  const d = modInverse(e, (p - 1n) * (q - 1n));
  const jwk = {
    kty: 'RSA',
    n: base64Url(p * q),
    e: base64Url(e),
    d: base64Url(d),
    p: base64Url(p),
    q: base64Url(q),
    dp: base64Url(d % (p - 1n)),
    dq: base64Url(d % (q - 1n)),
    qi: base64Url(modInverse(q, p)),
  };
  return createPrivateKey({ key: jwk, format: 'jwk' });
}

/** Returns the SubjectPublicKeyInfo DER of an RSA private key. */
export function publicSpki(privateKey: KeyObject): Buffer {
  return createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
}

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

function derUnsigned(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  return der(0x02, (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

const RSA_ENCRYPTION = Buffer.from('06092a864886f70d010101', 'hex');

/** Writes the SubjectPublicKeyInfo DER of any RSA modulus and exponent, valid or not. */
export function rsaSpki(modulus: bigint, exponent: bigint): Buffer {
  const key = der(0x30, derUnsigned(modulus), derUnsigned(exponent));
  const algorithm = der(0x30, RSA_ENCRYPTION, Buffer.from([0x05, 0x00]));
  return der(0x30, algorithm, der(0x03, Buffer.from([0]), key));
}

/** Returns the SPKI DER of a freshly generated key of any type node can generate. */
export function generatedSpki(
  type: 'rsa' | 'ec' | 'ed25519' | 'ed448',
  options: { modulusLength?: number; publicExponent?: number; namedCurve?: string } = {},
): Buffer {
  const { publicKey } = generateKeyPairSync(type as 'rsa', options as { modulusLength: number });
  return publicKey.export({ type: 'spki', format: 'der' });
}

/** Issues a certificate for the public key `spki`, signed by `ca`. */
export async function certificateForSpki(
  ca: TestCertificate,
  commonName: string,
  spki: Buffer,
): Promise<string> {
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomBytes(8)
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    subject: `CN=${commonName}`,
    issuer: ca.certificate.subject,
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 90 * 86_400_000),
    publicKey: new Uint8Array(spki),
    signingKey: ca.keys.privateKey,
    signingAlgorithm: ca.algorithm,
  });
  return `${certificate.toString('pem')}\n`;
}

/**
 * Issues a CA-signed RSA certificate with the openssl command-line tool and the given digest
 * (`md5`, `sha1`, `sha256`), which webcrypto cannot do for MD5.
 */
export function opensslSignedCertificate(digest: string): {
  caPem: string;
  certificatePem: string;
} {
  const folder = mkdtempSync(join(tmpdir(), 'warden-key-quality-'));
  const path = (name: string): string => join(folder, name);
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  try {
    run([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      path('ca.key'),
      '-out',
      path('ca.pem'),
      '-subj',
      '/CN=OpenSSL Test CA',
      '-days',
      '2',
    ]);
    run([
      'req',
      '-new',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      path('device.key'),
      '-out',
      path('device.csr'),
      '-subj',
      `/CN=device-${digest}`,
    ]);
    run([
      'x509',
      '-req',
      '-in',
      path('device.csr'),
      '-CA',
      path('ca.pem'),
      '-CAkey',
      path('ca.key'),
      `-${digest}`,
      '-days',
      '1',
      '-set_serial',
      '7',
      '-out',
      path('device.pem'),
    ]);
    return {
      caPem: readFileSync(path('ca.pem'), 'utf8'),
      certificatePem: readFileSync(path('device.pem'), 'utf8'),
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Writes `text` to a new temporary file and returns its path and a cleanup function. */
export function temporaryFile(name: string, text: string): { path: string; remove(): void } {
  const folder = mkdtempSync(join(tmpdir(), 'warden-blocklist-'));
  const path = join(folder, name);
  writeFileSync(path, text);
  return { path, remove: () => rmSync(folder, { recursive: true, force: true }) };
}
