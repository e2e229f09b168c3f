import { factorFingerprint } from './bigint-math.ts';
/**
 * Key-quality analysis of a whole fleet. The per-certificate checks run on the certificates in
 * scope, and one batch gcd runs over the distinct RSA moduli of every certificate given. That
 * includes device and CA certificates of any status, because a prime shared with a revoked
 * certificate's key still exposes the active one. The batch also holds the product of the primes below 2^16, so the same gcds
 * reveal small factors. Certificates with the same modulus are one key used twice, as after a
 * renewal that kept the key, and are not reported as sharing a prime.
 */

import { checkPrimeSync } from 'node:crypto';

import { batchGcd, type BatchGcdOptions } from './batch-gcd-parallel.ts';
import { gcd } from './bigint-math.ts';
import { readCertificateKey, type CertificateKey } from './certificate-key.ts';
import { analyzeCertificateKey, type KeyAnalysisOptions } from './key-analyzer.ts';
import { KEY_REASON, type KeyFinding } from './key-finding.ts';
import { primorialChunks, SMALL_FACTOR_BOUND, smallFactors } from './small-factor.ts';

/** A certificate to analyze. */
export interface FleetCertificate {
  certificateId: string;
  pem: string;
  /** Whether its per-certificate findings are wanted; all certificates join the batch gcd. */
  inScope: boolean;
}

export interface FleetKeyAnalysisOptions extends KeyAnalysisOptions {
  batchGcd?: BatchGcdOptions;
  /** Primes up to this bound count as small factors; default 2^16. */
  smallFactorBound?: number;
}

/** Findings per in-scope certificate id; certificates without findings are absent. */
export type FleetKeyFindings = Map<string, KeyFinding[]>;

/**
 * Analyzes every certificate and returns the findings of those in scope.
 * @throws Error when a certificate's DER cannot be read or a batch gcd worker fails.
 */
export async function analyzeFleetKeys(
  certificates: readonly FleetCertificate[],
  options: FleetKeyAnalysisOptions = {},
): Promise<FleetKeyFindings> {
  const findings: FleetKeyFindings = new Map();
  const add = (id: string, finding: KeyFinding): void => {
    const list = findings.get(id);
    if (list === undefined) findings.set(id, [finding]);
    else list.push(finding);
  };

  const keys = certificates.map((certificate) => ({ certificate, key: readKey(certificate) }));
  for (const { certificate, key } of keys) {
    if (!certificate.inScope) continue;
    for (const finding of analyzeCertificateKey(key, options))
      add(certificate.certificateId, finding);
  }

  const inScope = new Set(certificates.filter((c) => c.inScope).map((c) => c.certificateId));
  for (const [id, finding] of await factorFindings(keys, options)) {
    if (inScope.has(id)) add(id, finding);
  }
  return findings;
}

function readKey(certificate: FleetCertificate): CertificateKey {
  try {
    return readCertificateKey(certificate.pem);
  } catch (error) {
    throw new Error(
      `Cannot read certificate "${certificate.certificateId}": ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/** Distinct RSA moduli, each with the certificates that carry it. */
function groupModuli(
  keys: ReadonlyArray<{ certificate: FleetCertificate; key: CertificateKey }>,
): Map<bigint, string[]> {
  const groups = new Map<bigint, string[]>();
  for (const { certificate, key } of keys) {
    if (key.rsa === undefined) continue;
    const ids = groups.get(key.rsa.modulus);
    if (ids === undefined) groups.set(key.rsa.modulus, [certificate.certificateId]);
    else ids.push(certificate.certificateId);
  }
  return groups;
}

/** Runs the batch gcd and turns its non-trivial gcds into small-factor and shared-prime findings. */
async function factorFindings(
  keys: ReadonlyArray<{ certificate: FleetCertificate; key: CertificateKey }>,
  options: FleetKeyAnalysisOptions,
): Promise<Array<[string, KeyFinding]>> {
  const groups = groupModuli(keys);
  const moduli = [...groups.keys()];
  if (moduli.length === 0) return [];

  const bound = options.smallFactorBound ?? SMALL_FACTOR_BOUND;
  const gcds = await batchGcd([...moduli, ...primorialChunks(bound)], options.batchGcd);
  const results: Array<[string, KeyFinding]> = [];
  const shared: Array<{ modulus: bigint; factor: bigint }> = [];

  moduli.forEach((modulus, index) => {
    const divisor = gcds[index] ?? 1n;
    if (divisor === 1n) return;
    const small = smallFactors(modulus, bound);
    const ids = groups.get(modulus) ?? [];
    if (small.length > 0) {
      const finding = smallFactorFinding(modulus, small, bound);
      for (const id of ids) results.push([id, finding]);
    }
    const remaining = small.reduce((rest, prime) => removeFactor(rest, BigInt(prime)), divisor);
    if (remaining > 1n) shared.push({ modulus, factor: remaining });
  });

  for (const [modulus, finding] of sharedPrimeFindings(shared, groups)) {
    for (const id of groups.get(modulus) ?? []) results.push([id, finding]);
  }
  return results;
}

function removeFactor(value: bigint, prime: bigint): bigint {
  let rest = value;
  while (rest % prime === 0n) rest /= prime;
  return rest;
}

function smallFactorFinding(
  modulus: bigint,
  factors: readonly number[],
  bound: number,
): KeyFinding {
  const cofactor = factors.reduce((rest, prime) => removeFactor(rest, BigInt(prime)), modulus);
  return {
    code: KEY_REASON.SMALL_FACTOR,
    message: `RSA modulus is divisible by ${factors.join(', ')}, found by trial division up to ${bound}`,
    evidence: {
      SMALL_FACTORS: factors.join(','),
      COFACTOR_BITS: String(cofactor.toString(2).length),
    },
  };
}

/**
 * For each modulus whose gcd kept a large factor after removing the small ones, finds the other
 * flagged moduli it shares a prime with. A prime factor divides the other modulus outright, and
 * a composite one (both primes shared) needs a gcd.
 * NOTE: this compares every flagged modulus with every other, so a registry where thousands of
 * keys share primes (one broken generator for a whole product line) makes it take minutes.
 */
function sharedPrimeFindings(
  flagged: ReadonlyArray<{ modulus: bigint; factor: bigint }>,
  groups: ReadonlyMap<bigint, string[]>,
): Array<[bigint, KeyFinding]> {
  return flagged.map(({ modulus, factor }) => {
    const prime = checkPrimeSync(factor);
    const related = flagged.filter(
      (other) =>
        other.modulus !== modulus &&
        (prime ? other.modulus % factor === 0n : gcd(other.modulus, factor) !== 1n),
    );
    const relatedIds = related.flatMap((other) => groups.get(other.modulus) ?? []);
    const finding: KeyFinding = {
      code: KEY_REASON.SHARED_PRIME,
      message: `RSA modulus shares a prime factor with the keys of ${relatedIds.length} other certificate(s), so both are factored`,
      evidence: {
        SHARED_FACTOR_SHA256: factorFingerprint(factor),
        SHARED_FACTOR_IS_PRIME: String(prime),
        RELATED_CERTIFICATE_IDS: relatedIds.join(','),
      },
      relatedCertificateIds: relatedIds,
    };
    return [modulus, finding];
  });
}
