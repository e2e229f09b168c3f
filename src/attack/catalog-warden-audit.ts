/**
 * Warden's own Enterprise entries for audit checks: the checks AWS added after the published
 * mapping, and the extra key-quality reason codes whose keys an adversary can recover or forge.
 */

import { KEY_REASON } from '../audit/key-quality/key-finding.ts';
import { entriesFor, type CatalogEntry } from './catalog-types.ts';

const KEY_QUALITY_CHECKS = [
  'DEVICE_CERTIFICATE_KEY_QUALITY_CHECK',
  'CA_CERTIFICATE_KEY_QUALITY_CHECK',
];

/** Reason codes of keys whose private half is known or can be derived from the certificate. */
const RECOVERABLE_KEY_CODES = [
  KEY_REASON.DEBIAN_WEAK_KEY,
  KEY_REASON.KEY_IN_BLOCKLIST,
  KEY_REASON.SHARED_PRIME,
  KEY_REASON.SMALL_FACTOR,
  KEY_REASON.FERMAT_FACTORABLE,
  KEY_REASON.ROCA,
];

/** Reason codes of keys and signatures that take real effort to break or forge. */
const WEAKENED_KEY_CODES = [
  KEY_REASON.EXPONENT_WEAK,
  KEY_REASON.KEY_TOO_SHORT,
  KEY_REASON.CURVE_WEAK,
  KEY_REASON.SIGNATURE_WEAK,
];

/** Warden additions for audit checks, ATT&CK Enterprise. */
export const WARDEN_AUDIT_ENTRIES: readonly CatalogEntry[] = entriesFor('warden', [
  {
    kind: 'audit-check',
    capabilityIds: ['INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK'],
    techniqueIds: ['T1078.004'],
    category: 'detect',
    value: 'partial',
    reason:
      'Active device certificates under an intermediate CA its issuer revoked may belong to clones of a compromised device, as with the revoked CA check one level up.',
  },
  {
    kind: 'audit-check',
    capabilityIds: ['INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK'],
    techniqueIds: ['T1078'],
    category: 'detect',
    value: 'minimal',
    reason:
      'Covers one sub-technique of Valid Accounts (cloud accounts) and few of its procedures.',
  },
  {
    kind: 'audit-check',
    capabilityIds: ['INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK'],
    techniqueIds: ['T1020.001', 'T1040'],
    category: 'protect',
    value: 'partial',
    reason:
      'Retiring certificates under a revoked intermediate CA keeps the TLS trust chain of device traffic sound, like the published certificate checks.',
  },
  {
    kind: 'audit-check',
    capabilityIds: ['INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK'],
    techniqueIds: ['T1020', 'T1557'],
    category: 'protect',
    value: 'minimal',
    reason:
      'A sound trust chain keeps TLS intact, which covers the technique only in general and none of its sub-techniques specifically.',
  },
  {
    kind: 'audit-check',
    capabilityIds: ['IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK'],
    techniqueIds: ['T1078.004'],
    category: 'protect',
    value: 'partial',
    reason:
      'MQTT wildcards in Deny statements can leave topics open that were meant to be closed, and fixing them limits what a compromised identity can reach.',
  },
  {
    kind: 'audit-check',
    capabilityIds: ['IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK'],
    techniqueIds: ['T1078'],
    category: 'protect',
    value: 'minimal',
    reason:
      'Protects one sub-technique of Valid Accounts (cloud accounts) and few of its procedures.',
  },
  {
    kind: 'audit-check',
    capabilityIds: ['DEVICE_CERTIFICATE_AGE_CHECK'],
    techniqueIds: ['T1552.004'],
    category: 'protect',
    value: 'minimal',
    reason:
      'Rotating certificates older than the configured age shortens how long a private key copied off a device stays usable.',
  },
  {
    kind: 'audit-check',
    capabilityIds: KEY_QUALITY_CHECKS,
    reasonCodes: RECOVERABLE_KEY_CODES,
    techniqueIds: ['T1649'],
    category: 'protect',
    value: 'partial',
    reason:
      'Anyone can derive these private keys from public data and then act as the device or sign certificates as the CA, so replacing them closes that path.',
  },
  {
    kind: 'audit-check',
    capabilityIds: KEY_QUALITY_CHECKS,
    reasonCodes: [KEY_REASON.DEBIAN_WEAK_KEY, KEY_REASON.KEY_IN_BLOCKLIST],
    techniqueIds: ['T1552.004'],
    category: 'protect',
    value: 'partial',
    reason:
      'A key from the predictable Debian generator or on a blocklist of published keys is a private key already in other hands.',
  },
  {
    kind: 'audit-check',
    capabilityIds: KEY_QUALITY_CHECKS,
    reasonCodes: WEAKENED_KEY_CODES,
    techniqueIds: ['T1649'],
    category: 'protect',
    value: 'minimal',
    reason:
      'Short keys, weak exponents or curves and weak signature hashes make forging the certificate feasible for a well-funded adversary.',
  },
  {
    kind: 'audit-check',
    capabilityIds: ['DEVICE_CERTIFICATE_SHARED_CHECK'],
    techniqueIds: ['T1649'],
    category: 'detect',
    value: 'partial',
    reason:
      'One certificate connecting from several devices shows its certificate and key copied off a device.',
  },
  {
    kind: 'audit-check',
    capabilityIds: ['REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK'],
    techniqueIds: ['T1649'],
    category: 'detect',
    value: 'minimal',
    reason:
      'An issuer revoking a certificate that Warden still accepts often follows a key compromise, though the revocation reason is not always given.',
  },
  {
    kind: 'audit-check',
    capabilityIds: ['IOT_POLICY_OVERLY_PERMISSIVE_CHECK', 'IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK'],
    techniqueIds: ['T1098'],
    category: 'detect',
    value: 'minimal',
    reason:
      'An adversary who broadens a device policy or role alias causes a finding at the next audit, though the audit sees the permissions and not who changed them.',
  },
]);
