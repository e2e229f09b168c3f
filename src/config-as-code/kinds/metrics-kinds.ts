/**
 * Custom metrics and dimensions. A custom metric's type cannot change, as in AWS IoT, where
 * UpdateCustomMetric takes only the display name; a dimension's type is always TOPIC_FILTER.
 */

import { segment } from '../fleet-api.ts';
import type { CustomMetricSpec, DimensionSpec } from '../fleet-schema.ts';
import { requestToken, simpleSteps, STEP_ORDER, type ResourceKind } from '../resource-kind.ts';

export const customMetricsKind: ResourceKind<CustomMetricSpec> = {
  section: 'customMetrics',
  noun: 'custom metric',
  title: 'Custom metrics',
  keyOf: (spec) => spec.name,

  async read(api, facts) {
    const names = await api.list({
      operation: 'ListCustomMetrics',
      path: '/custom-metrics',
      items: 'metricNames',
    });
    const specs: CustomMetricSpec[] = [];
    for (const name of names as string[]) {
      const metric = await api.read('DescribeCustomMetric', `/custom-metric/${segment(name)}`);
      const spec: CustomMetricSpec = { name: metric.metricName, metricType: metric.metricType };
      if (metric.displayName !== undefined) spec.displayName = metric.displayName;
      specs.push(spec);
    }
    facts.customMetricTypes = new Map(specs.map((spec) => [spec.name, spec.metricType]));
    return specs;
  },

  canonical(spec) {
    const canonical: CustomMetricSpec = { name: spec.name, metricType: spec.metricType };
    if (spec.displayName !== undefined && spec.displayName !== '')
      canonical.displayName = spec.displayName;
    return canonical;
  },

  check(change) {
    const { desired, current } = change;
    if (change.action !== 'change' || desired === undefined || current === undefined) return [];
    if (desired.spec.metricType === current.metricType) return [];
    return [
      {
        code: 'immutable',
        file: desired.file,
        path: `${desired.path}.metricType`,
        message: `cannot change the type of custom metric "${current.name}" from ${current.metricType} to ${desired.spec.metricType}; delete the metric and create it again, or keep its type`,
      },
    ];
  },

  steps(change) {
    return simpleSteps(change, {
      putOrder: STEP_ORDER.putCustomMetric,
      deleteOrder: STEP_ORDER.deleteCustomMetric,
      create: (api, spec) =>
        api.write('CreateCustomMetric', 'POST', `/custom-metric/${segment(spec.name)}`, {
          metricType: spec.metricType,
          ...(spec.displayName === undefined ? {} : { displayName: spec.displayName }),
          clientRequestToken: requestToken(),
        }),
      update: (api, spec) =>
        api.write('UpdateCustomMetric', 'PATCH', `/custom-metric/${segment(spec.name)}`, {
          displayName: spec.displayName ?? '',
        }),
      remove: (api, current) =>
        api.write('DeleteCustomMetric', 'DELETE', `/custom-metric/${segment(current.name)}`),
    });
  },
};

export const dimensionsKind: ResourceKind<DimensionSpec> = {
  section: 'dimensions',
  noun: 'dimension',
  title: 'Dimensions',
  keyOf: (spec) => spec.name,

  async read(api, facts) {
    const names = await api.list({
      operation: 'ListDimensions',
      path: '/dimensions',
      items: 'dimensionNames',
    });
    facts.dimensionNames = new Set(names as string[]);
    const specs: DimensionSpec[] = [];
    for (const name of names as string[]) {
      const dimension = await api.read('DescribeDimension', `/dimensions/${segment(name)}`);
      specs.push({ name: dimension.name, stringValues: dimension.stringValues });
    }
    return specs;
  },

  // TOPIC_FILTER is the only type, so the canonical form leaves it out.
  canonical: (spec) => ({ name: spec.name, stringValues: spec.stringValues }),

  steps(change) {
    return simpleSteps(change, {
      putOrder: STEP_ORDER.putDimension,
      deleteOrder: STEP_ORDER.deleteDimension,
      create: (api, spec) =>
        api.write('CreateDimension', 'POST', `/dimensions/${segment(spec.name)}`, {
          type: 'TOPIC_FILTER',
          stringValues: spec.stringValues,
          clientRequestToken: requestToken(),
        }),
      update: (api, spec) =>
        api.write('UpdateDimension', 'PATCH', `/dimensions/${segment(spec.name)}`, {
          stringValues: spec.stringValues,
        }),
      remove: (api, current) =>
        api.write('DeleteDimension', 'DELETE', `/dimensions/${segment(current.name)}`),
    });
  },
};
