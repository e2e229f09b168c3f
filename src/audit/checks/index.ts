/**
 * Every audit check Warden runs, in the order of the Device Defender check catalogue. The audit
 * service looks checks up here by `name`.
 */

import type { AuditCheck } from '../audit-check.ts';
import { authenticatedCognitoRoleOverlyPermissiveCheck } from './authenticated-cognito-role-overly-permissive.ts';
import { caCertificateExpiringCheck } from './ca-certificate-expiring.ts';
import { conflictingClientIdsCheck } from './conflicting-client-ids.ts';
import { deviceCertificateAgeCheck } from './device-certificate-age.ts';
import { deviceCertificateExpiringCheck } from './device-certificate-expiring.ts';
import { deviceCertificateSharedCheck } from './device-certificate-shared.ts';
import { intermediateCaRevokedForActiveDeviceCertificatesCheck } from './intermediate-ca-revoked-for-active-device-certificates.ts';
import { iotPolicyOverlyPermissiveCheck } from './iot-policy-overly-permissive.ts';
import { iotPolicyPotentialMisconfigurationCheck } from './iot-policy-potential-misconfiguration.ts';
import { iotRoleAliasAllowsAccessToUnusedServicesCheck } from './iot-role-alias-allows-access-to-unused-services.ts';
import { iotRoleAliasOverlyPermissiveCheck } from './iot-role-alias-overly-permissive.ts';
import { loggingDisabledCheck } from './logging-disabled.ts';
import { revokedCaCertificateStillActiveCheck } from './revoked-ca-certificate-still-active.ts';
import { revokedDeviceCertificateStillActiveCheck } from './revoked-device-certificate-still-active.ts';
import { unauthenticatedCognitoRoleOverlyPermissiveCheck } from './unauthenticated-cognito-role-overly-permissive.ts';
import { caCertificateKeyQualityCheck } from './ca-certificate-key-quality.ts';
import { deviceCertificateKeyQualityCheck } from './device-certificate-key-quality.ts';

/** The audit checks, one per AWS check name. */
export const ALL_CHECKS: readonly AuditCheck[] = [
  authenticatedCognitoRoleOverlyPermissiveCheck,
  caCertificateExpiringCheck,
  caCertificateKeyQualityCheck,
  conflictingClientIdsCheck,
  deviceCertificateAgeCheck,
  deviceCertificateExpiringCheck,
  deviceCertificateKeyQualityCheck,
  deviceCertificateSharedCheck,
  intermediateCaRevokedForActiveDeviceCertificatesCheck,
  iotPolicyOverlyPermissiveCheck,
  iotPolicyPotentialMisconfigurationCheck,
  iotRoleAliasAllowsAccessToUnusedServicesCheck,
  iotRoleAliasOverlyPermissiveCheck,
  loggingDisabledCheck,
  revokedCaCertificateStillActiveCheck,
  revokedDeviceCertificateStillActiveCheck,
  unauthenticatedCognitoRoleOverlyPermissiveCheck,
];
