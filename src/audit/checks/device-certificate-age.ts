/**
 * DEVICE_CERTIFICATE_AGE_CHECK: device certificates in use for at least the configured number of
 * days (`CERT_AGE_THRESHOLD_IN_DAYS`, 365 by default, 30 to 3652). AWS leaves the check disabled
 * until an account enables it.
 *
 * NOTE: AWS does not say where the age is measured from; Warden measures from the registration
 * time (`createdAt`), the `creationDate` that DescribeCertificate returns.
 */

import type { AuditCheck } from '../audit-check.ts';
import type { NonCompliance } from '../audit-types.ts';
import {
  activeDeviceCertificates,
  DAY_MS,
  deviceCertificateResource,
} from './certificate-scope.ts';
import {
  readDayThreshold,
  validatesDayThreshold,
  type DayThreshold,
} from './check-configuration.ts';

const NAME = 'DEVICE_CERTIFICATE_AGE_CHECK';

/** The check's one configuration key. */
export const AGE_THRESHOLD: DayThreshold = {
  checkName: NAME,
  key: 'CERT_AGE_THRESHOLD_IN_DAYS',
  defaultDays: 365,
  minDays: 30,
  maxDays: 3652,
};

/** Reports device certificates registered at least the threshold ago. */
export const deviceCertificateAgeCheck: AuditCheck = {
  name: NAME,
  severity: 'LOW',
  enabledByDefault: false,
  validateConfiguration: validatesDayThreshold(AGE_THRESHOLD),
  run({ fleet, now, configuration }) {
    const thresholdDays = readDayThreshold(AGE_THRESHOLD, configuration);
    const certificates = activeDeviceCertificates(fleet);
    const nonCompliant: NonCompliance[] = [];
    for (const record of certificates) {
      const ageDays = Math.floor((now - record.createdAt) / DAY_MS);
      if (ageDays < thresholdDays) continue;
      nonCompliant.push({
        resource: deviceCertificateResource(record.certificateId, {
          EXPIRATION_TIME: String(record.notAfter),
        }),
        relatedResources: [],
        reasonForNonCompliance: `Certificate has been active for ${ageDays} days, at or past the threshold of ${thresholdDays} days.`,
        reasonForNonComplianceCode: 'CERTIFICATE_PAST_AGE_THRESHOLD',
      });
    }
    return { totalResourcesCount: certificates.length, nonCompliant };
  },
};
