import { z } from 'zod';
import { paginate } from '../../api/pagination.ts';
import { Query } from '../../api/query.ts';
import type { Route } from '../../api/route.ts';
import { toEpochSeconds } from '../../api/timestamps.ts';
import { parseBody, parseParam } from '../../api/validation.ts';
import type { AuditExecutionView } from '../tasks/audit-execution-views.ts';
import type { AuditMitigationTasks } from '../tasks/audit-mitigation-tasks.ts';
import type { AuditMitigationTask } from '../tasks/task-records.ts';
import { actionDefinition } from './actions-api.ts';
import {
  actionName,
  auditTaskId,
  checkName,
  clientRequestToken,
  findingId,
  mitigationTaskId,
} from './task-schemas.ts';

const TASK_STATUSES = ['IN_PROGRESS', 'COMPLETED', 'FAILED', 'CANCELED'] as const;
const EXECUTION_STATUSES = [
  'IN_PROGRESS',
  'COMPLETED',
  'FAILED',
  'CANCELED',
  'SKIPPED',
  'PENDING',
] as const;

const startBody = z.strictObject({
  target: z.strictObject({
    auditTaskId: auditTaskId.optional(),
    findingIds: z.array(findingId).min(1).max(25).optional(),
    auditCheckToReasonCodeFilter: z
      .record(checkName, z.array(z.string().min(1)).min(1).max(25))
      .optional(),
  }),
  auditCheckToActionsMapping: z.record(checkName, z.array(actionName).min(1).max(5)),
  clientRequestToken,
});

/** Routes for audit mitigation actions tasks and their executions. */
export function auditMitigationTaskRoutes(tasks: AuditMitigationTasks): Route[] {
  const idOf = (params: Record<string, string>) =>
    parseParam(mitigationTaskId, 'taskId', params['taskId']);
  return [
    {
      operation: 'StartAuditMitigationActionsTask',
      method: 'POST',
      path: '/audit/mitigationactions/tasks/{taskId}',
      handler: async ({ params, body }) => {
        const taskId = idOf(params);
        const input = parseBody(startBody, body);
        // Dropping members parsed as undefined stores the target as the client sent it.
        const target = JSON.parse(JSON.stringify(input.target)) as AuditMitigationTask['target'];
        const task = await tasks.start({ ...input, taskId, target });
        return { body: { taskId: task.taskId } };
      },
    },
    {
      operation: 'DescribeAuditMitigationActionsTask',
      method: 'GET',
      path: '/audit/mitigationactions/tasks/{taskId}',
      handler: async ({ params }) => ({ body: describeTask(await tasks.describe(idOf(params))) }),
    },
    {
      operation: 'ListAuditMitigationActionsTasks',
      method: 'GET',
      path: '/audit/mitigationactions/tasks',
      handler: async ({ query }) => {
        const q = new Query(query);
        q.required('startTime');
        q.required('endTime');
        const optional = (name: string, schema: z.ZodType<string>) => {
          const value = q.string(name);
          return value === undefined ? undefined : parseParam(schema, name, value);
        };
        const listed = await tasks.list({
          startTime: q.time('startTime') ?? 0,
          endTime: q.time('endTime') ?? 0,
          auditTaskId: optional('auditTaskId', auditTaskId),
          findingId: optional('findingId', findingId),
          taskStatus: q.oneOf('taskStatus', TASK_STATUSES),
        });
        const page = paginate(listed, q.string('nextToken'), maxResults(q));
        return {
          body: {
            tasks: page.items.map((task) => ({
              taskId: task.taskId,
              startTime: toEpochSeconds(task.startTime),
              taskStatus: task.taskStatus,
            })),
            nextToken: page.nextToken,
          },
        };
      },
    },
    {
      operation: 'ListAuditMitigationActionsExecutions',
      method: 'GET',
      path: '/audit/mitigationactions/executions',
      handler: async ({ query }) => {
        const q = new Query(query);
        const taskId = parseParam(mitigationTaskId, 'taskId', q.required('taskId'));
        const finding = parseParam(findingId, 'findingId', q.required('findingId'));
        const status = q.oneOf('actionStatus', EXECUTION_STATUSES);
        const executions = await tasks.listExecutions(taskId, finding, status);
        const page = paginate(executions, q.string('nextToken'), maxResults(q));
        return {
          body: { actionsExecutions: page.items.map(executionShape), nextToken: page.nextToken },
        };
      },
    },
    {
      operation: 'CancelAuditMitigationActionsTask',
      method: 'PUT',
      path: '/audit/mitigationactions/tasks/{taskId}/cancel',
      handler: async ({ params }) => {
        await tasks.cancel(idOf(params));
      },
    },
  ];
}

function maxResults(q: Query): number {
  return q.integer('maxResults', { min: 1, max: 250 }) ?? 25;
}

/** Builds the DescribeAuditMitigationActionsTask body. */
function describeTask(task: AuditMitigationTask) {
  return {
    taskStatus: task.taskStatus,
    startTime: toEpochSeconds(task.startTime),
    endTime: task.endTime === undefined ? undefined : toEpochSeconds(task.endTime),
    taskStatistics: task.taskStatistics,
    target: task.target,
    auditCheckToActionsMapping: task.auditCheckToActionsMapping,
    actionsDefinition: task.actionsDefinition.map(actionDefinition),
  };
}

function executionShape(execution: AuditExecutionView) {
  return {
    taskId: execution.taskId,
    findingId: execution.findingId,
    actionName: execution.actionName,
    actionId: execution.actionId,
    status: execution.status,
    startTime: execution.startTime === undefined ? undefined : toEpochSeconds(execution.startTime),
    endTime: execution.endTime === undefined ? undefined : toEpochSeconds(execution.endTime),
    errorCode: execution.errorCode,
    message: execution.message,
  };
}
