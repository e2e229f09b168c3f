/**
 * A synthetic device fleet for the key-quality benchmark: clean RSA-2048 certificates with a
 * share of planted weak keys, one group per weakness, each built cheaply (see
 * synthetic-moduli.ts): shared primes are shared sieve primes, Fermat-close moduli are x * y
 * with y = x + 2k, ROCA moduli have factors k * M + (65537^a mod M) that are not all prime.
 * Each planted key is made free of factors below 2^16 unless that is its weakness.
 */

import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';

import { debianModulusFingerprint } from '../../src/audit/key-quality/blocklist.ts';
import { primesUpTo } from '../../src/audit/key-quality/roca-fingerprint.ts';
import { smallFactors } from '../../src/audit/key-quality/small-factor.ts';
import { PRIMES_PER_MODULUS, PrimeStream } from './synthetic-moduli.ts';
import { rsaSpki, SIGNATURE_OIDS, syntheticCertificatePem } from './synthetic-certificate.ts';

/** The planted groups, with the reason code each should produce. */
export const PLANTED_GROUPS = {
  shortKey: 'RSA_KEY_TOO_SHORT',
  exponentThree: 'RSA_EXPONENT_WEAK',
  exponentEven: 'RSA_EXPONENT_WEAK',
  curveP224: 'EC_CURVE_WEAK',
  curveSecp256k1: 'EC_CURVE_NONSTANDARD',
  roca: 'CERTIFICATE_KEY_VULNERABILITY_CVE-2017-15361',
  fermat: 'RSA_FERMAT_FACTORABLE',
  smallFactor: 'RSA_SMALL_FACTOR',
  sharedPrime: 'RSA_SHARED_PRIME',
  wardenBlocklist: 'KEY_IN_BLOCKLIST',
  debianBlocklist: 'CERTIFICATE_KEY_VULNERABILITY_CVE-2008-0166',
  sha1Signature: 'SIGNATURE_ALGORITHM_WEAK',
  md5Signature: 'SIGNATURE_ALGORITHM_WEAK',
} as const;

export type PlantedGroup = keyof typeof PLANTED_GROUPS;

/** One synthetic certificate, with the group it was planted in, if any. */
export interface BenchCertificate {
  certificateId: string;
  pem: string;
  group?: PlantedGroup;
}

export interface PlantedFleet {
  certificates: BenchCertificate[];
  /** Blocklist file contents: SPKI SHA-256 entries and Debian modulus entries. */
  wardenBlocklist: string;
  debianBlocklist: string;
  planted: Record<PlantedGroup, number>;
}

/** Builds a fleet of `size` certificates of which `weakShare` (e.g. 0.01) are planted weak. */
export function buildPlantedFleet(size: number, weakShare: number): PlantedFleet {
  const groups = Object.keys(PLANTED_GROUPS) as PlantedGroup[];
  const perGroup = Math.max(1, Math.floor((size * weakShare) / groups.length));
  const stream = new PrimeStream(undefined, PRIMES_PER_MODULUS * size + 100);
  const certificates: BenchCertificate[] = [];
  const warden: string[] = ['# SPKI SHA-256 of planted keys'];
  const debian: string[] = ['# Debian-format entries of planted keys'];
  const planted = Object.fromEntries(groups.map((group) => [group, 0])) as Record<
    PlantedGroup,
    number
  >;

  const add = (spki: Buffer, group?: PlantedGroup, signature?: string): void => {
    const pem = syntheticCertificatePem(certificates.length, spki, signature);
    const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    const certificate: BenchCertificate = {
      certificateId: createHash('sha256').update(der).digest('hex'),
      pem,
    };
    if (group !== undefined) {
      certificate.group = group;
      planted[group] += 1;
    }
    certificates.push(certificate);
  };
  const clean = (): bigint => stream.product(PRIMES_PER_MODULUS);

  for (let i = 0; i < perGroup; i += 1) {
    add(rsaSpki(stream.product(21), 65537n), 'shortKey');
    add(rsaSpki(clean(), 3n), 'exponentThree');
    add(rsaSpki(clean(), 65538n), 'exponentEven');
    add(ecSpki('secp224r1'), 'curveP224');
    add(ecSpki('secp256k1'), 'curveSecp256k1');
    add(rsaSpki(rocaModulus(), 65537n), 'roca');
    add(rsaSpki(fermatModulus(stream), 65537n), 'fermat');
    add(rsaSpki(65521n * clean(), 65537n), 'smallFactor');
    add(rsaSpki(clean(), 65537n), 'sha1Signature', SIGNATURE_OIDS.sha1WithRSAEncryption);
    add(rsaSpki(clean(), 65537n), 'md5Signature', SIGNATURE_OIDS.md5WithRSAEncryption);

    const listed = rsaSpki(clean(), 65537n);
    warden.push(createHash('sha256').update(listed).digest('hex'));
    add(listed, 'wardenBlocklist');
    const debianModulus = clean();
    debian.push(debianModulusFingerprint(debianModulus));
    add(rsaSpki(debianModulus, 65537n), 'debianBlocklist');
  }
  // Shared primes come in pairs, so this group gets an even count.
  for (let i = 0; i < perGroup; i += 2) {
    const shared = stream.product(1);
    add(rsaSpki(shared * stream.product(PRIMES_PER_MODULUS - 1), 65537n), 'sharedPrime');
    add(rsaSpki(shared * stream.product(PRIMES_PER_MODULUS - 1), 65537n), 'sharedPrime');
  }
  while (certificates.length < size) add(rsaSpki(clean(), 65537n));

  shuffle(certificates);
  return {
    certificates,
    wardenBlocklist: `${warden.join('\n')}\n`,
    debianBlocklist: `${debian.join('\n')}\n`,
    planted,
  };
}

function ecSpki(namedCurve: string): Buffer {
  return generateKeyPairSync('ec', { namedCurve }).publicKey.export({
    type: 'spki',
    format: 'der',
  });
}

const ROCA_PRIMORIAL = primesUpTo(167).reduce((product, prime) => product * BigInt(prime), 1n);

function randomBigInt(bits: number): bigint {
  return (
    BigInt(`0x${randomBytes(Math.ceil(bits / 8)).toString('hex')}`) & ((1n << BigInt(bits)) - 1n)
  );
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let square = base % modulus;
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = (result * square) % modulus;
    square = (square * square) % modulus;
  }
  return result;
}

/** Builds a 2048-bit modulus whose two 1024-bit factors have the ROCA structure. */
function rocaModulus(): bigint {
  const factor = (): bigint => {
    const low = (3n << 1022n) / ROCA_PRIMORIAL + 1n;
    const span = (1n << 1024n) / ROCA_PRIMORIAL - low;
    return (
      (low + (randomBigInt(1024) % span)) * ROCA_PRIMORIAL +
      modPow(65537n, randomBigInt(64), ROCA_PRIMORIAL)
    );
  };
  for (;;) {
    const modulus = factor() * factor();
    if (smallFactors(modulus).length === 0) return modulus;
  }
}

/** Builds x * (x + 2k) from a product x of 21 sieve primes, which Fermat splits at once. */
function fermatModulus(stream: PrimeStream): bigint {
  const x = stream.product(21);
  for (let k = 1n; ; k += 1n) {
    const y = x + 2n * k;
    if (smallFactors(y).length === 0) return x * y;
  }
}

function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}
