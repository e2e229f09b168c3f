/**
 * DEVICE_CERTIFICATE_EXPIRING_CHECK: device certificates that have expired or expire within the
 * configured number of days (`CERT_EXPIRATION_THRESHOLD_IN_DAYS`, 30 by default).
 *
 * NOTE: AWS documents only the default of 30 days; Warden accepts 1 to 3652, the range of the
 * certificate age check.
 */

import type { AuditCheck } from '../audit-check.ts';
import type { NonCompliance } from '../audit-types.ts';
import { expirationFinding } from './certificate-expiration.ts';
import { activeDeviceCertificates, deviceCertificateResource } from './certificate-scope.ts';
import {
  readDayThreshold,
  validatesDayThreshold,
  type DayThreshold,
} from './check-configuration.ts';

const NAME = 'DEVICE_CERTIFICATE_EXPIRING_CHECK';

/** The check's one configuration key. */
export const EXPIRATION_THRESHOLD: DayThreshold = {
  checkName: NAME,
  key: 'CERT_EXPIRATION_THRESHOLD_IN_DAYS',
  defaultDays: 30,
  minDays: 1,
  maxDays: 3652,
};

/** Reports device certificates past or near their notAfter. */
export const deviceCertificateExpiringCheck: AuditCheck = {
  name: NAME,
  severity: 'MEDIUM',
  enabledByDefault: true,
  validateConfiguration: validatesDayThreshold(EXPIRATION_THRESHOLD),
  run({ fleet, now, configuration }) {
    const thresholdDays = readDayThreshold(EXPIRATION_THRESHOLD, configuration);
    const certificates = activeDeviceCertificates(fleet);
    const nonCompliant: NonCompliance[] = [];
    for (const record of certificates) {
      const resource = deviceCertificateResource(record.certificateId);
      const finding = expirationFinding(resource, record.notAfter, now, thresholdDays);
      if (finding !== undefined) nonCompliant.push(finding);
    }
    return { totalResourcesCount: certificates.length, nonCompliant };
  },
};
