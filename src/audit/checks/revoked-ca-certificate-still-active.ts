/**
 * REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK: registered CA certificates that the CA which issued
 * them lists on its CRL while the registry still has them `ACTIVE`.
 *
 * Only a registered issuer's CRL can revoke a CA, so a root CA is never reported. CA certificates
 * have no `REVOKED` status in AWS IoT; setting the CA `INACTIVE` is the remedy, and an inactive CA
 * is not examined.
 */

import type { AuditCheck } from '../audit-check.ts';
import type { NonCompliance } from '../audit-types.ts';
import { caCertificateResource } from './certificate-scope.ts';
import { rejectsConfiguration } from './check-configuration.ts';
import {
  crlProblemFindings,
  readRevocationEvidence,
  revocationByAny,
  revocationInfo,
  revokedReason,
  revokingCaResource,
} from './revocation-evidence.ts';

const NAME = 'REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK';

/** Reports active CA certificates that a verified CRL of their issuing CA lists. */
export const revokedCaCertificateStillActiveCheck: AuditCheck = {
  name: NAME,
  severity: 'CRITICAL',
  enabledByDefault: true,
  validateConfiguration: rejectsConfiguration(NAME),
  async run({ fleet, now }) {
    const evidence = await readRevocationEvidence(fleet);
    const active = evidence.authorities.all.filter((ca) => ca.record.status === 'ACTIVE');
    const nonCompliant: NonCompliance[] = [];
    for (const ca of active) {
      const serialNumber = ca.certificate.serialNumber;
      const parents = evidence.authorities.parentsOf(ca);
      const revocation = revocationByAny(evidence, parents, serialNumber, now);
      if (revocation === undefined) continue;
      nonCompliant.push({
        resource: caCertificateResource(ca.record.certificateId, revocationInfo(revocation)),
        relatedResources: [revokingCaResource(revocation)],
        reasonForNonCompliance: revokedReason(serialNumber, revocation, 'CA certificate'),
        reasonForNonComplianceCode: 'CERTIFICATE_REVOKED_BY_ISSUER',
      });
    }

    const problems = crlProblemFindings(evidence.lists.problems);
    return {
      totalResourcesCount: active.length + problems.length,
      nonCompliant: [...nonCompliant, ...problems],
    };
  },
};
