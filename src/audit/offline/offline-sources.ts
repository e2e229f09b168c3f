/**
 * Finds the file each audited resource was read from, so a finding of an offline audit can point
 * at it (the SARIF `physicalLocation`, and the resource column of the table).
 */

import type { AuditResource } from '../audit-types.ts';
import type { SourceLocation } from './offline-inputs.ts';

/** Source files of each kind of resource, keyed as its resource identifier names it. */
export interface SourceMaps {
  /** Certificate id (device or CA) to its PEM block. */
  certificates: Map<string, SourceLocation>;
  /** `policyName` and `policyName NUL versionId` to the policy file. */
  policies: Map<string, SourceLocation>;
  roleAliases: Map<string, SourceLocation>;
  roles: Map<string, SourceLocation>;
  identityPools: Map<string, SourceLocation>;
  logging?: SourceLocation;
}

/** Looks up the file of a finding's resource. */
export class OfflineSources {
  constructor(private readonly maps: SourceMaps) {}

  /** Returns the file the resource was read from, or undefined when no single file has it. */
  locate(resource: AuditResource): SourceLocation | undefined {
    const id = resource.resourceIdentifier;
    const { maps } = this;
    if (id.deviceCertificateId !== undefined) return maps.certificates.get(id.deviceCertificateId);
    if (id.caCertificateId !== undefined) return maps.certificates.get(id.caCertificateId);
    if (id.issuerCertificateIdentifier?.issuerId !== undefined)
      return maps.certificates.get(id.issuerCertificateIdentifier.issuerId);
    if (id.policyVersionIdentifier !== undefined) {
      const { policyName, policyVersionId } = id.policyVersionIdentifier;
      return (
        maps.policies.get(`${policyName}\u0000${policyVersionId}`) ?? maps.policies.get(policyName)
      );
    }
    if (id.roleAliasArn !== undefined) return maps.roleAliases.get(id.roleAliasArn);
    if (id.iamRoleArn !== undefined) return maps.roles.get(id.iamRoleArn);
    if (id.cognitoIdentityPoolId !== undefined)
      return maps.identityPools.get(id.cognitoIdentityPoolId);
    if (id.account !== undefined) return maps.logging;
    return undefined;
  }
}
