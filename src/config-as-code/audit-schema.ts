/**
 * The audit sections of a fleet file: `auditConfiguration` (the members of
 * UpdateAccountAuditConfiguration), `scheduledAudits` and `auditSuppressions`, with AWS member
 * names. Scheduled audits and suppressions are checked here for the member combinations that
 * Warden would reject, so such a file fails before anything is sent.
 */

import { z } from 'zod';
import { resourceIdentifier } from '../audit/api/audit-schemas.ts';
import { roleArn } from './security-profile-schema.ts';

export const checkName = z
  .string()
  .regex(/^[A-Z0-9_]{1,128}$/, 'must be an audit check name such as LOGGING_DISABLED_CHECK');

const checkConfiguration = z.strictObject({
  enabled: z.boolean(),
  configuration: z.record(z.string().min(1), z.string().min(1).max(64)).optional(),
});

export const auditConfigurationSpec = z.strictObject({
  roleArn,
  auditCheckConfigurations: z.record(checkName, checkConfiguration),
  auditNotificationTargetConfigurations: z
    .strictObject({
      SNS: z
        .strictObject({ targetArn: z.string().min(1).max(2048), roleArn, enabled: z.boolean() })
        .optional(),
    })
    .optional(),
});

const DAYS_OF_WEEK = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
const DAY_OF_MONTH_RULE = 'must be a day of the month 1-31 or LAST';

/** `dayOfMonth` is a string in the API; a YAML number such as `15` is read as "15". */
const dayOfMonth = z
  .union([z.string(), z.number()])
  .transform((day) => String(day))
  .refine((day) => /^([1-9]|[12][0-9]|3[01]|LAST)$/.test(day), DAY_OF_MONTH_RULE);

export const scheduledAuditSpec = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-zA-Z0-9_-]{1,128}$/, 'must be 1-128 characters of a-z, A-Z, 0-9, "_" and "-"'),
    frequency: z.enum(['DAILY', 'WEEKLY', 'BIWEEKLY', 'MONTHLY']),
    dayOfWeek: z.enum(DAYS_OF_WEEK).optional(),
    dayOfMonth: dayOfMonth.optional(),
    targetCheckNames: z.array(checkName).min(1),
  })
  .superRefine((audit, context) => {
    const weekly = audit.frequency === 'WEEKLY' || audit.frequency === 'BIWEEKLY';
    const monthly = audit.frequency === 'MONTHLY';
    const problem = (path: string, message: string) =>
      context.addIssue({ code: 'custom', path: [path], message });
    if (weekly && audit.dayOfWeek === undefined)
      problem('dayOfWeek', `is required when frequency is ${audit.frequency}`);
    if (monthly && audit.dayOfMonth === undefined)
      problem('dayOfMonth', 'is required when frequency is MONTHLY');
    if (!weekly && audit.dayOfWeek !== undefined)
      problem('dayOfWeek', `is used only with WEEKLY or BIWEEKLY, not ${audit.frequency}`);
    if (!monthly && audit.dayOfMonth !== undefined)
      problem('dayOfMonth', `is used only with MONTHLY, not ${audit.frequency}`);
  });

/** An ISO 8601 time or epoch seconds (the API's form), read as an ISO 8601 string in UTC. */
const expirationDate = z
  .union([z.string(), z.number().nonnegative()])
  .refine(
    (value) =>
      typeof value === 'number' || /^\d{4}-\d\d-\d\d(T[\d:.]+(Z|[+-]\d\d:?\d\d)?)?$/.test(value),
    'must be an ISO 8601 time such as 2030-01-31T00:00:00Z or epoch seconds',
  )
  .transform((value) => new Date(typeof value === 'number' ? value * 1000 : value))
  .refine((date) => !Number.isNaN(date.getTime()), 'must be a valid date')
  .transform((date) => date.toISOString());

export const auditSuppressionSpec = z
  .strictObject({
    checkName,
    resourceIdentifier,
    expirationDate: expirationDate.optional(),
    suppressIndefinitely: z.boolean().optional(),
    description: z
      .string()
      .max(1000)
      .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters')
      .optional(),
  })
  .superRefine((suppression, context) => {
    const indefinite = suppression.suppressIndefinitely === true;
    if (indefinite !== (suppression.expirationDate !== undefined)) return;
    context.addIssue({
      code: 'custom',
      path: [],
      message: 'must set exactly one of expirationDate and suppressIndefinitely: true',
    });
  });

export type AuditConfigurationSpec = z.infer<typeof auditConfigurationSpec>;
export type ScheduledAuditSpec = z.infer<typeof scheduledAuditSpec>;
export type AuditSuppressionSpec = z.infer<typeof auditSuppressionSpec>;
