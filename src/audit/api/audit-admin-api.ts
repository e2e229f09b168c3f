import { z } from 'zod';
import { paginate } from '../../api/pagination.ts';
import { Query } from '../../api/query.ts';
import type { Route } from '../../api/route.ts';
import { toEpochSeconds } from '../../api/timestamps.ts';
import { fields, parseBody, parseParam } from '../../api/validation.ts';
import type { ScheduledAudit } from '../audit-records.ts';
import type { ScheduledAudits } from '../scheduled-audits.ts';
import type { Suppressions } from '../suppressions.ts';
import {
  checkName,
  description,
  epochSeconds,
  resourceIdentifier,
  toIdentifier,
} from './audit-schemas.ts';

const key = { checkName, resourceIdentifier };
const createSuppressionBody = z.strictObject({
  ...key,
  expirationDate: epochSeconds.optional(),
  suppressIndefinitely: z.boolean().optional(),
  description: description.optional(),
  clientRequestToken: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-zA-Z0-9-_]+$/),
});
const updateSuppressionBody = z.strictObject({
  ...key,
  expirationDate: epochSeconds.optional(),
  suppressIndefinitely: z.boolean().optional(),
  description: description.optional(),
});
const keyBody = z.strictObject(key);
const listSuppressionsBody = z.strictObject({
  checkName: checkName.optional(),
  resourceIdentifier: resourceIdentifier.optional(),
  ascendingOrder: z.boolean().optional(),
  nextToken: z.string().optional(),
  maxResults: z.number().int().min(1).max(250).optional(),
});

const frequency = z.enum(['DAILY', 'WEEKLY', 'BIWEEKLY', 'MONTHLY']);
const dayOfWeek = z.enum(['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']);
const dayOfMonth = z.string().regex(/^([1-9]|[12][0-9]|3[01])$|^LAST$/);
const createScheduleBody = z.strictObject({
  frequency,
  dayOfMonth: dayOfMonth.optional(),
  dayOfWeek: dayOfWeek.optional(),
  targetCheckNames: z.array(checkName),
  tags: fields.tags,
});
const updateScheduleBody = z.strictObject({
  frequency: frequency.optional(),
  dayOfMonth: dayOfMonth.optional(),
  dayOfWeek: dayOfWeek.optional(),
  targetCheckNames: z.array(checkName).optional(),
});
const scheduleName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9_-]+$/);

/** Routes for audit suppressions and scheduled audits. */
export function auditAdminRoutes(
  suppressions: Suppressions,
  schedules: ScheduledAudits,
  arnOf: (name: string) => string,
): Route[] {
  const millis = (seconds: number | undefined) =>
    seconds === undefined ? undefined : seconds * 1000;
  const name = (params: Record<string, string>) =>
    parseParam(scheduleName, 'scheduledAuditName', params['scheduledAuditName']);
  const describe = (audit: ScheduledAudit) => ({
    frequency: audit.frequency,
    dayOfMonth: audit.dayOfMonth,
    dayOfWeek: audit.dayOfWeek,
    targetCheckNames: audit.targetCheckNames,
    scheduledAuditName: audit.scheduledAuditName,
    scheduledAuditArn: arnOf(audit.scheduledAuditName),
  });
  return [
    {
      operation: 'CreateAuditSuppression',
      method: 'POST',
      path: '/audit/suppressions/create',
      handler: async ({ body }) => {
        const input = parseBody(createSuppressionBody, body);
        await suppressions.create({
          ...input,
          resourceIdentifier: toIdentifier(input.resourceIdentifier),
          expirationDate: millis(input.expirationDate),
        });
      },
    },
    {
      operation: 'UpdateAuditSuppression',
      method: 'PATCH',
      path: '/audit/suppressions/update',
      handler: async ({ body }) => {
        const input = parseBody(updateSuppressionBody, body);
        await suppressions.update({
          ...input,
          resourceIdentifier: toIdentifier(input.resourceIdentifier),
          expirationDate: millis(input.expirationDate),
        });
      },
    },
    {
      operation: 'DeleteAuditSuppression',
      method: 'POST',
      path: '/audit/suppressions/delete',
      handler: async ({ body }) => {
        const input = parseBody(keyBody, body);
        await suppressions.delete(input.checkName, toIdentifier(input.resourceIdentifier));
      },
    },
    {
      operation: 'DescribeAuditSuppression',
      method: 'POST',
      path: '/audit/suppressions/describe',
      handler: async ({ body }) => {
        const input = parseBody(keyBody, body);
        const found = await suppressions.require(
          input.checkName,
          toIdentifier(input.resourceIdentifier),
        );
        return { body: suppressionShape(found) };
      },
    },
    {
      operation: 'ListAuditSuppressions',
      method: 'POST',
      path: '/audit/suppressions/list',
      handler: async ({ body }) => {
        const input = parseBody(listSuppressionsBody, body);
        const identifier =
          input.resourceIdentifier === undefined
            ? undefined
            : toIdentifier(input.resourceIdentifier);
        const all = await suppressions.list({
          checkName: input.checkName,
          resourceIdentifier: identifier,
          ascendingOrder: input.ascendingOrder,
        });
        const page = paginate(all, input.nextToken, input.maxResults ?? 25);
        return {
          body: { suppressions: page.items.map(suppressionShape), nextToken: page.nextToken },
        };
      },
    },
    {
      operation: 'CreateScheduledAudit',
      method: 'POST',
      path: '/audit/scheduledaudits/{scheduledAuditName}',
      handler: async ({ params, body }) => {
        const input = parseBody(createScheduleBody, body);
        const audit = await schedules.create(
          name(params),
          { frequency: input.frequency, dayOfWeek: input.dayOfWeek, dayOfMonth: input.dayOfMonth },
          input.targetCheckNames,
        );
        return { body: { scheduledAuditArn: arnOf(audit.scheduledAuditName) } };
      },
    },
    {
      operation: 'UpdateScheduledAudit',
      method: 'PATCH',
      path: '/audit/scheduledaudits/{scheduledAuditName}',
      handler: async ({ params, body }) => {
        const input = parseBody(updateScheduleBody, body);
        const rule = JSON.parse(
          JSON.stringify({
            frequency: input.frequency,
            dayOfWeek: input.dayOfWeek,
            dayOfMonth: input.dayOfMonth,
          }),
        ) as Parameters<ScheduledAudits['update']>[1];
        const audit = await schedules.update(name(params), rule, input.targetCheckNames);
        return { body: { scheduledAuditArn: arnOf(audit.scheduledAuditName) } };
      },
    },
    {
      operation: 'DeleteScheduledAudit',
      method: 'DELETE',
      path: '/audit/scheduledaudits/{scheduledAuditName}',
      handler: async ({ params }) => {
        await schedules.delete(name(params));
      },
    },
    {
      operation: 'DescribeScheduledAudit',
      method: 'GET',
      path: '/audit/scheduledaudits/{scheduledAuditName}',
      handler: async ({ params }) => ({ body: describe(await schedules.require(name(params))) }),
    },
    {
      operation: 'ListScheduledAudits',
      method: 'GET',
      path: '/audit/scheduledaudits',
      handler: async ({ query }) => {
        const q = new Query(query);
        const page = paginate(
          await schedules.list(),
          q.string('nextToken'),
          q.integer('maxResults', { min: 1, max: 250 }) ?? 25,
        );
        const scheduledAudits = page.items.map((audit) => ({
          scheduledAuditName: audit.scheduledAuditName,
          scheduledAuditArn: arnOf(audit.scheduledAuditName),
          frequency: audit.frequency,
          dayOfMonth: audit.dayOfMonth,
          dayOfWeek: audit.dayOfWeek,
        }));
        return { body: { scheduledAudits, nextToken: page.nextToken } };
      },
    },
  ];
}

function suppressionShape(suppression: {
  checkName: string;
  resourceIdentifier: object;
  expirationDate?: number;
  suppressIndefinitely?: boolean;
  description?: string;
}) {
  return {
    checkName: suppression.checkName,
    resourceIdentifier: suppression.resourceIdentifier,
    expirationDate:
      suppression.expirationDate === undefined
        ? undefined
        : toEpochSeconds(suppression.expirationDate),
    suppressIndefinitely: suppression.suppressIndefinitely,
    description: suppression.description,
  };
}
