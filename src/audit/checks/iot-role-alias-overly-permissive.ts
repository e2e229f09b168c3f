/**
 * IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK: role aliases whose IAM role gives devices more than they
 * need. A role alias gets one finding per reason code it meets:
 * - `ALLOWS_BROAD_ACCESS_TO_USED_SERVICES`: every action (`service:*`) of a service the role used
 *   in the past year, from IAM's service last-accessed data;
 * - `ALLOWS_ACCESS_TO_SECURITY_AUDITING_SERVICES`: any action of IAM, CloudTrail, GuardDuty,
 *   Inspector or Trusted Advisor;
 * - `ALLOWS_BROAD_ACCESS_TO_IOT_THING_ADMIN_READ_ACTIONS`: thing administration reads on a broad
 *   set of things;
 * - `ALLOWS_ACCESS_TO_IOT_NON_THING_ADMIN_ACTIONS` and `ALLOWS_ACCESS_TO_IOT_THING_ADMIN_WRITE_ACTIONS`:
 *   IoT administration, list C and list A;
 * - `ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS`: broad MQTT, shadow or job-execution access.
 *
 * NOTE: the check page does not pair the IoT action lists with the two admin codes; Warden pairs
 * them by name. The IAM role is a related resource, because the role alias is what AWS suppresses
 * findings by.
 */

import type { AuditCheck } from '../audit-check.ts';
import type { NonCompliance } from '../audit-types.ts';
import {
  DATA_PLANE_ACTIONS,
  NON_THING_ADMIN_ACTIONS,
  THING_ADMIN_READ_ACTIONS,
  THING_ADMIN_WRITE_ACTIONS,
} from '../analysis/iot-action-lists.ts';
import { resourceKindOf } from '../analysis/iot-resource-breadth.ts';
import { actionGrants, broadGrants } from '../analysis/permission-grants.ts';
import { fullServiceGrant, serviceGrant, type ServiceGrant } from '../analysis/service-access.ts';
import type { PolicyDocument } from '../../broker/policy/policy-document.ts';
import { rejectsConfiguration } from './check-configuration.ts';
import {
  describeRoleGrants,
  describeRoleServiceGrant,
  grantsPerDocument,
  roleAliasFinding,
  rolePermissions,
  servicesUsedInPastYear,
  type GrantRule,
  type RolePermissions,
} from './role-permissions.ts';

const NAME = 'IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK';

/** The security-auditing services of the check page, as IAM service namespaces. */
export const SECURITY_AUDITING_SERVICES = [
  'iam',
  'cloudtrail',
  'guardduty',
  'inspector',
  'trustedadvisor',
];

/** Rules for IoT actions: each reason code with its summary and the grants that cause it. */
const IOT_RULES: readonly GrantRule[] = [
  {
    code: 'ALLOWS_BROAD_ACCESS_TO_IOT_THING_ADMIN_READ_ACTIONS',
    summary: 'Role alias allows thing administration read actions on a broad set of things',
    find: (document, fleet) =>
      broadGrants(document, THING_ADMIN_READ_ACTIONS, () => 'thing', fleet),
  },
  {
    code: 'ALLOWS_ACCESS_TO_IOT_NON_THING_ADMIN_ACTIONS',
    summary: 'Role alias allows IoT administrative actions unrelated to things',
    find: (document, fleet) => actionGrants(document, NON_THING_ADMIN_ACTIONS, fleet),
  },
  {
    code: 'ALLOWS_ACCESS_TO_IOT_THING_ADMIN_WRITE_ACTIONS',
    summary: 'Role alias allows thing administration write actions',
    find: (document, fleet) => actionGrants(document, THING_ADMIN_WRITE_ACTIONS, fleet),
  },
  {
    code: 'ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS',
    summary: 'Role alias allows broad access to IoT data plane actions',
    find: (document, fleet) => broadGrants(document, DATA_PLANE_ACTIONS, resourceKindOf, fleet),
  },
];

/** Reports role aliases whose role allows broad, administrative or auditing access. */
export const iotRoleAliasOverlyPermissiveCheck: AuditCheck = {
  name: NAME,
  severity: 'CRITICAL',
  enabledByDefault: true,
  validateConfiguration: rejectsConfiguration(NAME),
  run({ fleet, now }) {
    let examined = 0;
    const nonCompliant: NonCompliance[] = [];
    for (const alias of fleet.roleAliases) {
      const role = rolePermissions(fleet, alias.roleArn);
      if (role === undefined) continue;
      examined++;
      const finding = (code: string, reason: string) =>
        nonCompliant.push(roleAliasFinding(alias.roleAliasArn, role, code, reason));

      const used = servicesUsedInPastYear(role, now);
      const full = serviceGrants(role, used, fullServiceGrant);
      if (full !== undefined) {
        finding(
          'ALLOWS_BROAD_ACCESS_TO_USED_SERVICES',
          `Role alias allows every action of services it used in the past year: ${full}.`,
        );
      }
      const auditing = serviceGrants(role, SECURITY_AUDITING_SERVICES, serviceGrant);
      if (auditing !== undefined) {
        finding(
          'ALLOWS_ACCESS_TO_SECURITY_AUDITING_SERVICES',
          `Role alias allows access to security auditing services: ${auditing}.`,
        );
      }
      for (const rule of IOT_RULES) {
        const found = grantsPerDocument(role, (document) => rule.find(document, fleet));
        if (found.length > 0)
          finding(rule.code, `${rule.summary}: ${describeRoleGrants(role, found)}.`);
      }
    }
    return { totalResourcesCount: examined, nonCompliant };
  },
};

/** Renders `[iam]. In role "…", iam by policy document 0: …` for the granted services, if any. */
function serviceGrants(
  role: RolePermissions,
  services: readonly string[],
  grantOf: (documents: readonly PolicyDocument[], service: string) => ServiceGrant | undefined,
): string | undefined {
  const granted = services.flatMap((service) => {
    const grant = grantOf(role.documents, service);
    return grant === undefined ? [] : [{ service, grant }];
  });
  if (granted.length === 0) return undefined;
  const details = granted.map(
    ({ service, grant }) => `${service} by ${describeRoleServiceGrant(role, grant)}`,
  );
  const names = granted.map(({ service }) => service).join(', ');
  return `[${names}]. In role ${JSON.stringify(role.roleArn)}, ${details.join('; ')}`;
}
