/**
 * The IAM roles behind Cognito identity pools and role aliases, read for the permission checks:
 * each role's policy documents, and the grants found in them with the document they came from.
 *
 * NOTE: a role that the snapshot does not contain cannot be judged, so its pool or role alias is
 * left out of the check's resource count. A policy document that does not read as IAM JSON is
 * skipped, and the role's other documents are still judged.
 */

import type { AuditResource, NonCompliance } from '../audit-types.ts';
import type { FleetSnapshot } from '../fleet-snapshot.ts';
import type { PolicyDocument } from '../../broker/policy/policy-document.ts';
import { readIamPolicyDocument } from '../analysis/iam-policy-document.ts';
import {
  describeGrants,
  grantedActions,
  listActions,
  type PermissionGrant,
} from '../analysis/permission-grants.ts';
import { describeServiceGrant, type ServiceGrant } from '../analysis/service-access.ts';
import { DAY_MS } from './certificate-scope.ts';

/** A role with its readable policy documents, in the order the role lists them. */
export interface RolePermissions {
  roleArn: string;
  documents: PolicyDocument[];
  serviceLastUsed: Record<string, number>;
}

/** One reason code of a role check: the summary of its reason text and the grants that cause it. */
export interface GrantRule {
  code: string;
  summary: string;
  find(document: PolicyDocument, fleet: FleetSnapshot): PermissionGrant[];
}

/** Grants found in one document of a role. */
export interface DocumentGrants {
  documentIndex: number;
  grants: PermissionGrant[];
}

/** Reads a role of the fleet; undefined when the fleet has no role with that ARN. */
export function rolePermissions(
  fleet: FleetSnapshot,
  roleArn: string,
): RolePermissions | undefined {
  const role = fleet.roles.find((item) => item.roleArn === roleArn);
  if (role === undefined) return undefined;
  const documents = role.policyDocuments.flatMap((text) => {
    const { document } = readIamPolicyDocument(text);
    return document === undefined ? [] : [document];
  });
  return { roleArn, documents, serviceLastUsed: role.serviceLastUsed };
}

/** Runs a grant finder over each document of a role, keeping the documents with grants. */
export function grantsPerDocument(
  role: RolePermissions,
  find: (document: PolicyDocument) => PermissionGrant[],
): DocumentGrants[] {
  return role.documents.flatMap((document, documentIndex) => {
    const grants = find(document);
    return grants.length === 0 ? [] : [{ documentIndex, grants }];
  });
}

/** Renders `[actions]. In role "…", policy document 0: statement 1 allows …` for a reason text. */
export function describeRoleGrants(
  role: RolePermissions,
  found: readonly DocumentGrants[],
): string {
  const actions = grantedActions(found.flatMap((item) => item.grants));
  const details = found.map(
    (item) => `policy document ${item.documentIndex}: ${describeGrants(item.grants)}`,
  );
  return `[${listActions(actions)}]. In role ${JSON.stringify(role.roleArn)}, ${details.join('; ')}`;
}

/** Renders a service grant with the document it is in: `policy document 0: statement 1 allows "iam:*"`. */
export function describeRoleServiceGrant(role: RolePermissions, grant: ServiceGrant): string {
  const documentIndex = role.documents.findIndex((document) =>
    document.statements.includes(grant.statement),
  );
  return `policy document ${documentIndex}: ${describeServiceGrant(grant)}`;
}

/** Names an IAM role as a related resource. */
export function iamRoleResource(roleArn: string): AuditResource {
  return { resourceType: 'IAM_ROLE', resourceIdentifier: { iamRoleArn: roleArn } };
}

/** How far back a service's last use counts as use, for the role alias checks. */
export const SERVICE_USE_DAYS = 365;

/** Returns the service namespaces the role used in the year before `now`, lowercase and sorted. */
export function servicesUsedInPastYear(role: RolePermissions, now: number): string[] {
  const since = now - SERVICE_USE_DAYS * DAY_MS;
  return Object.entries(role.serviceLastUsed)
    .filter(([, lastUsed]) => lastUsed >= since)
    .map(([service]) => service.toLowerCase())
    .sort();
}

/** Builds a role alias finding for one reason code. */
export function roleAliasFinding(
  roleAliasArn: string,
  role: RolePermissions,
  code: string,
  reason: string,
): NonCompliance {
  return {
    resource: { resourceType: 'ROLE_ALIAS', resourceIdentifier: { roleAliasArn } },
    relatedResources: [iamRoleResource(role.roleArn)],
    reasonForNonCompliance: reason,
    reasonForNonComplianceCode: code,
  };
}
