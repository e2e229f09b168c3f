import type { Route } from '../../api/route.ts';
import type { AuditMitigationTasks } from '../tasks/audit-mitigation-tasks.ts';
import type { DetectMitigationTasks } from '../tasks/detect-mitigation-tasks.ts';
import { mitigationActionRoutes } from './actions-api.ts';
import { auditMitigationTaskRoutes } from './audit-tasks-api.ts';
import { detectMitigationTaskRoutes } from './detect-tasks-api.ts';
import type { MitigationActions } from './mitigation-actions.ts';

export interface MitigationApiDeps {
  actions: MitigationActions;
  auditTasks: AuditMitigationTasks;
  detectTasks: DetectMitigationTasks;
}

/** Builds the routes of the fifteen AWS IoT operations of mitigation actions and tasks. */
export function mitigationRoutes(deps: MitigationApiDeps): Route[] {
  return [
    ...mitigationActionRoutes(deps.actions),
    ...auditMitigationTaskRoutes(deps.auditTasks),
    ...detectMitigationTaskRoutes(deps.detectTasks),
  ];
}
