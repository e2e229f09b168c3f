/**
 * CA_CERTIFICATE_KEY_QUALITY_CHECK: registered CA certificates (status ACTIVE) whose keys are
 * weak, with the same reasons as the device check.
 */

import type { AuditCheck } from '../audit-check.ts';
import {
  runKeyQualityCheck,
  validateKeyQualityConfiguration,
} from '../key-quality/key-quality-check.ts';

const NAME = 'CA_CERTIFICATE_KEY_QUALITY_CHECK';

export const caCertificateKeyQualityCheck: AuditCheck = {
  name: NAME,
  severity: 'CRITICAL',
  enabledByDefault: true,
  validateConfiguration: (configuration) => validateKeyQualityConfiguration(NAME, configuration),
  run: (input) =>
    runKeyQualityCheck(
      {
        checkName: NAME,
        resourceType: 'CA_CERTIFICATE',
        certificateIds: ({ fleet }) =>
          fleet.caCertificates
            .filter((record) => record.status === 'ACTIVE')
            .map((record) => record.certificateId),
      },
      input,
    ),
};
