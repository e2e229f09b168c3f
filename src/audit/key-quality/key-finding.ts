/**
 * The weaknesses the key-quality analysis reports, each with a stable reason code. The two CVE
 * codes are the ones AWS IoT Device Defender uses; the others are Warden's own.
 */

export const KEY_REASON = {
  DEBIAN_WEAK_KEY: 'CERTIFICATE_KEY_VULNERABILITY_CVE-2008-0166',
  KEY_IN_BLOCKLIST: 'KEY_IN_BLOCKLIST',
  SHARED_PRIME: 'RSA_SHARED_PRIME',
  SMALL_FACTOR: 'RSA_SMALL_FACTOR',
  FERMAT_FACTORABLE: 'RSA_FERMAT_FACTORABLE',
  ROCA: 'CERTIFICATE_KEY_VULNERABILITY_CVE-2017-15361',
  EXPONENT_WEAK: 'RSA_EXPONENT_WEAK',
  KEY_TOO_SHORT: 'RSA_KEY_TOO_SHORT',
  CURVE_WEAK: 'EC_CURVE_WEAK',
  SIGNATURE_WEAK: 'SIGNATURE_ALGORITHM_WEAK',
  CURVE_NONSTANDARD: 'EC_CURVE_NONSTANDARD',
} as const;

export type KeyReasonCode = (typeof KEY_REASON)[keyof typeof KEY_REASON];

/**
 * Reason codes from most to least severe. Known-compromised keys come first, then keys anyone
 * can factor from the certificate alone, then keys that take real effort or only weaken some
 * uses. A finding's `reasonForNonComplianceCode` is the first of its codes in this order.
 */
export const REASON_SEVERITY_ORDER: readonly KeyReasonCode[] = [
  KEY_REASON.DEBIAN_WEAK_KEY,
  KEY_REASON.KEY_IN_BLOCKLIST,
  KEY_REASON.SHARED_PRIME,
  KEY_REASON.SMALL_FACTOR,
  KEY_REASON.FERMAT_FACTORABLE,
  KEY_REASON.ROCA,
  KEY_REASON.EXPONENT_WEAK,
  KEY_REASON.KEY_TOO_SHORT,
  KEY_REASON.CURVE_WEAK,
  KEY_REASON.SIGNATURE_WEAK,
  KEY_REASON.CURVE_NONSTANDARD,
];

/** One weakness of one certificate's key or signature. */
export interface KeyFinding {
  code: KeyReasonCode;
  /** One sentence for `reasonForNonCompliance`. */
  message: string;
  /** Facts behind the finding, merged into the finding's `additionalInfo`. */
  evidence: Record<string, string>;
  /** Ids of other certificates involved, e.g. those whose modulus shares a prime with this one. */
  relatedCertificateIds?: string[];
}

/** Sorts findings from most to least severe, keeping the order of equal codes. */
export function bySeverity(findings: readonly KeyFinding[]): KeyFinding[] {
  const rank = (finding: KeyFinding): number => REASON_SEVERITY_ORDER.indexOf(finding.code);
  return [...findings].sort((first, second) => rank(first) - rank(second));
}
