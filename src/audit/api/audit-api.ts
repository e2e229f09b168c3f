import { z } from 'zod';
import { paginate } from '../../api/pagination.ts';
import { Query } from '../../api/query.ts';
import type { Route } from '../../api/route.ts';
import { toEpochSeconds } from '../../api/timestamps.ts';
import { parseBody, parseParam } from '../../api/validation.ts';
import { invalidRequest, notFound } from '../../core/errors.ts';
import type { AuditConfigurations } from '../audit-configuration.ts';
import { techniquesOfFinding } from '../../attack/finding-techniques.ts';
import { resourceKey, type AuditTask, type StoredFinding } from '../audit-records.ts';
import type { AuditStore } from '../audit-store.ts';
import type { AuditTasks } from '../audit-tasks.ts';
import {
  checkName,
  epochSeconds,
  resourceIdentifier,
  taskId,
  toIdentifier,
} from './audit-schemas.ts';

const notificationTarget = z.strictObject({
  targetArn: z.string().max(2048).optional(),
  roleArn: z.string().min(20).max(2048).optional(),
  enabled: z.boolean().optional(),
});
const updateConfigurationBody = z.strictObject({
  roleArn: z.string().min(20).max(2048).optional(),
  auditNotificationTargetConfigurations: z
    .partialRecord(z.enum(['SNS']), notificationTarget)
    .optional(),
  auditCheckConfigurations: z
    .record(
      checkName,
      z.strictObject({
        enabled: z.boolean().optional(),
        configuration: z.record(z.string(), z.string().min(1).max(64)).optional(),
      }),
    )
    .optional(),
});
const startBody = z.strictObject({ targetCheckNames: z.array(checkName) });
const findingsBody = z.strictObject({
  taskId: taskId.optional(),
  checkName: checkName.optional(),
  resourceIdentifier: resourceIdentifier.optional(),
  maxResults: z.number().int().min(1).max(250).optional(),
  nextToken: z.string().optional(),
  startTime: epochSeconds.optional(),
  endTime: epochSeconds.optional(),
  listSuppressedFindings: z.boolean().optional(),
});
const findingId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9_-]+$/);

/** The embedded related-resource list of a finding is capped at 10, as in AWS. */
const EMBEDDED_RELATED = 10;

export interface AuditApiDeps {
  store: AuditStore;
  configurations: AuditConfigurations;
  tasks: AuditTasks;
  scheduledCount: () => Promise<number>;
  deleteScheduled: () => Promise<void>;
}

/** Routes for the account audit configuration, audit tasks and findings. */
export function auditRoutes(deps: AuditApiDeps): Route[] {
  const { store, configurations, tasks } = deps;
  return [
    {
      operation: 'UpdateAccountAuditConfiguration',
      method: 'PATCH',
      path: '/audit/configuration',
      handler: async ({ body }) => {
        await configurations.update(parseBody(updateConfigurationBody, body));
      },
    },
    {
      operation: 'DescribeAccountAuditConfiguration',
      method: 'GET',
      path: '/audit/configuration',
      handler: async () => {
        const configuration = await configurations.describe();
        return {
          body: {
            roleArn: configuration.roleArn,
            auditNotificationTargetConfigurations: configuration.notificationTargets,
            auditCheckConfigurations: configuration.checks,
          },
        };
      },
    },
    {
      operation: 'DeleteAccountAuditConfiguration',
      method: 'DELETE',
      path: '/audit/configuration',
      handler: async ({ query }) => {
        const deleteScheduled = new Query(query).boolean('deleteScheduledAudits') ?? false;
        await configurations.delete(deleteScheduled, await deps.scheduledCount());
        if (deleteScheduled) await deps.deleteScheduled();
      },
    },
    {
      operation: 'StartOnDemandAuditTask',
      method: 'POST',
      path: '/audit/tasks',
      handler: async ({ body }) => {
        const task = await tasks.start({
          checkNames: parseBody(startBody, body).targetCheckNames,
          taskType: 'ON_DEMAND_AUDIT_TASK',
        });
        return { body: { taskId: task.taskId } };
      },
    },
    {
      operation: 'CancelAuditTask',
      method: 'PUT',
      path: '/audit/tasks/{taskId}/cancel',
      handler: async ({ params }) => {
        await tasks.cancel(parseParam(taskId, 'taskId', params['taskId']));
      },
    },
    {
      operation: 'DescribeAuditTask',
      method: 'GET',
      path: '/audit/tasks/{taskId}',
      handler: async ({ params }) => {
        const id = parseParam(taskId, 'taskId', params['taskId']);
        const task = await store.getTask(id);
        if (!task) throw notFound(`Audit task "${id}" does not exist`);
        return { body: describeTask(task) };
      },
    },
    {
      operation: 'ListAuditTasks',
      method: 'GET',
      path: '/audit/tasks',
      handler: async ({ query }) => {
        const q = new Query(query);
        q.required('startTime');
        q.required('endTime');
        const type = q.oneOf('taskType', ['ON_DEMAND_AUDIT_TASK', 'SCHEDULED_AUDIT_TASK'] as const);
        const status = q.oneOf('taskStatus', [
          'IN_PROGRESS',
          'COMPLETED',
          'FAILED',
          'CANCELED',
        ] as const);
        const all = await store.listTasks(q.time('startTime') ?? 0, q.time('endTime') ?? 0);
        const selected = all.filter(
          (task) =>
            (type === undefined || task.taskType === type) &&
            (status === undefined || task.taskStatus === status),
        );
        const page = paginate(
          selected,
          q.string('nextToken'),
          q.integer('maxResults', { min: 1, max: 250 }) ?? 25,
        );
        return {
          body: {
            tasks: page.items.map((task) => ({
              taskId: task.taskId,
              taskStatus: task.taskStatus,
              taskType: task.taskType,
            })),
            nextToken: page.nextToken,
          },
        };
      },
    },
    ...findingRoutes(store),
  ];
}

function findingRoutes(store: AuditStore): Route[] {
  return [
    {
      operation: 'ListAuditFindings',
      method: 'POST',
      path: '/audit/findings',
      handler: async ({ body }) => {
        const input = parseBody(findingsBody, body);
        const byTime = input.startTime !== undefined || input.endTime !== undefined;
        if (input.taskId !== undefined && byTime)
          throw invalidRequest('Give either taskId or startTime and endTime, not both');
        if (byTime && (input.startTime === undefined || input.endTime === undefined))
          throw invalidRequest('startTime and endTime must be given together');
        const findings = await store.listFindings({
          taskId: input.taskId,
          checkName: input.checkName,
          resourceKey:
            input.resourceIdentifier === undefined
              ? undefined
              : resourceKey(toIdentifier(input.resourceIdentifier)),
          startTime: input.startTime === undefined ? undefined : input.startTime * 1000,
          endTime: input.endTime === undefined ? undefined : input.endTime * 1000,
          suppressed: input.listSuppressedFindings,
        });
        const page = paginate(findings, input.nextToken, input.maxResults ?? 25);
        return { body: { findings: page.items.map(findingShape), nextToken: page.nextToken } };
      },
    },
    {
      operation: 'DescribeAuditFinding',
      method: 'GET',
      path: '/audit/findings/{findingId}',
      handler: async ({ params }) => {
        const id = parseParam(findingId, 'findingId', params['findingId']);
        const finding = await store.getFinding(id);
        if (!finding) throw notFound(`Audit finding "${id}" does not exist`);
        return { body: { finding: findingShape(finding) } };
      },
    },
    {
      operation: 'ListRelatedResourcesForAuditFinding',
      method: 'GET',
      path: '/audit/relatedResources',
      handler: async ({ query }) => {
        const q = new Query(query);
        const id = parseParam(findingId, 'findingId', q.required('findingId'));
        const finding = await store.getFinding(id);
        if (!finding) throw notFound(`Audit finding "${id}" does not exist`);
        const page = paginate(
          finding.relatedResources,
          q.string('nextToken'),
          q.integer('maxResults', { min: 1, max: 250 }) ?? 25,
        );
        return { body: { relatedResources: page.items, nextToken: page.nextToken } };
      },
    },
  ];
}

/** The DescribeAuditTask body, with task statistics counted from the per-check statuses. */
export function describeTask(task: AuditTask) {
  const statuses = Object.values(task.checks).map((check) => check.checkRunStatus);
  const count = (status: string) => statuses.filter((value) => value === status).length;
  return {
    taskStatus: task.taskStatus,
    taskType: task.taskType,
    taskStartTime: toEpochSeconds(task.startTime),
    taskStatistics: {
      totalChecks: statuses.length,
      inProgressChecks: count('IN_PROGRESS'),
      waitingForDataCollectionChecks: count('WAITING_FOR_DATA_COLLECTION'),
      compliantChecks: count('COMPLETED_COMPLIANT'),
      nonCompliantChecks: count('COMPLETED_NON_COMPLIANT'),
      failedChecks: count('FAILED'),
      canceledChecks: count('CANCELED'),
    },
    scheduledAuditName: task.scheduledAuditName,
    auditDetails: task.checks,
  };
}

function findingShape(finding: StoredFinding) {
  return {
    findingId: finding.findingId,
    taskId: finding.taskId,
    checkName: finding.checkName,
    taskStartTime: toEpochSeconds(finding.taskStartTime),
    findingTime: toEpochSeconds(finding.findingTime),
    severity: finding.severity,
    nonCompliantResource: finding.nonCompliantResource,
    relatedResources: finding.relatedResources.slice(0, EMBEDDED_RELATED),
    reasonForNonCompliance: finding.reasonForNonCompliance,
    reasonForNonComplianceCode: finding.reasonForNonComplianceCode,
    isSuppressed: finding.isSuppressed,
    techniques: techniquesOfFinding(finding),
  };
}
