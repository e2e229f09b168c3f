import { z } from 'zod';
import { paginate } from '../../api/pagination.ts';
import { Query } from '../../api/query.ts';
import type { Route } from '../../api/route.ts';
import { fields, parseBody, parseParam } from '../../api/validation.ts';
import type { RegistryState } from '../registry.ts';
import { createThing, deleteThing, listThings, requireThing } from '../things.ts';
import type { Thing } from '../types.ts';

const attributes = z.record(
  z
    .string()
    .max(128)
    .regex(/^[a-zA-Z0-9_.,@/:#-]+$/),
  z
    .string()
    .max(800)
    .regex(/^[a-zA-Z0-9_.,@/:#=\[\]-]*$/),
);

const createThingBody = z.strictObject({
  thingTypeName: fields.thingName.optional(),
  attributePayload: z
    .strictObject({ attributes: attributes.optional(), merge: z.boolean().optional() })
    .optional(),
  billingGroupName: fields.resourceName.optional(),
});

/** Routes for CreateThing, DescribeThing, ListThings and DeleteThing. */
export function thingRoutes(registry: RegistryState): Route[] {
  return [
    {
      operation: 'CreateThing',
      method: 'POST',
      path: '/things/{thingName}',
      handler: async ({ params, body }) => {
        const thingName = parseParam(fields.thingName, 'thingName', params['thingName']);
        const input = parseBody(createThingBody, body);
        const thing = await createThing(registry, {
          thingName,
          thingTypeName: input.thingTypeName,
          attributes: input.attributePayload?.attributes,
        });
        return {
          body: { thingName, thingArn: registry.arns.thing(thingName), thingId: thing.thingId },
        };
      },
    },
    {
      operation: 'DescribeThing',
      method: 'GET',
      path: '/things/{thingName}',
      handler: ({ params }) => {
        const thing = requireThing(
          registry,
          parseParam(fields.thingName, 'thingName', params['thingName']),
        );
        return {
          body: {
            defaultClientId: thing.thingName,
            thingId: thing.thingId,
            ...thingAttribute(registry, thing),
          },
        };
      },
    },
    {
      operation: 'ListThings',
      method: 'GET',
      path: '/things',
      handler: ({ query }) => {
        const q = new Query(query);
        const things = listThings(registry, {
          attributeName: q.string('attributeName'),
          attributeValue: q.string('attributeValue'),
          usePrefixAttributeValue: q.boolean('usePrefixAttributeValue'),
          thingTypeName: q.string('thingTypeName'),
        });
        const page = paginate(
          things,
          q.string('nextToken'),
          q.integer('maxResults', { min: 1, max: 250 }) ?? 50,
        );
        return {
          body: {
            things: page.items.map((thing) => thingAttribute(registry, thing)),
            nextToken: page.nextToken,
          },
        };
      },
    },
    {
      operation: 'DeleteThing',
      method: 'DELETE',
      path: '/things/{thingName}',
      handler: async ({ params, query }) => {
        const thingName = parseParam(fields.thingName, 'thingName', params['thingName']);
        await deleteThing(
          registry,
          thingName,
          new Query(query).integer('expectedVersion', { min: 0, max: Number.MAX_SAFE_INTEGER }),
        );
      },
    },
  ];
}

function thingAttribute(registry: RegistryState, thing: Thing) {
  return {
    thingName: thing.thingName,
    thingArn: registry.arns.thing(thing.thingName),
    thingTypeName: thing.thingTypeName,
    attributes: thing.attributes,
    version: thing.version,
  };
}
