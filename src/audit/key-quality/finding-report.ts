/**
 * Turns a certificate's key findings into the one audit finding the key-quality checks report
 * per certificate. The first reason in REASON_SEVERITY_ORDER becomes
 * `reasonForNonComplianceCode`, and `reasonForNonCompliance` joins every reason's sentence.
 * `additionalInfo` lists all the codes in `REASON_CODES` and merges every finding's evidence.
 * Certificates named by a shared-prime finding become related resources.
 */

import type { AuditResource, NonCompliance, ResourceType } from '../audit-types.ts';
import { bySeverity, type KeyFinding } from './key-finding.ts';

/** How to name a certificate as an audit resource. */
export type CertificateResolver = (certificateId: string) => AuditResource;

/** Returns an AuditResource for a device or CA certificate id. */
export function certificateResource(
  resourceType: ResourceType,
  certificateId: string,
): AuditResource {
  return resourceType === 'CA_CERTIFICATE'
    ? { resourceType, resourceIdentifier: { caCertificateId: certificateId } }
    : { resourceType, resourceIdentifier: { deviceCertificateId: certificateId } };
}

/**
 * Builds the finding of one certificate from its key findings.
 * @throws RangeError when `findings` is empty.
 */
export function toNonCompliance(
  resource: AuditResource,
  findings: readonly KeyFinding[],
  resolveRelated: CertificateResolver,
): NonCompliance {
  const ordered = bySeverity(findings);
  const [first] = ordered;
  if (first === undefined) throw new RangeError('Cannot report a certificate without key findings');

  const additionalInfo: Record<string, string> = { ...resource.additionalInfo };
  for (const finding of ordered) Object.assign(additionalInfo, finding.evidence);
  additionalInfo.REASON_CODES = ordered.map((finding) => finding.code).join(',');

  const relatedIds = new Set(ordered.flatMap((finding) => finding.relatedCertificateIds ?? []));
  return {
    resource: { ...resource, additionalInfo },
    relatedResources: [...relatedIds].map(resolveRelated),
    reasonForNonCompliance: `${ordered.map((finding) => finding.message).join('. ')}.`,
    reasonForNonComplianceCode: first.code,
  };
}
