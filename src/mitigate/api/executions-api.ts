import { techniquesForAction } from '../../attack/catalog.ts';
import { z } from 'zod';
import { paginate } from '../../api/pagination.ts';
import { Query } from '../../api/query.ts';
import type { Route } from '../../api/route.ts';
import { toEpochSeconds } from '../../api/timestamps.ts';
import { fields, parseParam } from '../../api/validation.ts';
import { invalidRequest, notFound } from '../../core/errors.ts';
import type { ExecutionQuery, MitigationStore } from '../mitigation-store.ts';
import type { ExecutionRecord } from '../mitigation-types.ts';
import type { Mitigator } from '../mitigator.ts';

const executionId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9._:-]+$/);
/** Task ids of AWS mitigation tasks, plus the `auto-response:RULE` ids of auto-responses. */
const taskId = z
  .string()
  .min(1)
  .max(160)
  .regex(/^[a-zA-Z0-9:_-]+$/);
const violationId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9-]+$/);
const findingId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9_-]+$/);

/**
 * Warden's routes for the executions of mitigation actions, from tasks, auto-responses or by
 * hand, and for rolling one back. AWS has per-task execution lists and no rollback.
 */
export function executionRoutes(store: MitigationStore, mitigator: Mitigator): Route[] {
  const idOf = (params: Record<string, string>) =>
    parseParam(executionId, 'executionId', params['executionId']);
  return [
    {
      operation: 'ListMitigationExecutions',
      method: 'GET',
      path: '/warden/mitigations/executions',
      handler: async ({ query }) => {
        const q = new Query(query);
        const executions = await store.listExecutions(executionQuery(q));
        const maxResults = q.integer('maxResults', { min: 1, max: 250 }) ?? 50;
        const page = paginate(executions, q.string('nextToken'), maxResults);
        return { body: { executions: page.items.map(summaryView), nextToken: page.nextToken } };
      },
    },
    {
      operation: 'DescribeMitigationExecution',
      method: 'GET',
      path: '/warden/mitigations/executions/{executionId}',
      handler: async ({ params }) => ({
        body: executionView(await requireExecution(store, idOf(params))),
      }),
    },
    {
      operation: 'RollBackMitigationExecution',
      method: 'POST',
      path: '/warden/mitigations/executions/{executionId}/rollback',
      // The Mitigator decides what can be undone (dry runs, repeated or concurrent rollbacks,
      // irreversible action types) and raises WardenErrors whose codes and messages pass through.
      handler: async ({ params }) => {
        const execution = await requireExecution(store, idOf(params));
        return { body: executionView(await mitigator.rollback(execution.executionId)) };
      },
    },
  ];
}

/** Reads the list filters. Times are ISO-8601 or epoch seconds, as in other AWS list queries. */
function executionQuery(q: Query): ExecutionQuery {
  const optional = <S extends z.ZodType>(schema: S, name: string) => {
    const raw = q.string(name);
    return raw === undefined ? undefined : (parseParam(schema, name, raw) as z.infer<S>);
  };
  const query: ExecutionQuery = {
    taskId: optional(taskId, 'taskId'),
    thingName: optional(fields.thingName, 'thingName'),
    violationId: optional(violationId, 'violationId'),
    findingId: optional(findingId, 'findingId'),
    startTime: q.time('startTime'),
    endTime: q.time('endTime'),
  };
  if (
    query.startTime !== undefined &&
    query.endTime !== undefined &&
    query.startTime > query.endTime
  )
    throw invalidRequest(
      `Invalid time range: startTime "${q.string('startTime')}" is after endTime "${q.string('endTime')}"`,
    );
  return query;
}

async function requireExecution(store: MitigationStore, id: string): Promise<ExecutionRecord> {
  const execution = await store.getExecution(id);
  if (!execution) throw notFound(`Execution "${id}" does not exist`);
  return execution;
}

/** Renders an execution with its times in epoch seconds and its state before and after. */
export function executionView(execution: ExecutionRecord) {
  return {
    ...summaryView(execution),
    target: execution.target,
    before: execution.before,
    after: execution.after,
  };
}

/** Renders an execution for a list, without its state and without the target's subject. */
function summaryView(execution: ExecutionRecord) {
  const { subject: _subject, ...target } = execution.target;
  return {
    executionId: execution.executionId,
    taskId: execution.taskId,
    source: execution.source,
    actionName: execution.actionName,
    actionId: execution.actionId,
    actionType: execution.actionType,
    target,
    status: execution.status,
    dryRun: execution.dryRun,
    startTime: toEpochSeconds(execution.startTime),
    endTime: seconds(execution.endTime),
    errorCode: execution.errorCode,
    message: execution.message,
    rolledBackAt: seconds(execution.rolledBackAt),
    rollbackMessage: execution.rollbackMessage,
    techniques: techniquesForAction(execution.actionType),
  };
}

function seconds(milliseconds: number | undefined): number | undefined {
  return milliseconds === undefined ? undefined : toEpochSeconds(milliseconds);
}
