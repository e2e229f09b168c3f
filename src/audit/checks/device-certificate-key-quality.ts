/**
 * DEVICE_CERTIFICATE_KEY_QUALITY_CHECK: device certificates (status ACTIVE or PENDING_TRANSFER)
 * whose keys are weak. AWS reports the two CVE codes (ROCA, Debian OpenSSL); Warden adds the
 * other reasons of key-finding.ts.
 */

import type { AuditCheck } from '../audit-check.ts';
import { activeDeviceCertificates } from './certificate-scope.ts';
import {
  runKeyQualityCheck,
  validateKeyQualityConfiguration,
} from '../key-quality/key-quality-check.ts';

const NAME = 'DEVICE_CERTIFICATE_KEY_QUALITY_CHECK';

export const deviceCertificateKeyQualityCheck: AuditCheck = {
  name: NAME,
  severity: 'CRITICAL',
  enabledByDefault: true,
  validateConfiguration: (configuration) => validateKeyQualityConfiguration(NAME, configuration),
  run: (input) =>
    runKeyQualityCheck(
      {
        checkName: NAME,
        resourceType: 'DEVICE_CERTIFICATE',
        certificateIds: ({ fleet }) =>
          activeDeviceCertificates(fleet).map((record) => record.certificateId),
      },
      input,
    ),
};
