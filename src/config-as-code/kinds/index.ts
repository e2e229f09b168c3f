/** Every resource kind `warden apply` manages, in the order of the sections of a fleet file. */

import type { SectionName } from '../fleet-schema.ts';
import type { ResourceKind } from '../resource-kind.ts';
import { alertTargetsKind } from './alert-targets-kind.ts';
import { auditConfigurationKind } from './audit-configuration-kind.ts';
import { auditSuppressionsKind, scheduledAuditsKind } from './audit-schedule-kinds.ts';
import { customMetricsKind, dimensionsKind } from './metrics-kinds.ts';
import { mitigationActionsKind } from './mitigation-actions-kind.ts';
import { policiesKind } from './policies-kind.ts';
import { securityProfilesKind } from './security-profiles-kind.ts';
import { thingGroupsKind } from './thing-groups-kind.ts';

export const KINDS: { [S in SectionName]: ResourceKind } = {
  alertTargets: alertTargetsKind,
  thingGroups: thingGroupsKind,
  policies: policiesKind,
  customMetrics: customMetricsKind,
  dimensions: dimensionsKind,
  mitigationActions: mitigationActionsKind,
  auditConfiguration: auditConfigurationKind,
  scheduledAudits: scheduledAuditsKind,
  auditSuppressions: auditSuppressionsKind,
  securityProfiles: securityProfilesKind,
};
