/**
 * IOT_ROLE_ALIAS_ALLOWS_ACCESS_TO_UNUSED_SERVICES_CHECK: role aliases whose IAM role allows
 * services that the role did not use in the past year, by IAM's service last-accessed data
 * (`serviceLastUsed`). Services are compared by namespace, the part of an action before the
 * colon. A statement that allows every service (`*`, `NotAction`, a wildcard in the service name)
 * always allows some unused service.
 */

import type { AuditCheck } from '../audit-check.ts';
import type { NonCompliance } from '../audit-types.ts';
import { serviceAccess, serviceGrant } from '../analysis/service-access.ts';
import { rejectsConfiguration } from './check-configuration.ts';
import {
  describeRoleServiceGrant,
  roleAliasFinding,
  rolePermissions,
  servicesUsedInPastYear,
  type RolePermissions,
} from './role-permissions.ts';

const NAME = 'IOT_ROLE_ALIAS_ALLOWS_ACCESS_TO_UNUSED_SERVICES_CHECK';

/** Reports role aliases whose role allows services it has not used for a year. */
export const iotRoleAliasAllowsAccessToUnusedServicesCheck: AuditCheck = {
  name: NAME,
  severity: 'MEDIUM',
  enabledByDefault: true,
  validateConfiguration: rejectsConfiguration(NAME),
  run({ fleet, now }) {
    let examined = 0;
    const nonCompliant: NonCompliance[] = [];
    for (const alias of fleet.roleAliases) {
      const role = rolePermissions(fleet, alias.roleArn);
      if (role === undefined) continue;
      examined++;
      const reason = unusedServicesReason(role, new Set(servicesUsedInPastYear(role, now)));
      if (reason === undefined) continue;
      nonCompliant.push(
        roleAliasFinding(alias.roleAliasArn, role, 'ALLOWS_ACCESS_TO_UNUSED_SERVICES', reason),
      );
    }
    return { totalResourcesCount: examined, nonCompliant };
  },
};

function unusedServicesReason(role: RolePermissions, used: Set<string>): string | undefined {
  const access = serviceAccess(role.documents);
  const quotedRole = JSON.stringify(role.roleArn);
  if (access.everyService !== undefined) {
    return `Role alias allows services that it does not name, which include services not used in the past year. In role ${quotedRole}, ${describeRoleServiceGrant(role, access.everyService)}.`;
  }

  const unused = [...access.services.keys()]
    .filter((service) => !used.has(service))
    .sort()
    .flatMap((service) => {
      const grant = serviceGrant(role.documents, service);
      return grant === undefined ? [] : [{ service, grant }];
    });
  if (unused.length === 0) return undefined;
  const names = unused.map(({ service }) => service).join(', ');
  const details = unused.map(
    ({ service, grant }) => `${service} by ${describeRoleServiceGrant(role, grant)}`,
  );
  return `Role alias allows access to services not used in the past year: [${names}]. In role ${quotedRole}, ${details.join('; ')}.`;
}
