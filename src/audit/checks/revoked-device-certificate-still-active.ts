/**
 * REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK: device certificates that their issuing CA lists
 * on its CRL while the registry still has them `ACTIVE` or `PENDING_TRANSFER`.
 *
 * The evidence is the CRL alone. A registry status of `REVOKED` (or `INACTIVE`) is the remedy, not
 * the evidence: such a certificate can no longer connect, so the check does not examine it. The
 * issuing CA is the one the registry records for the certificate when its signature verifies, or
 * else any registered CA whose signature the certificate carries.
 */

import type { AuditCheck } from '../audit-check.ts';
import type { NonCompliance } from '../audit-types.ts';
import { tryParse } from '../analysis/certificate-authorities.ts';
import { activeDeviceCertificates, deviceCertificateResource } from './certificate-scope.ts';
import { rejectsConfiguration } from './check-configuration.ts';
import {
  crlProblemFindings,
  readRevocationEvidence,
  revocationByAny,
  revocationInfo,
  revokedReason,
  revokingCaResource,
} from './revocation-evidence.ts';

const NAME = 'REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK';

/** Reports active device certificates that a verified CRL of their CA lists. */
export const revokedDeviceCertificateStillActiveCheck: AuditCheck = {
  name: NAME,
  severity: 'MEDIUM',
  enabledByDefault: true,
  validateConfiguration: rejectsConfiguration(NAME),
  async run({ fleet, now }) {
    const evidence = await readRevocationEvidence(fleet);
    const certificates = activeDeviceCertificates(fleet);
    const nonCompliant: NonCompliance[] = [];
    for (const record of certificates) {
      const certificate = tryParse(record.pem);
      const issuer = certificate && evidence.authorities.issuerOfDevice(record, certificate);
      if (certificate === undefined || issuer === undefined) continue;

      const serialNumber = certificate.serialNumber;
      const revocation = revocationByAny(evidence, [issuer], serialNumber, now);
      if (revocation === undefined) continue;
      nonCompliant.push({
        resource: deviceCertificateResource(record.certificateId, revocationInfo(revocation)),
        relatedResources: [revokingCaResource(revocation)],
        reasonForNonCompliance: revokedReason(serialNumber, revocation, 'Certificate'),
        reasonForNonComplianceCode: 'CERTIFICATE_REVOKED_BY_ISSUER',
      });
    }

    const problems = crlProblemFindings(evidence.lists.problems);
    return {
      totalResourcesCount: certificates.length + problems.length,
      nonCompliant: [...nonCompliant, ...problems],
    };
  },
};
