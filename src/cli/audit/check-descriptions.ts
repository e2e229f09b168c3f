/**
 * One-sentence descriptions of the AWS IoT Device Defender audit checks, for the rules of the
 * SARIF report, worded from the AWS check documentation.
 */

export const CHECK_DESCRIPTIONS: Readonly<Record<string, string>> = {
  AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK:
    'The role of authenticated Cognito identities grants broad or administrative AWS IoT access.',
  UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK:
    'The role of unauthenticated Cognito identities grants administrative or broad AWS IoT access.',
  CA_CERTIFICATE_EXPIRING_CHECK: 'A CA certificate expires within 30 days or has expired.',
  CA_CERTIFICATE_KEY_QUALITY_CHECK: 'A CA certificate has a weak or known-vulnerable key.',
  CONFLICTING_CLIENT_IDS_CHECK: 'Several devices connect with the same MQTT client ID.',
  DEVICE_CERTIFICATE_AGE_CHECK:
    'A device certificate has been in use longer than the age threshold.',
  DEVICE_CERTIFICATE_EXPIRING_CHECK:
    'A device certificate expires within the threshold (30 days by default) or has expired.',
  DEVICE_CERTIFICATE_KEY_QUALITY_CHECK: 'A device certificate has a weak or known-vulnerable key.',
  DEVICE_CERTIFICATE_SHARED_CHECK: 'Several devices connect with the same certificate at once.',
  INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK:
    'Active device certificates chain through an intermediate CA that its issuer revoked.',
  IOT_POLICY_OVERLY_PERMISSIVE_CHECK:
    'An IoT policy grants MQTT, shadow or job access to a broad set of devices.',
  IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK:
    'An IoT policy uses MQTT wildcards in a way that allows more or denies less than intended.',
  IOT_ROLE_ALIAS_ALLOWS_ACCESS_TO_UNUSED_SERVICES_CHECK:
    'The role behind a role alias grants access to services the devices have not used for a year.',
  IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK:
    'The role behind a role alias grants broad, administrative or security-auditing access.',
  LOGGING_DISABLED_CHECK: 'AWS IoT logging is disabled for the account.',
  REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK:
    'A CA certificate revoked by its issuer is still active.',
  REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK:
    'A device certificate revoked by its CA is still active.',
};

/** Returns the description of a check, or a generic one for a check not in the table. */
export function describeCheck(checkName: string): string {
  return CHECK_DESCRIPTIONS[checkName] ?? `Warden audit check ${checkName}.`;
}
