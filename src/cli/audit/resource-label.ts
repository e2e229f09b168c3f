/** Names a finding's resource in words and as a SARIF logical location. */

import type { AuditResource } from '../../audit/audit-types.ts';

/** Returns the identifying text of a resource: its id, ARN, or policy name and version. */
export function resourceId(resource: AuditResource): string {
  const id = resource.resourceIdentifier;
  if (id.deviceCertificateId !== undefined) return id.deviceCertificateId;
  if (id.caCertificateId !== undefined) return id.caCertificateId;
  if (id.policyVersionIdentifier !== undefined) {
    const { policyName, policyVersionId } = id.policyVersionIdentifier;
    return policyVersionId === undefined ? policyName : `${policyName} version ${policyVersionId}`;
  }
  if (id.roleAliasArn !== undefined) return id.roleAliasArn;
  if (id.iamRoleArn !== undefined) return id.iamRoleArn;
  if (id.cognitoIdentityPoolId !== undefined) return id.cognitoIdentityPoolId;
  if (id.clientId !== undefined) return id.clientId;
  if (id.account !== undefined) return id.account;
  if (id.issuerCertificateIdentifier !== undefined) {
    const issuer = id.issuerCertificateIdentifier;
    return (
      issuer.issuerId ??
      issuer.issuerCertificateSubject ??
      issuer.issuerCertificateSerialNumber ??
      ''
    );
  }
  return id.deviceCertificateArn ?? JSON.stringify(id);
}

/** Names the resource in one line of text, e.g. `IOT_POLICY open-policy version 1`. */
export function resourceLabel(resource: AuditResource): string {
  return `${resource.resourceType} ${resourceId(resource)}`;
}
