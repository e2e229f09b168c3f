/**
 * The rule that the device and CA expiration checks share: a certificate is past its expiration
 * once notAfter has been reached, and approaching it while notAfter is at most the threshold away.
 *
 * NOTE: AWS does not say whether the threshold is inclusive; Warden reports a certificate whose
 * notAfter is exactly the threshold away.
 */

import type { AuditResource, NonCompliance } from '../audit-types.ts';
import { DAY_MS } from './certificate-scope.ts';

/** The text AWS uses for an expired certificate. */
export const PAST_EXPIRATION_TEXT = 'Certificate is past its expiration.';
export const APPROACHING_EXPIRATION_TEXT = 'Certificate is approaching its expiration.';

/**
 * Judges one certificate; `resource` receives `EXPIRATION_TIME` (notAfter in epoch ms).
 * Returns undefined while the certificate is further than the threshold from its expiration.
 */
export function expirationFinding(
  resource: AuditResource,
  notAfter: number,
  now: number,
  thresholdDays: number,
): NonCompliance | undefined {
  const past = notAfter <= now;
  if (!past && notAfter - now > thresholdDays * DAY_MS) return undefined;

  const additionalInfo = { ...resource.additionalInfo, EXPIRATION_TIME: String(notAfter) };
  return {
    resource: { ...resource, additionalInfo },
    relatedResources: [],
    reasonForNonCompliance: past ? PAST_EXPIRATION_TEXT : APPROACHING_EXPIRATION_TEXT,
    reasonForNonComplianceCode: past
      ? 'CERTIFICATE_PAST_EXPIRATION'
      : 'CERTIFICATE_APPROACHING_EXPIRATION',
  };
}
