import { z } from 'zod';
import { fields } from '../../api/validation.ts';
import {
  PARAMS_MEMBER,
  type MitigationActionParams,
  type MitigationActionType,
} from '../mitigation-types.ts';

/**
 * The `MitigationActionParams` union of the AWS IoT service model, plus the members of Warden's
 * own action types. The AWS SDKs serialize only the six AWS members, so `disconnectClientParams`,
 * `banParams` and `throttlePublishParams` reach Warden through the REST API and `warden apply`.
 */

/** A ban or a publish throttle lasts from one minute to 30 days. */
export const MIN_DURATION_SECONDS = 60;
export const MAX_DURATION_SECONDS = 30 * 24 * 3600;

/** A publish throttle allows 1 to 60,000 messages per minute, 1,000 per second at most. */
export const MAX_MESSAGES_PER_MINUTE = 60_000;

/**
 * A SOURCE_IP ban covers a range of 16 to 128 prefix bits. Values above 32 only narrow IPv6
 * sources; 16 keeps one ban from blocking more than 65,536 IPv4 addresses.
 */
export const MIN_SOURCE_IP_PREFIX_LENGTH = 16;
export const MAX_SOURCE_IP_PREFIX_LENGTH = 128;

const roleArn = z.string().min(20).max(2048);
const duration = z.number().int().min(MIN_DURATION_SECONDS).max(MAX_DURATION_SECONDS);

/** The request schema of `actionParams`; members are checked here, the union rules below. */
export const actionParamsSchema = z.strictObject({
  updateDeviceCertificateParams: z.strictObject({ action: z.enum(['DEACTIVATE']) }).optional(),
  updateCACertificateParams: z.strictObject({ action: z.enum(['DEACTIVATE']) }).optional(),
  addThingsToThingGroupParams: z
    .strictObject({
      thingGroupNames: z.array(fields.thingGroupName).min(1).max(10),
      overrideDynamicGroups: z.boolean().optional(),
    })
    .optional(),
  replaceDefaultPolicyVersionParams: z
    .strictObject({ templateName: z.enum(['BLANK_POLICY']) })
    .optional(),
  enableIoTLoggingParams: z
    .strictObject({
      roleArnForLogging: roleArn,
      logLevel: z.enum(['DEBUG', 'INFO', 'ERROR', 'WARN', 'DISABLED']),
    })
    .optional(),
  publishFindingToSnsParams: z.strictObject({ topicArn: z.string().max(350) }).optional(),
  disconnectClientParams: z.strictObject({}).optional(),
  banParams: z
    .strictObject({
      scope: z.enum(['CLIENT_ID', 'CERTIFICATE', 'SOURCE_IP']),
      durationSeconds: duration,
      sourceIpPrefixLength: z
        .number()
        .int()
        .min(MIN_SOURCE_IP_PREFIX_LENGTH)
        .max(MAX_SOURCE_IP_PREFIX_LENGTH)
        .optional(),
      reason: z
        .string()
        .max(1000)
        .regex(/^[^\p{Cc}]*$/u)
        .optional(),
    })
    .optional(),
  throttlePublishParams: z
    .strictObject({
      messagesPerMinute: z.number().int().min(1).max(MAX_MESSAGES_PER_MINUTE),
      durationSeconds: duration,
    })
    .optional(),
});

/** Parsed `actionParams` before the union rules ran; `logLevel` may still be DISABLED. */
export type ActionParamsInput = z.infer<typeof actionParamsSchema>;

/** One reason an `actionParams` value is invalid, located by its path in the request. */
export interface ActionParamsProblem {
  code: 'MEMBER_COUNT' | 'LOGGING_DISABLED' | 'PREFIX_WITHOUT_SOURCE_IP';
  path: string;
  message: string;
}

const MEMBER_TYPES = new Map(
  Object.entries(PARAMS_MEMBER).map(([type, member]) => [member, type as MitigationActionType]),
);

/**
 * Lists what makes parsed `actionParams` invalid as a whole: it must set exactly one member, an
 * ENABLE_IOT_LOGGING action must not set the level DISABLED, and only a SOURCE_IP ban takes a
 * prefix length. An empty list means the value is a valid `MitigationActionParams`.
 */
export function actionParamsProblems(params: ActionParamsInput): ActionParamsProblem[] {
  const members = setMembers(params);
  if (members.length !== 1) {
    const found =
      members.length === 0 ? 'none' : `${members.length} (${members.map(quote).join(', ')})`;
    return [
      {
        code: 'MEMBER_COUNT',
        path: 'actionParams',
        message: `Invalid actionParams: must set exactly one member, found ${found}`,
      },
    ];
  }

  const problems: ActionParamsProblem[] = [];
  if (params.enableIoTLoggingParams?.logLevel === 'DISABLED') {
    problems.push({
      code: 'LOGGING_DISABLED',
      path: 'actionParams.enableIoTLoggingParams.logLevel',
      message:
        'Invalid logLevel "DISABLED" at "actionParams.enableIoTLoggingParams.logLevel": ENABLE_IOT_LOGGING must set DEBUG, INFO, WARN or ERROR',
    });
  }
  const ban = params.banParams;
  if (ban?.sourceIpPrefixLength !== undefined && ban.scope !== 'SOURCE_IP') {
    problems.push({
      code: 'PREFIX_WITHOUT_SOURCE_IP',
      path: 'actionParams.banParams.sourceIpPrefixLength',
      message: `Invalid sourceIpPrefixLength "${ban.sourceIpPrefixLength}" at "actionParams.banParams.sourceIpPrefixLength": only a SOURCE_IP ban takes a prefix length, this one has scope ${ban.scope}`,
    });
  }
  return problems;
}

/**
 * Returns the action type that the one set member of valid `actionParams` names.
 * @throws TypeError when the value sets no member or several, which validation rules out.
 */
export function actionTypeOf(
  params: MitigationActionParams | ActionParamsInput,
): MitigationActionType {
  const members = setMembers(params);
  const member = members.length === 1 ? members[0] : undefined;
  const type = member === undefined ? undefined : MEMBER_TYPES.get(member);
  if (type === undefined)
    throw new TypeError(`actionParams must set exactly one member, found ${members.length}`);
  return type;
}

function setMembers(params: object): (keyof MitigationActionParams)[] {
  return Object.entries(params)
    .filter(([member, value]) => value !== undefined && MEMBER_TYPES.has(member as never))
    .map(([member]) => member as keyof MitigationActionParams);
}

function quote(text: string): string {
  return `"${text}"`;
}
