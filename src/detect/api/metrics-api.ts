import { z } from 'zod';
import { paginate } from '../../api/pagination.ts';
import { Query } from '../../api/query.ts';
import type { Route } from '../../api/route.ts';
import { toEpochSeconds } from '../../api/timestamps.ts';
import { fields, parseBody, parseParam } from '../../api/validation.ts';
import type { RegistryState } from '../../registry/registry.ts';
import {
  createCustomMetric,
  createDimension,
  deleteCustomMetric,
  deleteDimension,
  requireCustomMetric,
  requireDimension,
  updateCustomMetric,
  updateDimension,
} from '../custom-metrics.ts';
import type { CustomMetric, Dimension } from '../detect-records.ts';
import type { DetectState } from '../detect-state.ts';

const token = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-zA-Z0-9-_]+$/);
// [\p{Graph}\x20]* in the service model: printable characters and spaces, no control characters.
const displayName = z
  .string()
  .max(128)
  .regex(/^[^\p{Cc}]*$/u);
const stringValues = z.array(z.string().min(1).max(256)).min(1).max(100);
const createMetricBody = z.strictObject({
  displayName: displayName.optional(),
  metricType: z.enum(['string-list', 'ip-address-list', 'number-list', 'number']),
  tags: fields.tags,
  clientRequestToken: token,
});
const updateMetricBody = z.strictObject({ displayName });
const createDimensionBody = z.strictObject({
  type: z.enum(['TOPIC_FILTER']),
  stringValues,
  tags: fields.tags,
  clientRequestToken: token,
});
const updateDimensionBody = z.strictObject({ stringValues });

/** Routes for custom metrics and dimensions. */
export function metricRoutes(state: DetectState, registry: RegistryState): Route[] {
  const metricName = (params: Record<string, string>) =>
    parseParam(fields.resourceName, 'metricName', params['metricName']);
  const dimensionName = (params: Record<string, string>) =>
    parseParam(fields.resourceName, 'name', params['name']);
  const describeMetric = (metric: CustomMetric) => ({
    metricName: metric.metricName,
    metricArn: registry.arns.customMetric(metric.metricName),
    metricType: metric.metricType,
    displayName: metric.displayName,
    creationDate: toEpochSeconds(metric.createdAt),
    lastModifiedDate: toEpochSeconds(metric.lastModifiedAt),
  });
  const describeDimension = (dimension: Dimension) => ({
    name: dimension.name,
    arn: registry.arns.dimension(dimension.name),
    type: dimension.type,
    stringValues: dimension.stringValues,
    creationDate: toEpochSeconds(dimension.createdAt),
    lastModifiedDate: toEpochSeconds(dimension.lastModifiedAt),
  });
  return [
    {
      operation: 'CreateCustomMetric',
      method: 'POST',
      path: '/custom-metric/{metricName}',
      handler: async ({ params, body }) => {
        const input = parseBody(createMetricBody, body);
        const metric = await createCustomMetric(state, registry, {
          metricName: metricName(params),
          metricType: input.metricType,
          displayName: input.displayName,
          clientRequestToken: input.clientRequestToken,
        });
        return {
          body: {
            metricName: metric.metricName,
            metricArn: registry.arns.customMetric(metric.metricName),
          },
        };
      },
    },
    {
      operation: 'DescribeCustomMetric',
      method: 'GET',
      path: '/custom-metric/{metricName}',
      handler: ({ params }) => ({
        body: describeMetric(requireCustomMetric(state, metricName(params))),
      }),
    },
    {
      operation: 'UpdateCustomMetric',
      method: 'PATCH',
      path: '/custom-metric/{metricName}',
      handler: async ({ params, body }) => ({
        body: describeMetric(
          await updateCustomMetric(
            state,
            registry,
            metricName(params),
            parseBody(updateMetricBody, body).displayName,
          ),
        ),
      }),
    },
    {
      operation: 'DeleteCustomMetric',
      method: 'DELETE',
      path: '/custom-metric/{metricName}',
      handler: async ({ params }) => {
        await deleteCustomMetric(state, metricName(params));
      },
    },
    {
      operation: 'ListCustomMetrics',
      method: 'GET',
      path: '/custom-metrics',
      handler: ({ query }) => {
        const q = new Query(query);
        const page = paginate(
          [...state.customMetrics.keys()].sort(),
          q.string('nextToken'),
          q.integer('maxResults', { min: 1, max: 250 }) ?? 25,
        );
        return { body: { metricNames: page.items, nextToken: page.nextToken } };
      },
    },
    {
      operation: 'CreateDimension',
      method: 'POST',
      path: '/dimensions/{name}',
      handler: async ({ params, body }) => {
        const input = parseBody(createDimensionBody, body);
        const dimension = await createDimension(state, registry, {
          name: dimensionName(params),
          stringValues: input.stringValues,
          clientRequestToken: input.clientRequestToken,
        });
        return { body: { name: dimension.name, arn: registry.arns.dimension(dimension.name) } };
      },
    },
    {
      operation: 'DescribeDimension',
      method: 'GET',
      path: '/dimensions/{name}',
      handler: ({ params }) => ({
        body: describeDimension(requireDimension(state, dimensionName(params))),
      }),
    },
    {
      operation: 'UpdateDimension',
      method: 'PATCH',
      path: '/dimensions/{name}',
      handler: async ({ params, body }) => ({
        body: describeDimension(
          await updateDimension(
            state,
            registry,
            dimensionName(params),
            parseBody(updateDimensionBody, body).stringValues,
          ),
        ),
      }),
    },
    {
      operation: 'DeleteDimension',
      method: 'DELETE',
      path: '/dimensions/{name}',
      handler: async ({ params }) => {
        await deleteDimension(state, dimensionName(params));
      },
    },
    {
      operation: 'ListDimensions',
      method: 'GET',
      path: '/dimensions',
      handler: ({ query }) => {
        const q = new Query(query);
        const page = paginate(
          [...state.dimensions.keys()].sort(),
          q.string('nextToken'),
          q.integer('maxResults', { min: 1, max: 250 }) ?? 25,
        );
        return { body: { dimensionNames: page.items, nextToken: page.nextToken } };
      },
    },
  ];
}
