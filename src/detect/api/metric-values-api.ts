import { paginate } from '../../api/pagination.ts';
import { Query } from '../../api/query.ts';
import type { Route } from '../../api/route.ts';
import { toEpochSeconds } from '../../api/timestamps.ts';
import { invalidRequest } from '../../core/errors.ts';
import type { DetectState } from '../detect-state.ts';
import type { Evaluator } from '../evaluator.ts';
import type { MetricValue } from '../metric-value.ts';

/**
 * Route for ListMetricValues: the stored datapoints of one metric of one thing. Device-side
 * values come from the accepted reports, cloud-side values from the closed 5-minute buckets.
 */
export function metricValueRoutes(state: DetectState, evaluator: Evaluator): Route[] {
  return [
    {
      operation: 'ListMetricValues',
      method: 'GET',
      path: '/metric-values',
      handler: async ({ query }) => {
        const q = new Query(query);
        const thingName = q.required('thingName');
        const metricName = q.required('metricName');
        q.required('startTime');
        q.required('endTime');
        const startTime = q.time('startTime') ?? 0;
        const endTime = q.time('endTime') ?? 0;
        const rules = evaluator.metricRules(metricName);
        if (!rules)
          throw invalidRequest(
            `Unknown metric "${metricName}": give a built-in metric or a defined custom metric`,
          );

        const datapoints =
          rules.side === 'device'
            ? await deviceValues(state, thingName, metricName, startTime, endTime)
            : await cloudValues(state, q, thingName, metricName, startTime, endTime);
        const page = paginate(
          datapoints,
          q.string('nextToken'),
          q.integer('maxResults', { min: 1, max: 250 }) ?? 250,
        );
        return { body: { metricDatumList: page.items, nextToken: page.nextToken } };
      },
    },
  ];
}

async function deviceValues(
  state: DetectState,
  thingName: string,
  metric: string,
  startTime: number,
  endTime: number,
) {
  const reports = await state.store.queryReports(thingName, startTime, endTime);
  const values: { timestamp: number; value: MetricValue }[] = [];
  for (const report of reports) {
    const point = report.datapoints.find((candidate) => candidate.metric === metric);
    if (point) values.push({ timestamp: toEpochSeconds(report.time), value: point.value });
  }
  return values;
}

async function cloudValues(
  state: DetectState,
  q: Query,
  thingName: string,
  metric: string,
  startTime: number,
  endTime: number,
) {
  const dimensionName = q.string('dimensionName');
  const operator = q.oneOf('dimensionValueOperator', ['IN', 'NOT_IN'] as const) ?? 'IN';
  if (dimensionName !== undefined && !state.dimensions.has(dimensionName)) {
    throw invalidRequest(`Dimension "${dimensionName}" does not exist`);
  }
  const dimension = dimensionName === undefined ? '' : `${dimensionName}:${operator}`;
  const points = await state.store.queryCloudDatapoints(
    thingName,
    metric,
    startTime,
    endTime,
    dimension,
  );
  return points.map((point) => ({ timestamp: toEpochSeconds(point.time), value: point.value }));
}
