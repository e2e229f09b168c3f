import { z } from 'zod';
import { paginate } from '../../api/pagination.ts';
import { Query } from '../../api/query.ts';
import type { Route } from '../../api/route.ts';
import { toEpochSeconds } from '../../api/timestamps.ts';
import { parseBody, parseParam } from '../../api/validation.ts';
import type {
  DetectExecutionView,
  DetectMitigationTasks,
} from '../tasks/detect-mitigation-tasks.ts';
import type { DetectMitigationTask } from '../tasks/task-records.ts';
import { actionDefinition } from './actions-api.ts';
import {
  actionName,
  clientRequestToken,
  defenderThingName,
  epochSeconds,
  mitigationTaskId,
  profileOrBehaviorName,
  violationId,
} from './task-schemas.ts';

const startBody = z.strictObject({
  target: z.strictObject({
    violationIds: z.array(violationId).min(1).max(25).optional(),
    securityProfileName: profileOrBehaviorName.optional(),
    behaviorName: profileOrBehaviorName.optional(),
  }),
  actions: z.array(actionName).min(1).max(5),
  violationEventOccurrenceRange: z
    .strictObject({ startTime: epochSeconds, endTime: epochSeconds })
    .optional(),
  includeOnlyActiveViolations: z.boolean().optional(),
  includeSuppressedAlerts: z.boolean().optional(),
  clientRequestToken,
});

/** Routes for Detect mitigation actions tasks and their executions. */
export function detectMitigationTaskRoutes(tasks: DetectMitigationTasks): Route[] {
  const idOf = (params: Record<string, string>) =>
    parseParam(mitigationTaskId, 'taskId', params['taskId']);
  return [
    {
      operation: 'StartDetectMitigationActionsTask',
      method: 'PUT',
      path: '/detect/mitigationactions/tasks/{taskId}',
      handler: async ({ params, body }) => {
        const taskId = idOf(params);
        const input = parseBody(startBody, body);
        const range = input.violationEventOccurrenceRange;
        const task = await tasks.start({
          ...input,
          taskId,
          // Dropping members parsed as undefined stores the target as the client sent it.
          target: JSON.parse(JSON.stringify(input.target)) as DetectMitigationTask['target'],
          violationEventOccurrenceRange:
            range === undefined
              ? undefined
              : {
                  startTime: toMilliseconds(range.startTime),
                  endTime: toMilliseconds(range.endTime),
                },
        });
        return { body: { taskId: task.taskId } };
      },
    },
    {
      operation: 'DescribeDetectMitigationActionsTask',
      method: 'GET',
      path: '/detect/mitigationactions/tasks/{taskId}',
      handler: async ({ params }) => ({
        body: { taskSummary: taskSummary(await tasks.describe(idOf(params))) },
      }),
    },
    {
      operation: 'ListDetectMitigationActionsTasks',
      method: 'GET',
      path: '/detect/mitigationactions/tasks',
      handler: async ({ query }) => {
        const q = new Query(query);
        q.required('startTime');
        q.required('endTime');
        const listed = await tasks.list(q.time('startTime') ?? 0, q.time('endTime') ?? 0);
        const page = paginate(listed, q.string('nextToken'), maxResults(q));
        return { body: { tasks: page.items.map(taskSummary), nextToken: page.nextToken } };
      },
    },
    {
      operation: 'ListDetectMitigationActionsExecutions',
      method: 'GET',
      path: '/detect/mitigationactions/executions',
      handler: async ({ query }) => {
        const q = new Query(query);
        const optional = (name: string, schema: z.ZodType<string>) => {
          const value = q.string(name);
          return value === undefined ? undefined : parseParam(schema, name, value);
        };
        const executions = await tasks.listExecutions({
          taskId: optional('taskId', mitigationTaskId),
          violationId: optional('violationId', violationId),
          thingName: optional('thingName', defenderThingName),
          startTime: q.time('startTime'),
          endTime: q.time('endTime'),
        });
        const page = paginate(executions, q.string('nextToken'), maxResults(q));
        return {
          body: { actionsExecutions: page.items.map(executionShape), nextToken: page.nextToken },
        };
      },
    },
    {
      operation: 'CancelDetectMitigationActionsTask',
      method: 'PUT',
      path: '/detect/mitigationactions/tasks/{taskId}/cancel',
      handler: async ({ params }) => {
        await tasks.cancel(idOf(params));
      },
    },
  ];
}

function maxResults(q: Query): number {
  return q.integer('maxResults', { min: 1, max: 250 }) ?? 25;
}

/** Builds the `DetectMitigationActionsTaskSummary` of a task. */
function taskSummary(task: DetectMitigationTask) {
  const range = task.violationEventOccurrenceRange;
  return {
    taskId: task.taskId,
    taskStatus: task.taskStatus,
    taskStartTime: toEpochSeconds(task.startTime),
    taskEndTime: task.endTime === undefined ? undefined : toEpochSeconds(task.endTime),
    target: task.target,
    violationEventOccurrenceRange:
      range === undefined
        ? undefined
        : { startTime: toEpochSeconds(range.startTime), endTime: toEpochSeconds(range.endTime) },
    onlyActiveViolationsIncluded: task.onlyActiveViolationsIncluded,
    suppressedAlertsIncluded: task.suppressedAlertsIncluded,
    actionsDefinition: task.actionsDefinition.map(actionDefinition),
    taskStatistics: task.taskStatistics,
  };
}

function executionShape(execution: DetectExecutionView) {
  const seconds = (time: number | undefined) =>
    time === undefined ? undefined : toEpochSeconds(time);
  return {
    taskId: execution.taskId,
    violationId: execution.violationId,
    actionName: execution.actionName,
    thingName: execution.thingName,
    executionStartDate: seconds(execution.executionStartDate),
    executionEndDate: seconds(execution.executionEndDate),
    status: execution.status,
    errorCode: execution.errorCode,
    message: execution.message,
  };
}

function toMilliseconds(epochSeconds: number): number {
  return Math.round(epochSeconds * 1000);
}
