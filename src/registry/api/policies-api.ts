import { z } from 'zod';
import { paginate } from '../../api/pagination.ts';
import { Query } from '../../api/query.ts';
import type { Route } from '../../api/route.ts';
import { toEpochSeconds } from '../../api/timestamps.ts';
import { fields, parseBody, parseParam } from '../../api/validation.ts';
import {
  attachPolicy,
  createPolicy,
  createPolicyVersion,
  defaultDocument,
  deletePolicy,
  deletePolicyVersion,
  detachPolicy,
  type PolicyDocumentValidator,
  requirePolicy,
  requireTarget,
  requireVersion,
  setDefaultPolicyVersion,
} from '../policies.ts';
import type { RegistryState } from '../registry.ts';

const documentBody = z.strictObject({ policyDocument: z.string().max(404600), tags: fields.tags });
const versionBody = z.strictObject({ policyDocument: z.string().max(404600) });
const targetBody = z.strictObject({ target: z.string().min(1) });
const versionId = z.string().regex(/^[0-9]+$/);

/** Routes for IoT policies, their versions and their attachments. */
export function policyRoutes(registry: RegistryState, validate: PolicyDocumentValidator): Route[] {
  const name = (params: Record<string, string>) =>
    parseParam(fields.policyName, 'policyName', params['policyName']);
  const arn = (policyName: string) => registry.arns.policy(policyName);
  return [
    {
      operation: 'CreatePolicy',
      method: 'POST',
      path: '/policies/{policyName}',
      handler: async ({ params, body }) => {
        const policyName = name(params);
        const input = parseBody(documentBody, body);
        await createPolicy(registry, validate, policyName, input.policyDocument);
        return {
          body: {
            policyName,
            policyArn: arn(policyName),
            policyDocument: input.policyDocument,
            policyVersionId: '1',
          },
        };
      },
    },
    {
      operation: 'GetPolicy',
      method: 'GET',
      path: '/policies/{policyName}',
      handler: ({ params }) => {
        const policy = requirePolicy(registry, name(params));
        return {
          body: {
            policyName: policy.policyName,
            policyArn: arn(policy.policyName),
            policyDocument: defaultDocument(policy),
            defaultVersionId: policy.defaultVersionId,
            creationDate: toEpochSeconds(policy.createdAt),
            lastModifiedDate: toEpochSeconds(policy.lastModifiedAt),
            generationId: policy.generationId,
          },
        };
      },
    },
    {
      operation: 'ListPolicies',
      method: 'GET',
      path: '/policies',
      handler: ({ query }) => {
        const q = new Query(query);
        const names = registry
          .all('policy')
          .map((policy) => policy.policyName)
          .sort();
        if (q.boolean('isAscendingOrder') === false) names.reverse();
        const page = paginate(
          names,
          q.string('marker'),
          q.integer('pageSize', { min: 1, max: 250 }) ?? 50,
        );
        return {
          body: {
            policies: page.items.map((policyName) => ({ policyName, policyArn: arn(policyName) })),
            nextMarker: page.nextToken,
          },
        };
      },
    },
    {
      operation: 'DeletePolicy',
      method: 'DELETE',
      path: '/policies/{policyName}',
      handler: async ({ params }) => {
        await deletePolicy(registry, name(params));
      },
    },
    {
      operation: 'CreatePolicyVersion',
      method: 'POST',
      path: '/policies/{policyName}/version',
      handler: async ({ params, body, query }) => {
        const policyName = name(params);
        const input = parseBody(versionBody, body);
        const setAsDefault = new Query(query).boolean('setAsDefault') ?? false;
        const created = await createPolicyVersion(
          registry,
          validate,
          policyName,
          input.policyDocument,
          setAsDefault,
        );
        return {
          body: {
            policyArn: arn(policyName),
            policyDocument: input.policyDocument,
            policyVersionId: created.versionId,
            isDefaultVersion: created.policy.defaultVersionId === created.versionId,
          },
        };
      },
    },
    {
      operation: 'ListPolicyVersions',
      method: 'GET',
      path: '/policies/{policyName}/version',
      handler: ({ params }) => {
        const policy = requirePolicy(registry, name(params));
        const policyVersions = [...policy.versions].reverse().map((version) => ({
          versionId: version.versionId,
          isDefaultVersion: version.versionId === policy.defaultVersionId,
          createDate: toEpochSeconds(version.createdAt),
        }));
        return { body: { policyVersions } };
      },
    },
    {
      operation: 'GetPolicyVersion',
      method: 'GET',
      path: '/policies/{policyName}/version/{policyVersionId}',
      handler: ({ params }) => {
        const policy = requirePolicy(registry, name(params));
        const version = requireVersion(
          policy,
          parseParam(versionId, 'policyVersionId', params['policyVersionId']),
        );
        return {
          body: {
            policyArn: arn(policy.policyName),
            policyName: policy.policyName,
            policyDocument: version.document,
            policyVersionId: version.versionId,
            isDefaultVersion: version.versionId === policy.defaultVersionId,
            creationDate: toEpochSeconds(version.createdAt),
            lastModifiedDate: toEpochSeconds(version.createdAt),
            generationId: policy.generationId,
          },
        };
      },
    },
    {
      operation: 'SetDefaultPolicyVersion',
      method: 'PATCH',
      path: '/policies/{policyName}/version/{policyVersionId}',
      handler: async ({ params }) => {
        await setDefaultPolicyVersion(
          registry,
          name(params),
          parseParam(versionId, 'policyVersionId', params['policyVersionId']),
        );
      },
    },
    {
      operation: 'DeletePolicyVersion',
      method: 'DELETE',
      path: '/policies/{policyName}/version/{policyVersionId}',
      handler: async ({ params }) => {
        await deletePolicyVersion(
          registry,
          name(params),
          parseParam(versionId, 'policyVersionId', params['policyVersionId']),
        );
      },
    },
    ...attachmentRoutes(registry),
  ];
}

function attachmentRoutes(registry: RegistryState): Route[] {
  const name = (params: Record<string, string>) =>
    parseParam(fields.policyName, 'policyName', params['policyName']);
  return [
    {
      operation: 'AttachPolicy',
      method: 'PUT',
      path: '/target-policies/{policyName}',
      handler: async ({ params, body }) => {
        await attachPolicy(registry, name(params), parseBody(targetBody, body).target);
      },
    },
    {
      operation: 'DetachPolicy',
      method: 'POST',
      path: '/target-policies/{policyName}',
      handler: async ({ params, body }) => {
        await detachPolicy(registry, name(params), parseBody(targetBody, body).target);
      },
    },
    {
      operation: 'ListAttachedPolicies',
      method: 'POST',
      path: '/attached-policies/{target}',
      handler: ({ params, query }) => {
        const q = new Query(query);
        const target = params['target'] ?? '';
        requireTarget(registry, target);
        const targets = q.boolean('recursive') ? withParentGroups(registry, target) : [target];
        const names = [
          ...new Set(targets.flatMap((arn) => registry.linkedTo('policy-target', arn))),
        ].sort();
        const page = paginate(
          names,
          q.string('marker'),
          q.integer('pageSize', { min: 1, max: 250 }) ?? 50,
        );
        return {
          body: {
            policies: page.items.map((policyName) => ({
              policyName,
              policyArn: registry.arns.policy(policyName),
            })),
            nextMarker: page.nextToken,
          },
        };
      },
    },
    {
      operation: 'ListTargetsForPolicy',
      method: 'POST',
      path: '/policy-targets/{policyName}',
      handler: ({ params, query }) => {
        const q = new Query(query);
        const policy = requirePolicy(registry, name(params));
        const targets = registry.linkedFrom('policy-target', policy.policyName).sort();
        const page = paginate(
          targets,
          q.string('marker'),
          q.integer('pageSize', { min: 1, max: 250 }) ?? 50,
        );
        return { body: { targets: page.items, nextMarker: page.nextToken } };
      },
    },
  ];
}

/** A thing group ARN and the ARNs of its ancestors, for `recursive` listing. */
function withParentGroups(registry: RegistryState, target: string): string[] {
  const resource = registry.arns.resourceOf(target) ?? '';
  if (!resource.startsWith('thinggroup/')) return [target];
  const result = [target];
  let parent = registry.get('thingGroup', resource.slice('thinggroup/'.length))?.parentGroupName;
  while (parent !== undefined && !result.includes(registry.arns.thingGroup(parent))) {
    result.push(registry.arns.thingGroup(parent));
    parent = registry.get('thingGroup', parent)?.parentGroupName;
  }
  return result;
}
