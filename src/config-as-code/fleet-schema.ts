/**
 * The schema of a fleet file (`apiVersion: warden/v1`, `kind: FleetSecurity`). YAML and JSON
 * files share it. Member names follow the AWS IoT API shapes, so examples from the AWS
 * documentation can be pasted. Each resource's `name` is the name in the request path.
 * Unknown keys are errors at every level.
 */

import { z } from 'zod';
import { alertTargetName, mqttTopic, webhookUrl } from '../detect/api/alert-targets-api.ts';
import { actionParamsSchema } from '../mitigate/api/action-params.ts';
import {
  auditConfigurationSpec,
  auditSuppressionSpec,
  scheduledAuditSpec,
} from './audit-schema.ts';
import { resourceName, roleArn, securityProfileSpec } from './security-profile-schema.ts';

export const API_VERSION = 'warden/v1';
export const FLEET_KIND = 'FleetSecurity';

/** A webhook names the environment variable that contains its secret, never the secret itself. */
export const alertTargetSpec = z.discriminatedUnion('type', [
  z.strictObject({
    name: alertTargetName,
    type: z.literal('webhook'),
    url: webhookUrl,
    secretEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
      .optional(),
  }),
  z.strictObject({ name: alertTargetName, type: z.literal('mqtt'), topic: mqttTopic }),
]);

export const thingGroupSpec = z.strictObject({
  name: resourceName,
  description: z.string().max(2028).optional(),
  attributes: z.record(z.string().min(1).max(128), z.string().max(800)).optional(),
  parent: resourceName.optional(),
});

export const policySpec = z.strictObject({
  name: z
    .string()
    .regex(/^[\w+=,.@-]{1,128}$/, 'must be 1-128 characters of a-z, A-Z, 0-9 and "+=,.@_-"'),
  document: z.record(z.string(), z.unknown()),
});

export const customMetricSpec = z.strictObject({
  name: resourceName.refine(
    (name) => !name.startsWith('aws:'),
    'must not begin with "aws:", which names built-in metrics',
  ),
  metricType: z.enum(['string-list', 'ip-address-list', 'number-list', 'number']),
  displayName: z
    .string()
    .max(128)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters')
    .optional(),
});

export const dimensionSpec = z.strictObject({
  name: resourceName,
  type: z.literal('TOPIC_FILTER').optional(),
  stringValues: z.array(z.string().min(1).max(256)).min(1).max(100),
});

export const mitigationActionSpec = z.strictObject({
  name: z
    .string()
    .regex(/^[a-zA-Z0-9_-]{1,128}$/, 'must be 1-128 characters of a-z, A-Z, 0-9, "_" and "-"'),
  roleArn,
  actionParams: actionParamsSchema,
});

/** One fleet file as parsed; every section is optional, and a present section is managed. */
export const fleetDocument = z.strictObject({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal(FLEET_KIND),
  alertTargets: z.array(alertTargetSpec).optional(),
  thingGroups: z.array(thingGroupSpec).optional(),
  policies: z.array(policySpec).optional(),
  customMetrics: z.array(customMetricSpec).optional(),
  dimensions: z.array(dimensionSpec).optional(),
  mitigationActions: z.array(mitigationActionSpec).optional(),
  auditConfiguration: auditConfigurationSpec.optional(),
  scheduledAudits: z.array(scheduledAuditSpec).optional(),
  auditSuppressions: z.array(auditSuppressionSpec).optional(),
  securityProfiles: z.array(securityProfileSpec).optional(),
});

export type FleetDocument = z.infer<typeof fleetDocument>;
export type AlertTargetSpec = z.infer<typeof alertTargetSpec>;
export type ThingGroupSpec = z.infer<typeof thingGroupSpec>;
export type PolicySpec = z.infer<typeof policySpec>;
export type CustomMetricSpec = z.infer<typeof customMetricSpec>;
export type DimensionSpec = z.infer<typeof dimensionSpec>;
export type MitigationActionSpec = z.infer<typeof mitigationActionSpec>;

/** The sections of a fleet file, in the order Warden applies their creates and changes. */
export const SECTIONS = [
  'alertTargets',
  'thingGroups',
  'policies',
  'customMetrics',
  'dimensions',
  'mitigationActions',
  'auditConfiguration',
  'scheduledAudits',
  'auditSuppressions',
  'securityProfiles',
] as const;

export type SectionName = (typeof SECTIONS)[number];
