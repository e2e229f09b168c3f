/**
 * Elliptic curves of EC keys. Warden accepts the curves AWS IoT registers, NIST P-256, P-384
 * and P-521, and also Ed25519 and Ed448 keys (a separate key algorithm, not EC).
 * - Curves under 256 bits (P-192, P-224, secp160r1 and the like) give under 128-bit security:
 *   `EC_CURVE_WEAK`.
 * - Other curves of 256 bits or more (secp256k1, the Brainpool curves, SM2), unknown curve OIDs
 *   and explicit curve parameters give `EC_CURVE_NONSTANDARD`. They are not weak as such, but
 *   many TLS stacks and AWS IoT reject them. Explicit parameters also let a key claim a forged
 *   curve, as in CVE-2020-0601.
 */

import type { CertificateKey } from './certificate-key.ts';
import { KEY_REASON, type KeyFinding } from './key-finding.ts';

interface CurveInfo {
  name: string;
  bits: number;
  standard: boolean;
}

/** Named curves by OID, with their field size. */
export const CURVES: Record<string, CurveInfo> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', bits: 256, standard: true },
  '1.3.132.0.34': { name: 'P-384', bits: 384, standard: true },
  '1.3.132.0.35': { name: 'P-521', bits: 521, standard: true },
  '1.2.840.10045.3.1.1': { name: 'P-192', bits: 192, standard: false },
  '1.2.840.10045.3.1.2': { name: 'prime192v2', bits: 192, standard: false },
  '1.2.840.10045.3.1.3': { name: 'prime192v3', bits: 192, standard: false },
  '1.2.840.10045.3.1.4': { name: 'prime239v1', bits: 239, standard: false },
  '1.2.840.10045.3.1.5': { name: 'prime239v2', bits: 239, standard: false },
  '1.2.840.10045.3.1.6': { name: 'prime239v3', bits: 239, standard: false },
  '1.3.132.0.33': { name: 'P-224', bits: 224, standard: false },
  '1.3.132.0.32': { name: 'secp224k1', bits: 224, standard: false },
  '1.3.132.0.31': { name: 'secp192k1', bits: 192, standard: false },
  '1.3.132.0.8': { name: 'secp160r1', bits: 160, standard: false },
  '1.3.132.0.9': { name: 'secp160k1', bits: 160, standard: false },
  '1.3.132.0.30': { name: 'secp160r2', bits: 160, standard: false },
  '1.3.132.0.6': { name: 'secp112r1', bits: 112, standard: false },
  '1.3.132.0.28': { name: 'secp128r1', bits: 128, standard: false },
  '1.3.132.0.10': { name: 'secp256k1', bits: 256, standard: false },
  '1.3.36.3.3.2.8.1.1.1': { name: 'brainpoolP160r1', bits: 160, standard: false },
  '1.3.36.3.3.2.8.1.1.3': { name: 'brainpoolP192r1', bits: 192, standard: false },
  '1.3.36.3.3.2.8.1.1.5': { name: 'brainpoolP224r1', bits: 224, standard: false },
  '1.3.36.3.3.2.8.1.1.7': { name: 'brainpoolP256r1', bits: 256, standard: false },
  '1.3.36.3.3.2.8.1.1.9': { name: 'brainpoolP320r1', bits: 320, standard: false },
  '1.3.36.3.3.2.8.1.1.11': { name: 'brainpoolP384r1', bits: 384, standard: false },
  '1.3.36.3.3.2.8.1.1.13': { name: 'brainpoolP512r1', bits: 512, standard: false },
  '1.2.156.10197.1.301': { name: 'SM2', bits: 256, standard: false },
};

export const MINIMUM_CURVE_BITS = 256;

/** Flags an EC key on a weak or non-standard curve. */
export function checkEcCurve(key: CertificateKey): KeyFinding | undefined {
  if (key.keyAlgorithm !== 'EC') return undefined;
  if (key.curveOid === undefined) {
    return {
      code: KEY_REASON.CURVE_NONSTANDARD,
      message: 'EC key carries explicit curve parameters instead of a named curve',
      evidence: { CURVE: 'explicit parameters' },
    };
  }

  const curve = CURVES[key.curveOid];
  if (curve?.standard === true) return undefined;
  if (curve !== undefined && curve.bits < MINIMUM_CURVE_BITS) {
    return {
      code: KEY_REASON.CURVE_WEAK,
      message: `EC curve ${curve.name} has ${curve.bits}-bit keys, under the ${MINIMUM_CURVE_BITS}-bit minimum`,
      evidence: { CURVE: curve.name, CURVE_OID: key.curveOid, CURVE_BITS: String(curve.bits) },
    };
  }
  const name = curve?.name ?? key.curveOid;
  return {
    code: KEY_REASON.CURVE_NONSTANDARD,
    message: `EC curve ${name} is not one of P-256, P-384 or P-521`,
    evidence: { CURVE: name, CURVE_OID: key.curveOid },
  };
}
