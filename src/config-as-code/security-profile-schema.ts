/**
 * The `securityProfiles` section of a fleet file. Members are those of CreateSecurityProfile in
 * the AWS IoT API (`Behavior`, `BehaviorCriteria`, `MetricValue`, `MetricToRetain`), except
 * `name`, `description` and `targets`, which stand for the path parameter, the
 * `securityProfileDescription` member and the AttachSecurityProfile calls.
 */

import { z } from 'zod';
import {
  COMPARISON_OPERATORS,
  CONFIDENCE_LEVELS,
  DIMENSION_VALUE_OPERATORS,
  EVALUATION_STATISTICS,
} from '../detect/behavior.ts';

export const NAME_RULE = 'must be 1-128 characters of a-z, A-Z, 0-9, ":", "_" and "-"';

/** The `[a-zA-Z0-9:_-]+` names of profiles, behaviors, metrics, dimensions and thing groups. */
export const resourceName = z.string().regex(/^[a-zA-Z0-9:_-]{1,128}$/, NAME_RULE);

export const roleArn = z.string().min(20).max(2048);

/** The account-wide targets of Device Defender, in the short form fleet files use. */
export const ACCOUNT_TARGETS = ['all/things', 'all/registered-things', 'all/unregistered-things'];

const TARGET_RULE = `must be a thing group name, ${ACCOUNT_TARGETS.join(', ')}, or the ARN of one`;

/**
 * Returns the short form of a profile target: a thing group name or an `all/...` target. ARNs
 * from any region and account are accepted, as Warden accepts them, so targets can be pasted.
 */
export function shortTarget(target: string): string | undefined {
  const resource = /^arn:aws:iot:[^:]*:[^:]*:(.+)$/.exec(target)?.[1] ?? target;
  if (ACCOUNT_TARGETS.includes(resource)) return resource;
  const group = resource.startsWith('thinggroup/')
    ? resource.slice('thinggroup/'.length)
    : resource;
  if (resource === target && group !== resource) return undefined;
  return /^[a-zA-Z0-9:_-]{1,128}$/.test(group) ? group : undefined;
}

const metricDimension = z.strictObject({
  dimensionName: resourceName,
  operator: z.enum(DIMENSION_VALUE_OPERATORS).optional(),
});

const metricValue = z.strictObject({
  count: z.number().int().min(0).optional(),
  cidrs: z.array(z.string().min(1)).optional(),
  ports: z.array(z.number().int().min(0).max(65535)).optional(),
  number: z.number().optional(),
  numbers: z.array(z.number()).optional(),
  strings: z.array(z.string()).optional(),
});

const datapoints = z.number().int().min(1).max(10);

const criteria = z.strictObject({
  comparisonOperator: z.enum(COMPARISON_OPERATORS).optional(),
  value: metricValue.optional(),
  durationSeconds: z.number().int().min(0).optional(),
  consecutiveDatapointsToAlarm: datapoints.optional(),
  consecutiveDatapointsToClear: datapoints.optional(),
  statisticalThreshold: z
    .strictObject({ statistic: z.enum(EVALUATION_STATISTICS).optional() })
    .optional(),
  mlDetectionConfig: z.strictObject({ confidenceLevel: z.enum(CONFIDENCE_LEVELS) }).optional(),
});

/** A `Behavior`. Warden requires `metric` and `criteria`, which the service model leaves out. */
export const behaviorSpec = z.strictObject({
  name: resourceName,
  metric: z.string().min(1).max(128),
  metricDimension: metricDimension.optional(),
  criteria,
  suppressAlerts: z.boolean().optional(),
  exportMetric: z.boolean().optional(),
});

const metricToRetain = z.strictObject({
  metric: z.string().min(1).max(128),
  metricDimension: metricDimension.optional(),
  exportMetric: z.boolean().optional(),
});

export const securityProfileSpec = z.strictObject({
  name: resourceName,
  description: z.string().max(1000).optional(),
  behaviors: z.array(behaviorSpec).max(100).optional(),
  alertTargets: z
    .strictObject({
      SNS: z.strictObject({ alertTargetArn: z.string().min(1).max(2048), roleArn }).optional(),
    })
    .optional(),
  additionalMetricsToRetainV2: z.array(metricToRetain).optional(),
  metricsExportConfig: z
    .strictObject({ mqttTopic: z.string().min(1).max(512), roleArn })
    .optional(),
  targets: z
    .array(z.string().refine((target) => shortTarget(target) !== undefined, TARGET_RULE))
    .optional(),
});

export type SecurityProfileSpec = z.infer<typeof securityProfileSpec>;
export type BehaviorSpec = z.infer<typeof behaviorSpec>;
