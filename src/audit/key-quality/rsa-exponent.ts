/**
 * RSA public exponents that break or weaken the key. Warden's rule, after FIPS 186-5 (which
 * requires 2^16 < e < 2^256, e odd):
 * - e = 1 (or 0): encryption and verification are the identity, anyone can forge signatures;
 * - e even: e has no inverse modulo (p-1)(q-1), so no private key matches it;
 * - e < 65537, such as 3: Hastad's broadcast attack and signature forgery against PKCS #1 v1.5
 *   verifiers that do not check the padding fully, as with CVE-2006-4339;
 * - e >= 2^256: outside the FIPS range, and a large e is how keys with a small private exponent
 *   (open to Wiener's attack) usually show.
 */

import { bitLength } from './bigint-math.ts';
import type { CertificateKey } from './certificate-key.ts';
import { KEY_REASON, type KeyFinding } from './key-finding.ts';

export const SMALLEST_STRONG_EXPONENT = 65537n;
export const EXPONENT_LIMIT = 1n << 256n;

/** The rule a weak exponent breaks, as stored in the finding's `EXPONENT_RULE` evidence. */
export type ExponentRule = 'AT_MOST_ONE' | 'EVEN' | 'BELOW_65537' | 'AT_LEAST_2_POW_256';

/** Returns the rule an RSA public exponent breaks, or undefined for a strong exponent. */
export function weakExponentRule(exponent: bigint): ExponentRule | undefined {
  if (exponent <= 1n) return 'AT_MOST_ONE';
  if (exponent % 2n === 0n) return 'EVEN';
  if (exponent < SMALLEST_STRONG_EXPONENT) return 'BELOW_65537';
  if (exponent >= EXPONENT_LIMIT) return 'AT_LEAST_2_POW_256';
  return undefined;
}

const EXPLANATIONS: Record<ExponentRule, string> = {
  AT_MOST_ONE: 'leaves messages and signatures unchanged, so anyone can forge signatures',
  EVEN: 'is even, so it has no inverse modulo (p-1)(q-1) and no private key matches it',
  BELOW_65537: 'is under 65537, which exposes the key to small-exponent attacks on weak padding',
  AT_LEAST_2_POW_256: 'is 2^256 or more, outside FIPS 186-5, and may hide a small private exponent',
};

/** Flags an RSA key whose public exponent breaks the rule above. */
export function checkRsaExponent(key: CertificateKey): KeyFinding | undefined {
  if (key.rsa === undefined) return undefined;
  const exponent = key.rsa.publicExponent;
  const rule = weakExponentRule(exponent);
  if (rule === undefined) return undefined;

  const shown = exponent < EXPONENT_LIMIT ? exponent.toString() : `0x${exponent.toString(16)}`;
  const described = exponent < 1n << 64n ? shown : `of ${bitLength(exponent)} bits`;
  return {
    code: KEY_REASON.EXPONENT_WEAK,
    message: `RSA public exponent ${described} ${EXPLANATIONS[rule]}`,
    evidence: { PUBLIC_EXPONENT: shown, EXPONENT_RULE: rule },
  };
}
