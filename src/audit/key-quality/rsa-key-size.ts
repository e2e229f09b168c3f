/**
 * RSA moduli under 2048 bits. 512-bit moduli fall to the number field sieve in hours on rented
 * machines, and NIST SP 800-131A disallows RSA under 2048 bits since 2013.
 */

import type { CertificateKey } from './certificate-key.ts';
import { KEY_REASON, type KeyFinding } from './key-finding.ts';

export const MINIMUM_RSA_MODULUS_BITS = 2048;

/** Flags an RSA key whose modulus is shorter than `minimumBits`. */
export function checkRsaKeySize(
  key: CertificateKey,
  minimumBits = MINIMUM_RSA_MODULUS_BITS,
): KeyFinding | undefined {
  if (key.rsa === undefined || key.rsa.modulusBits >= minimumBits) return undefined;
  return {
    code: KEY_REASON.KEY_TOO_SHORT,
    message: `RSA modulus is ${key.rsa.modulusBits} bits, under the ${minimumBits}-bit minimum`,
    evidence: {
      MODULUS_BITS: String(key.rsa.modulusBits),
      MINIMUM_MODULUS_BITS: String(minimumBits),
    },
  };
}
