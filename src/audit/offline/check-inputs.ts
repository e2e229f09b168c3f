/**
 * The choice of checks an offline audit can run: a check runs only when the folder provided every kind of
 * input it reads. Without this, a folder with no `logging.json` would fail LOGGING_DISABLED_CHECK
 * and a folder with no CRLs would pass the revocation checks, both without any evidence.
 */

import type { AuditCheck } from '../audit-check.ts';
import { INPUT_NAMES, type OfflineInput } from './offline-inputs.ts';

/** The inputs each AWS check reads. Checks not listed (Warden's own) always run. */
export const CHECK_INPUTS: Readonly<Record<string, readonly OfflineInput[]>> = {
  DEVICE_CERTIFICATE_EXPIRING_CHECK: ['certificates'],
  DEVICE_CERTIFICATE_AGE_CHECK: ['certificates'],
  DEVICE_CERTIFICATE_KEY_QUALITY_CHECK: ['certificates'],
  CA_CERTIFICATE_EXPIRING_CHECK: ['caCertificates'],
  CA_CERTIFICATE_KEY_QUALITY_CHECK: ['caCertificates'],
  REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK: ['certificates', 'crls'],
  REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK: ['caCertificates', 'crls'],
  INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK: ['certificates', 'crls'],
  DEVICE_CERTIFICATE_SHARED_CHECK: ['connections'],
  CONFLICTING_CLIENT_IDS_CHECK: ['connections'],
  IOT_POLICY_OVERLY_PERMISSIVE_CHECK: ['policies'],
  IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK: ['policies'],
  UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK: ['identityPools', 'roles'],
  AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK: ['identityPools', 'roles'],
  IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK: ['roleAliases', 'roles'],
  IOT_ROLE_ALIAS_ALLOWS_ACCESS_TO_UNUSED_SERVICES_CHECK: ['roleAliases', 'roles'],
  LOGGING_DISABLED_CHECK: ['logging'],
};

/** A check left out of an offline audit, with the reason in words. */
export interface CheckNotRun {
  checkName: string;
  reason: string;
}

/** Splits checks into those the folder's inputs let run and those it does not. */
export function applicableChecks(
  checks: readonly AuditCheck[],
  provided: ReadonlySet<OfflineInput>,
): { run: AuditCheck[]; notRun: CheckNotRun[] } {
  const run: AuditCheck[] = [];
  const notRun: CheckNotRun[] = [];
  for (const check of checks) {
    const missing = (CHECK_INPUTS[check.name] ?? []).filter((input) => !provided.has(input));
    if (missing.length === 0) run.push(check);
    else notRun.push({ checkName: check.name, reason: missingReason(missing) });
  }
  return { run, notRun };
}

function missingReason(missing: readonly OfflineInput[]): string {
  if (missing.includes('connections')) return `it needs ${INPUT_NAMES.connections}`;
  const names = missing.map((input) => INPUT_NAMES[input]);
  return `the folder has no ${names.join(' and no ')}`;
}
