import { z } from 'zod';
import { paginate } from '../../api/pagination.ts';
import { Query } from '../../api/query.ts';
import type { Route } from '../../api/route.ts';
import { toEpochSeconds } from '../../api/timestamps.ts';
import { fields, parseBody, parseParam } from '../../api/validation.ts';
import { invalidRequest } from '../../core/errors.ts';
import type { RegistryState } from '../../registry/registry.ts';
import { groupAndDescendants } from '../../registry/thing-groups.ts';
import type { SecurityProfile } from '../detect-records.ts';
import type { DetectState } from '../detect-state.ts';
import type { SecurityProfiles } from '../security-profiles.ts';
import { validateBehaviors } from '../validate-behaviors.ts';
import { findUpdateConflicts } from '../validate-profile-update.ts';

const metricDimension = z.strictObject({
  dimensionName: fields.resourceName,
  operator: z.enum(['IN', 'NOT_IN']).optional(),
});
const retained = z.array(
  z.strictObject({
    metric: z.string().min(1),
    metricDimension: metricDimension.optional(),
    exportMetric: z.boolean().optional(),
  }),
);
const alertTargets = z.partialRecord(
  z.enum(['SNS']),
  z.strictObject({ alertTargetArn: z.string().min(1), roleArn: z.string().min(20).max(2048) }),
);
const exportConfig = z.strictObject({
  mqttTopic: z.string().min(1).max(512),
  roleArn: z.string().min(20).max(2048),
});
const description = z.string().max(1000);

const profileFields = {
  securityProfileDescription: description.optional(),
  behaviors: z.array(z.unknown()).max(100).optional(),
  alertTargets: alertTargets.optional(),
  additionalMetricsToRetain: z.array(z.string()).optional(),
  additionalMetricsToRetainV2: retained.optional(),
  metricsExportConfig: exportConfig.optional(),
};
const createBody = z.strictObject({ ...profileFields, tags: fields.tags });
const updateBody = z.strictObject({
  ...profileFields,
  deleteBehaviors: z.boolean().optional(),
  deleteAlertTargets: z.boolean().optional(),
  deleteAdditionalMetricsToRetain: z.boolean().optional(),
  deleteMetricsExportConfig: z.boolean().optional(),
});
const validateBody = z.strictObject({ behaviors: z.array(z.unknown()) });

/** Routes for security profiles, their targets and behavior validation. */
export function profileRoutes(
  state: DetectState,
  profiles: SecurityProfiles,
  registry: RegistryState,
): Route[] {
  const name = (params: Record<string, string>) =>
    parseParam(fields.resourceName, 'securityProfileName', params['securityProfileName']);
  const describe = (profile: SecurityProfile) => describeProfile(registry, profile);
  return [
    {
      operation: 'CreateSecurityProfile',
      method: 'POST',
      path: '/security-profiles/{securityProfileName}',
      handler: async ({ params, body }) => {
        const input = parseBody(createBody, body);
        const profile = await profiles.create(name(params), {
          ...toFields(input),
          tags: input.tags,
        });
        return {
          body: {
            securityProfileName: profile.securityProfileName,
            securityProfileArn: registry.arns.securityProfile(profile.securityProfileName),
          },
        };
      },
    },
    {
      operation: 'DescribeSecurityProfile',
      method: 'GET',
      path: '/security-profiles/{securityProfileName}',
      handler: ({ params }) => ({ body: describe(profiles.require(name(params))) }),
    },
    {
      operation: 'UpdateSecurityProfile',
      method: 'PATCH',
      path: '/security-profiles/{securityProfileName}',
      handler: async ({ params, body, query }) => {
        const input = parseBody(updateBody, body);
        const conflicts = findUpdateConflicts(input);
        if (conflicts[0]) throw invalidRequest(conflicts[0].message);
        const update = {
          ...toFields(input),
          deleteBehaviors: input.deleteBehaviors,
          deleteAlertTargets: input.deleteAlertTargets,
          deleteAdditionalMetricsToRetain: input.deleteAdditionalMetricsToRetain,
          deleteMetricsExportConfig: input.deleteMetricsExportConfig,
        };
        const profile = await profiles.update(
          name(params),
          update,
          new Query(query).integer('expectedVersion', { min: 0, max: Number.MAX_SAFE_INTEGER }),
        );
        return { body: describe(profile) };
      },
    },
    {
      operation: 'DeleteSecurityProfile',
      method: 'DELETE',
      path: '/security-profiles/{securityProfileName}',
      handler: async ({ params, query }) => {
        await profiles.delete(
          name(params),
          new Query(query).integer('expectedVersion', { min: 0, max: Number.MAX_SAFE_INTEGER }),
        );
      },
    },
    {
      operation: 'ListSecurityProfiles',
      method: 'GET',
      path: '/security-profiles',
      handler: ({ query }) => {
        const q = new Query(query);
        const dimensionName = q.string('dimensionName');
        const metricName = q.string('metricName');
        if (dimensionName !== undefined && metricName !== undefined)
          throw invalidRequest('Give dimensionName or metricName, not both');
        const matching = [...state.profiles.values()].filter((profile) =>
          usesFilter(profile, dimensionName, metricName),
        );
        const names = matching.map((profile) => profile.securityProfileName).sort();
        const page = paginate(
          names,
          q.string('nextToken'),
          q.integer('maxResults', { min: 1, max: 250 }) ?? 250,
        );
        return {
          body: {
            securityProfileIdentifiers: page.items.map((item) => ({
              name: item,
              arn: registry.arns.securityProfile(item),
            })),
            nextToken: page.nextToken,
          },
        };
      },
    },
    {
      operation: 'ValidateSecurityProfileBehaviors',
      method: 'POST',
      path: '/security-profile-behaviors/validate',
      handler: ({ body }) => ({
        body: validateBehaviors(parseBody(validateBody, body).behaviors, profiles.lookup()),
      }),
    },
    ...targetRoutes(state, profiles, registry),
  ];
}

function targetRoutes(
  state: DetectState,
  profiles: SecurityProfiles,
  registry: RegistryState,
): Route[] {
  const name = (params: Record<string, string>) =>
    parseParam(fields.resourceName, 'securityProfileName', params['securityProfileName']);
  return [
    {
      operation: 'AttachSecurityProfile',
      method: 'PUT',
      path: '/security-profiles/{securityProfileName}/targets',
      handler: async ({ params, query }) => {
        await profiles.attach(name(params), new Query(query).required('securityProfileTargetArn'));
      },
    },
    {
      operation: 'DetachSecurityProfile',
      method: 'DELETE',
      path: '/security-profiles/{securityProfileName}/targets',
      handler: async ({ params, query }) => {
        await profiles.detach(name(params), new Query(query).required('securityProfileTargetArn'));
      },
    },
    {
      operation: 'ListTargetsForSecurityProfile',
      method: 'GET',
      path: '/security-profiles/{securityProfileName}/targets',
      handler: ({ params, query }) => {
        const q = new Query(query);
        const profile = profiles.require(name(params));
        const targets = [...(state.targetsOfProfile.get(profile.securityProfileName) ?? [])].sort();
        const page = paginate(
          targets,
          q.string('nextToken'),
          q.integer('maxResults', { min: 1, max: 250 }) ?? 250,
        );
        return {
          body: {
            securityProfileTargets: page.items.map((arn) => ({ arn })),
            nextToken: page.nextToken,
          },
        };
      },
    },
    {
      operation: 'ListSecurityProfilesForTarget',
      method: 'GET',
      path: '/security-profiles-for-target',
      handler: ({ query }) => {
        const q = new Query(query);
        const target = profiles.normalizeTarget(q.required('securityProfileTargetArn'));
        const group = registry.arns.resourceOf(target)?.replace(/^thinggroup\//, '');
        const targets =
          q.boolean('recursive') && target.includes(':thinggroup/') && group
            ? groupAndDescendants(registry, group).map((g) => registry.arns.thingGroup(g))
            : [target];
        const mappings = targets.flatMap((arn) =>
          [...(state.profilesOfTarget.get(arn) ?? [])].sort().map((profileName) => ({
            securityProfileIdentifier: {
              name: profileName,
              arn: registry.arns.securityProfile(profileName),
            },
            target: { arn },
          })),
        );
        const page = paginate(
          mappings,
          q.string('nextToken'),
          q.integer('maxResults', { min: 1, max: 250 }) ?? 250,
        );
        return { body: { securityProfileTargetMappings: page.items, nextToken: page.nextToken } };
      },
    },
  ];
}

type ProfileInput = z.infer<typeof createBody> | z.infer<typeof updateBody>;

/** Maps the request members to profile fields; the deprecated string list joins the V2 list. */
function toFields(input: ProfileInput) {
  const legacy = input.additionalMetricsToRetain?.map((metric) => ({ metric }));
  const v2 =
    input.additionalMetricsToRetainV2 === undefined && legacy === undefined
      ? undefined
      : [...(input.additionalMetricsToRetainV2 ?? []), ...(legacy ?? [])];
  return {
    description: input.securityProfileDescription,
    behaviors: input.behaviors,
    alertTargets: input.alertTargets,
    additionalMetricsToRetainV2: v2,
    metricsExportConfig: input.metricsExportConfig,
  };
}

function usesFilter(
  profile: SecurityProfile,
  dimensionName: string | undefined,
  metricName: string | undefined,
): boolean {
  const entries = [...profile.behaviors, ...profile.additionalMetricsToRetainV2];
  if (dimensionName !== undefined)
    return entries.some((entry) => entry.metricDimension?.dimensionName === dimensionName);
  if (metricName !== undefined) return entries.some((entry) => entry.metric === metricName);
  return true;
}

function describeProfile(registry: RegistryState, profile: SecurityProfile) {
  return {
    securityProfileName: profile.securityProfileName,
    securityProfileArn: registry.arns.securityProfile(profile.securityProfileName),
    securityProfileDescription: profile.description,
    behaviors: profile.behaviors,
    alertTargets: profile.alertTargets,
    additionalMetricsToRetainV2: profile.additionalMetricsToRetainV2,
    version: profile.version,
    creationDate: toEpochSeconds(profile.createdAt),
    lastModifiedDate: toEpochSeconds(profile.lastModifiedAt),
    metricsExportConfig: profile.metricsExportConfig,
  };
}
