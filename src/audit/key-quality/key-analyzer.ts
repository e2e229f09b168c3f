/**
 * The checks that judge one certificate on its own: key size, exponent, curve, ROCA, Fermat,
 * signature digest and blocklists. The fleet-wide checks (shared primes, small factors) are in
 * fleet-key-analyzer.ts.
 */

import { checkBlocklist, type KeyBlocklist } from './blocklist.ts';
import type { CertificateKey } from './certificate-key.ts';
import { checkEcCurve } from './ec-curve.ts';
import { checkFermat, DEFAULT_FERMAT_STEPS } from './fermat.ts';
import type { KeyFinding } from './key-finding.ts';
import { checkRocaFingerprint } from './roca-fingerprint.ts';
import { checkRsaExponent } from './rsa-exponent.ts';
import { checkRsaKeySize, MINIMUM_RSA_MODULUS_BITS } from './rsa-key-size.ts';
import { checkSignatureAlgorithm } from './signature-algorithm.ts';

/** Tunables of the per-certificate checks, with the defaults the audit checks use. */
export interface KeyAnalysisOptions {
  minimumRsaModulusBits?: number;
  fermatSteps?: number;
  blocklist?: KeyBlocklist;
}

/** One per-certificate check, named for timing and reports. */
export interface PerKeyCheck {
  name: string;
  run(key: CertificateKey, options: KeyAnalysisOptions): KeyFinding | undefined;
}

export const PER_KEY_CHECKS: readonly PerKeyCheck[] = [
  {
    name: 'rsa-key-size',
    run: (key, options) =>
      checkRsaKeySize(key, options.minimumRsaModulusBits ?? MINIMUM_RSA_MODULUS_BITS),
  },
  { name: 'rsa-exponent', run: (key) => checkRsaExponent(key) },
  { name: 'ec-curve', run: (key) => checkEcCurve(key) },
  { name: 'roca-fingerprint', run: (key) => checkRocaFingerprint(key) },
  {
    name: 'fermat',
    run: (key, options) => checkFermat(key, options.fermatSteps ?? DEFAULT_FERMAT_STEPS),
  },
  { name: 'signature-algorithm', run: (key) => checkSignatureAlgorithm(key) },
  {
    name: 'blocklist',
    run: (key, options) =>
      options.blocklist === undefined ? undefined : checkBlocklist(key, options.blocklist),
  },
];

/** Runs every per-certificate check on one key and returns its findings, in check order. */
export function analyzeCertificateKey(
  key: CertificateKey,
  options: KeyAnalysisOptions = {},
): KeyFinding[] {
  const findings: KeyFinding[] = [];
  for (const check of PER_KEY_CHECKS) {
    const finding = check.run(key, options);
    if (finding !== undefined) findings.push(finding);
  }
  return findings;
}
