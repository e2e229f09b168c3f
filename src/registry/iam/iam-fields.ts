import { z } from 'zod';
import type { Arns } from '../arn.ts';

/**
 * IAM role ARNs: any AWS partition, a 12-digit account, an optional path and a role name.
 * Sources: the IAM API reference for CreateRole (RoleName `[\w+=,.@-]+`, 1 to 64 characters; Path
 * of printable ASCII between slashes) and the IAM identifiers page for the ARN layout.
 */
const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:role\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64})$/;

/** ISO-8601 date and time with seconds and an explicit zone, as in `2026-05-01T12:00:00Z`. */
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** Returns the role name an IAM role ARN ends with, or undefined when the text is not a role ARN. */
export function roleNameOfArn(arn: string): string | undefined {
  return ROLE_ARN.exec(arn)?.[1];
}

/** Builds the ARN Warden gives a role stored without one: no path, in the registry's account. */
export function defaultRoleArn(arns: Arns, roleName: string): string {
  return `arn:aws:iam::${arns.accountId}:role/${roleName}`;
}

/** Builds the AWS IoT role alias ARN, `arn:aws:iot:REGION:ACCOUNT:rolealias/NAME`. */
export function roleAliasArn(arns: Arns, roleAlias: string): string {
  return `arn:aws:iot:${arns.region}:${arns.accountId}:rolealias/${roleAlias}`;
}

/** Orders names by UTF-16 code units, so listings do not depend on the server's locale. */
export function compareNames(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * Epoch seconds above this (the year 5138) are rejected: they are almost surely epoch milliseconds,
 * which would otherwise be read as a time thousands of years away.
 */
const MAX_EPOCH_SECONDS = 1e11;

/**
 * Schema of a time given as an ISO-8601 string or as epoch seconds, read into epoch milliseconds.
 * Epoch seconds match the timestamps the rest of the API returns.
 */
const time = z.unknown().transform((value, context): number => {
  if (typeof value === 'number' && value >= 0 && value <= MAX_EPOCH_SECONDS) {
    return Math.round(value * 1000);
  }
  if (typeof value === 'string' && isCalendarTime(value)) return Date.parse(value);
  context.addIssue({
    code: 'custom',
    message: 'Member must be an ISO-8601 time with a zone, or epoch seconds',
  });
  return z.NEVER;
});

/** Checks the fields too, because Date.parse rolls `2026-02-30` over to March 2. */
function isCalendarTime(text: string): boolean {
  const fields = ISO_TIME.exec(text)?.slice(1).map(Number);
  if (fields === undefined) return false;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = fields;
  const [zoneHour = 0, zoneMinute = 0] = fields.slice(6).map((field) => field || 0);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    zoneHour <= 23 &&
    zoneMinute <= 59
  );
}

/** RoleArn of the AWS IoT model (20 to 2048 characters), which must also be an IAM role ARN. */
const roleArn = z
  .string()
  .min(20, { abort: true })
  .max(2048, { abort: true })
  .refine((value) => ROLE_ARN.test(value), {
    message: 'Member must be an IAM role ARN, arn:aws:iam::ACCOUNT:role/NAME',
  });

const SERVICE_NAMESPACE = /^[a-z0-9-]{1,64}$/;

/**
 * IAM service namespace (the part of an action before the colon, such as `iot`) to a time. Keys
 * are checked here rather than by a key schema so the message can name the key.
 */
const serviceLastUsed = z.record(z.string(), time).superRefine((record, context) => {
  for (const key of Object.keys(record)) {
    if (SERVICE_NAMESPACE.test(key)) continue;
    context.addIssue({
      code: 'custom',
      message: `Member must use IAM service namespaces as keys (up to 64 lowercase letters, digits and hyphens, such as "iot"), not ${JSON.stringify(key)}`,
    });
  }
});

/** Field schemas of role aliases, IAM roles and identity pools, with the AWS names and limits. */
export const iamFields = {
  /** RoleAlias of the AWS IoT model. */
  roleAlias: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\w=,@-]+$/),
  /** RoleName of the IAM API. */
  roleName: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[\w+=,.@-]+$/),
  /** IdentityPoolId of the Cognito identity API, such as `us-east-1:0f3e…`. */
  identityPoolId: z
    .string()
    .min(1)
    .max(55)
    .regex(/^[\w-]+:[0-9a-f-]+$/),
  roleArn,
  /** CredentialDurationSeconds of the AWS IoT model. */
  credentialDurationSeconds: z.number().int().min(900).max(43200),
  /** An IAM service namespace, the part of an action before the colon, such as `iot`. */
  serviceNamespace: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9-]+$/),
  time,
  serviceLastUsed,
  /** Tag list of the AWS IoT model (TagKey 1 to 128 characters, TagValue to 256), at most 50. */
  tags: z
    .array(
      z.strictObject({
        Key: z
          .string()
          .min(1)
          .max(128)
          .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u),
        Value: z.string().max(256).optional(),
      }),
    )
    .max(50),
};
