import { z } from 'zod';
import { invalidRequest } from '../../core/errors.ts';
import { paginate } from '../../api/pagination.ts';
import { Query } from '../../api/query.ts';
import type { Route } from '../../api/route.ts';
import { fields, parseBody, parseParam } from '../../api/validation.ts';
import {
  attachThingPrincipal,
  certificateIdOfPrincipal,
  detachThingPrincipal,
  thingsOfCertificate,
} from '../principals.ts';
import type { RegistryState } from '../registry.ts';
import { requireThing } from '../things.ts';
import type { LogEventConfiguration, LoggingOptions } from '../types.ts';

const logLevel = z.enum(['DEBUG', 'INFO', 'ERROR', 'WARN', 'DISABLED']);
const eventConfiguration = z.strictObject({
  eventType: z.string().min(1).max(512),
  logLevel: logLevel.optional(),
  logDestination: z
    .string()
    .min(1)
    .max(512)
    .regex(/^[.\-_/#A-Za-z0-9]+$/)
    .optional(),
});
const loggingBody = z.strictObject({
  roleArn: z.string().optional(),
  defaultLogLevel: logLevel.optional(),
  disableAllLogs: z.boolean().optional(),
  eventConfigurations: z.array(eventConfiguration).optional(),
});

/** Routes for thing principals and the account's logging options. */
export function principalRoutes(registry: RegistryState): Route[] {
  const thingName = (params: Record<string, string>) =>
    parseParam(fields.thingName, 'thingName', params['thingName']);
  return [
    {
      operation: 'AttachThingPrincipal',
      method: 'PUT',
      path: '/things/{thingName}/principals',
      handler: async ({ params, headers }) => {
        await attachThingPrincipal(registry, thingName(params), principalHeader(headers));
      },
    },
    {
      operation: 'DetachThingPrincipal',
      method: 'DELETE',
      path: '/things/{thingName}/principals',
      handler: async ({ params, headers }) => {
        await detachThingPrincipal(registry, thingName(params), principalHeader(headers));
      },
    },
    {
      operation: 'ListThingPrincipals',
      method: 'GET',
      path: '/things/{thingName}/principals',
      handler: ({ params, query }) => {
        const q = new Query(query);
        const thing = requireThing(registry, thingName(params));
        const principals = registry.linkedFrom('thing-principal', thing.thingName).sort();
        const page = paginate(
          principals,
          q.string('nextToken'),
          q.integer('maxResults', { min: 1, max: 250 }) ?? 50,
        );
        return { body: { principals: page.items, nextToken: page.nextToken } };
      },
    },
    {
      operation: 'ListPrincipalThings',
      method: 'GET',
      path: '/principals/things',
      handler: ({ query, headers }) => {
        const q = new Query(query);
        const things = thingsOfCertificate(
          registry,
          certificateIdOfPrincipal(registry, principalHeader(headers)),
        );
        const page = paginate(
          things,
          q.string('nextToken'),
          q.integer('maxResults', { min: 1, max: 250 }) ?? 50,
        );
        return { body: { things: page.items, nextToken: page.nextToken } };
      },
    },
    {
      operation: 'SetV2LoggingOptions',
      method: 'POST',
      path: '/v2LoggingOptions',
      handler: async ({ body }) => {
        const input = parseBody(loggingBody, body);
        const options: LoggingOptions = {
          defaultLogLevel: input.defaultLogLevel ?? 'ERROR',
          disableAllLogs: input.disableAllLogs ?? false,
        };
        if (input.roleArn !== undefined) options.roleArn = input.roleArn;
        if (input.eventConfigurations !== undefined)
          options.eventConfigurations = input.eventConfigurations.map(withoutUndefined);
        await registry.commit([{ type: 'logging', options }]);
      },
    },
    {
      operation: 'GetV2LoggingOptions',
      method: 'GET',
      path: '/v2LoggingOptions',
      handler: () => ({
        body: registry.logging ?? { defaultLogLevel: 'DISABLED', disableAllLogs: false },
      }),
    },
  ];
}

/** The principal travels in the `x-amzn-principal` header in these operations. */
function principalHeader(headers: Record<string, string | string[] | undefined>): string {
  const value = headers['x-amzn-principal'];
  if (typeof value !== 'string' || value === '') {
    throw invalidRequest(
      "1 validation error detected: Value null at 'principal' failed to satisfy constraint: Member must not be null",
    );
  }
  return value;
}

/** Drops members zod left as undefined, which exactOptionalPropertyTypes keeps out of the type. */
function withoutUndefined(input: z.infer<typeof eventConfiguration>): LogEventConfiguration {
  const configuration: LogEventConfiguration = { eventType: input.eventType };
  if (input.logLevel !== undefined) configuration.logLevel = input.logLevel;
  if (input.logDestination !== undefined) configuration.logDestination = input.logDestination;
  return configuration;
}
