/**
 * CA_CERTIFICATE_EXPIRING_CHECK: active CA certificates that have expired or expire within 30
 * days. AWS gives this check no configuration, so the threshold is fixed.
 */

import type { AuditCheck } from '../audit-check.ts';
import type { NonCompliance } from '../audit-types.ts';
import { expirationFinding } from './certificate-expiration.ts';
import { caCertificateResource } from './certificate-scope.ts';
import { rejectsConfiguration } from './check-configuration.ts';

const NAME = 'CA_CERTIFICATE_EXPIRING_CHECK';

/** Days before notAfter from which a CA certificate is reported. */
export const CA_EXPIRATION_THRESHOLD_DAYS = 30;

/** Reports active CA certificates past or near their notAfter. */
export const caCertificateExpiringCheck: AuditCheck = {
  name: NAME,
  severity: 'MEDIUM',
  enabledByDefault: true,
  validateConfiguration: rejectsConfiguration(NAME),
  run({ fleet, now }) {
    const authorities = fleet.caCertificates.filter((record) => record.status === 'ACTIVE');
    const nonCompliant: NonCompliance[] = [];
    for (const record of authorities) {
      const resource = caCertificateResource(record.certificateId);
      const finding = expirationFinding(
        resource,
        record.notAfter,
        now,
        CA_EXPIRATION_THRESHOLD_DAYS,
      );
      if (finding !== undefined) nonCompliant.push(finding);
    }
    return { totalResourcesCount: authorities.length, nonCompliant };
  },
};
