import { z } from 'zod';
import { invalidRequest } from '../../core/errors.ts';
import { paginate } from '../../api/pagination.ts';
import { Query } from '../../api/query.ts';
import type { Route } from '../../api/route.ts';
import { toEpochSeconds } from '../../api/timestamps.ts';
import { fields, parseBody, parseParam } from '../../api/validation.ts';
import type { RegistryState } from '../registry.ts';
import {
  addThingToThingGroup,
  ancestors,
  createThingGroup,
  deleteThingGroup,
  groupAndDescendants,
  removeThingFromThingGroup,
  requireThingGroup,
  thingsInGroup,
  updateThingGroup,
} from '../thing-groups.ts';

const createBody = z.strictObject({
  parentGroupName: fields.thingGroupName.optional(),
  thingGroupProperties: z
    .strictObject({
      thingGroupDescription: z.string().max(2028).optional(),
      attributePayload: z
        .strictObject({
          attributes: z.record(z.string(), z.string()).optional(),
          merge: z.boolean().optional(),
        })
        .optional(),
    })
    .optional(),
  tags: fields.tags,
});

const updateBody = z.strictObject({
  thingGroupProperties: createBody.shape.thingGroupProperties.unwrap(),
  expectedVersion: z.number().int().optional(),
});

const membershipBody = z.strictObject({
  thingGroupName: fields.thingGroupName.optional(),
  thingGroupArn: z.string().optional(),
  thingName: fields.thingName.optional(),
  thingArn: z.string().optional(),
  overrideDynamicGroups: z.boolean().optional(),
});

/** Routes for thing groups and their membership. */
export function thingGroupRoutes(registry: RegistryState): Route[] {
  return [
    {
      operation: 'CreateThingGroup',
      method: 'POST',
      path: '/thing-groups/{thingGroupName}',
      handler: async ({ params, body }) => {
        const name = parseParam(fields.thingGroupName, 'thingGroupName', params['thingGroupName']);
        const input = parseBody(createBody, body);
        const group = await createThingGroup(registry, {
          thingGroupName: name,
          parentGroupName: input.parentGroupName,
          description: input.thingGroupProperties?.thingGroupDescription,
          attributes: input.thingGroupProperties?.attributePayload?.attributes,
        });
        return {
          body: {
            thingGroupName: name,
            thingGroupArn: registry.arns.thingGroup(name),
            thingGroupId: group.thingGroupId,
          },
        };
      },
    },
    {
      operation: 'UpdateThingGroup',
      method: 'PATCH',
      path: '/thing-groups/{thingGroupName}',
      handler: async ({ params, body }) => {
        const name = parseParam(fields.thingGroupName, 'thingGroupName', params['thingGroupName']);
        const input = parseBody(updateBody, body);
        const properties = input.thingGroupProperties;
        const version = await updateThingGroup(registry, name, {
          description: properties.thingGroupDescription,
          attributes: properties.attributePayload?.attributes,
          merge: properties.attributePayload?.merge,
          expectedVersion: input.expectedVersion,
        });
        return { body: { version } };
      },
    },
    {
      operation: 'DescribeThingGroup',
      method: 'GET',
      path: '/thing-groups/{thingGroupName}',
      handler: ({ params }) => {
        const group = requireThingGroup(
          registry,
          parseParam(fields.thingGroupName, 'thingGroupName', params['thingGroupName']),
        );
        const chain = ancestors(registry, group.thingGroupName).map((name) => ({
          groupName: name,
          groupArn: registry.arns.thingGroup(name),
        }));
        return {
          body: {
            thingGroupName: group.thingGroupName,
            thingGroupId: group.thingGroupId,
            thingGroupArn: registry.arns.thingGroup(group.thingGroupName),
            version: group.version,
            thingGroupProperties: {
              thingGroupDescription: group.description,
              attributePayload: { attributes: group.attributes },
            },
            thingGroupMetadata: {
              parentGroupName: group.parentGroupName,
              rootToParentThingGroups: chain,
              creationDate: toEpochSeconds(group.createdAt),
            },
            status: 'ACTIVE',
          },
        };
      },
    },
    {
      operation: 'ListThingGroups',
      method: 'GET',
      path: '/thing-groups',
      handler: ({ query }) => {
        const q = new Query(query);
        const parent = q.string('parentGroup');
        const prefix = q.string('namePrefixFilter');
        const recursive = q.boolean('recursive') ?? true;
        let names = registry.all('thingGroup').map((group) => group.thingGroupName);
        if (parent !== undefined) {
          requireThingGroup(registry, parent);
          const below = recursive
            ? groupAndDescendants(registry, parent).slice(1)
            : registry
                .all('thingGroup')
                .filter((g) => g.parentGroupName === parent)
                .map((g) => g.thingGroupName);
          names = below;
        }
        if (prefix !== undefined) names = names.filter((name) => name.startsWith(prefix));
        const page = paginate(
          names.sort(),
          q.string('nextToken'),
          q.integer('maxResults', { min: 1, max: 250 }) ?? 50,
        );
        return {
          body: {
            thingGroups: page.items.map((name) => ({
              groupName: name,
              groupArn: registry.arns.thingGroup(name),
            })),
            nextToken: page.nextToken,
          },
        };
      },
    },
    {
      operation: 'DeleteThingGroup',
      method: 'DELETE',
      path: '/thing-groups/{thingGroupName}',
      handler: async ({ params, query }) => {
        const name = parseParam(fields.thingGroupName, 'thingGroupName', params['thingGroupName']);
        await deleteThingGroup(
          registry,
          name,
          new Query(query).integer('expectedVersion', { min: 0, max: Number.MAX_SAFE_INTEGER }),
        );
      },
    },
    {
      operation: 'AddThingToThingGroup',
      method: 'PUT',
      path: '/thing-groups/addThingToThingGroup',
      handler: async ({ body }) => {
        const { group, thing } = membership(registry, parseBody(membershipBody, body));
        await addThingToThingGroup(registry, group, thing);
      },
    },
    {
      operation: 'RemoveThingFromThingGroup',
      method: 'PUT',
      path: '/thing-groups/removeThingFromThingGroup',
      handler: async ({ body }) => {
        const { group, thing } = membership(registry, parseBody(membershipBody, body));
        await removeThingFromThingGroup(registry, group, thing);
      },
    },
    {
      operation: 'ListThingsInThingGroup',
      method: 'GET',
      path: '/thing-groups/{thingGroupName}/things',
      handler: ({ params, query }) => {
        const q = new Query(query);
        const name = parseParam(fields.thingGroupName, 'thingGroupName', params['thingGroupName']);
        const things = thingsInGroup(registry, name, q.boolean('recursive') ?? false);
        const page = paginate(
          things,
          q.string('nextToken'),
          q.integer('maxResults', { min: 1, max: 250 }) ?? 50,
        );
        return { body: { things: page.items, nextToken: page.nextToken } };
      },
    },
  ];
}

/** Reads the group and thing from names or ARNs; AddThingToThingGroup accepts either. */
function membership(
  registry: RegistryState,
  input: z.infer<typeof membershipBody>,
): { group: string; thing: string } {
  const group = input.thingGroupName ?? nameFromArn(registry, input.thingGroupArn, 'thinggroup/');
  const thing = input.thingName ?? nameFromArn(registry, input.thingArn, 'thing/');
  if (group === undefined)
    throw invalidRequest('Missing thing group: give thingGroupName or thingGroupArn');
  if (thing === undefined) throw invalidRequest('Missing thing: give thingName or thingArn');
  return { group, thing };
}

function nameFromArn(
  registry: RegistryState,
  arn: string | undefined,
  prefix: string,
): string | undefined {
  if (arn === undefined) return undefined;
  const resource = registry.arns.resourceOf(arn);
  if (!resource?.startsWith(prefix))
    throw invalidRequest(`Invalid ARN "${arn}": expected …:${prefix}NAME`);
  return resource.slice(prefix.length);
}
