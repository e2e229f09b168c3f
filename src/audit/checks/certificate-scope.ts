/**
 * Which registered certificates the certificate checks examine, and how findings name them. The
 * device certificate checks look at certificates that are `ACTIVE` or `PENDING_TRANSFER`, because
 * AWS IoT still counts a certificate in those statuses as usable. The CA checks look at `ACTIVE`
 * CAs, since CA certificates have no other usable status.
 */

import type { AuditResource } from '../audit-types.ts';
import type { FleetSnapshot } from '../fleet-snapshot.ts';
import { Arns } from '../../registry/arn.ts';
import type { CertificateRecord, CertificateStatus } from '../../registry/types.ts';

/** One day in milliseconds. */
export const DAY_MS = 24 * 60 * 60 * 1000;

const IN_SCOPE_DEVICE_STATUSES: ReadonlySet<CertificateStatus> = new Set([
  'ACTIVE',
  'PENDING_TRANSFER',
]);

/** Returns the device certificates the checks examine: those still usable by a device. */
export function activeDeviceCertificates(fleet: FleetSnapshot): CertificateRecord[] {
  return fleet.certificates.filter((record) => IN_SCOPE_DEVICE_STATUSES.has(record.status));
}

/** Names a device certificate as a finding's resource. */
export function deviceCertificateResource(
  certificateId: string,
  additionalInfo?: Record<string, string>,
): AuditResource {
  const resource: AuditResource = {
    resourceType: 'DEVICE_CERTIFICATE',
    resourceIdentifier: { deviceCertificateId: certificateId },
  };
  return additionalInfo === undefined ? resource : { ...resource, additionalInfo };
}

/** Names a device certificate by ID and ARN, as related resources of the intermediate CA check do. */
export function deviceCertificateWithArn(
  fleet: FleetSnapshot,
  certificateId: string,
): AuditResource {
  const arns = new Arns(fleet.region, fleet.accountId);
  return {
    resourceType: 'DEVICE_CERTIFICATE',
    resourceIdentifier: {
      deviceCertificateId: certificateId,
      deviceCertificateArn: arns.certificate(certificateId),
    },
  };
}

/** Names a CA certificate as a finding's resource. */
export function caCertificateResource(
  certificateId: string,
  additionalInfo?: Record<string, string>,
): AuditResource {
  const resource: AuditResource = {
    resourceType: 'CA_CERTIFICATE',
    resourceIdentifier: { caCertificateId: certificateId },
  };
  return additionalInfo === undefined ? resource : { ...resource, additionalInfo };
}
