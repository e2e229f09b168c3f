import { RESERVED_METRIC_PREFIXES } from './metric-catalog.ts';
import { alreadyExists, invalidRequest, notFound } from '../core/errors.ts';
import type { RegistryState } from '../registry/registry.ts';
import type { CustomMetric, Dimension } from './detect-records.ts';
import type { DetectState } from './detect-state.ts';
import type { CustomMetricType } from './metric-value.ts';
import { isValidTopicFilter } from '../broker/topic-filter.ts';

/**
 * Creates a custom metric. A repeated request with the same client request token and the same
 * parameters returns the existing metric, as the idempotency token promises.
 */
export async function createCustomMetric(
  state: DetectState,
  registry: RegistryState,
  input: {
    metricName: string;
    metricType: CustomMetricType;
    displayName?: string | undefined;
    clientRequestToken: string;
  },
): Promise<CustomMetric> {
  const reserved = RESERVED_METRIC_PREFIXES.find((prefix) => input.metricName.startsWith(prefix));
  if (reserved !== undefined)
    throw invalidRequest(
      `Invalid custom metric name "${input.metricName}": names beginning with "${reserved}" are reserved`,
    );
  const existing = state.customMetrics.get(input.metricName);
  if (existing) {
    const same =
      existing.clientRequestToken === input.clientRequestToken &&
      existing.metricType === input.metricType &&
      existing.displayName === input.displayName;
    if (same) return existing;
    throw alreadyExists(
      `Custom metric "${input.metricName}" already exists`,
      input.metricName,
      registry.arns.customMetric(input.metricName),
    );
  }
  const now = registry.clock.now();
  const metric: CustomMetric = {
    metricName: input.metricName,
    metricType: input.metricType,
    clientRequestToken: input.clientRequestToken,
    createdAt: now,
    lastModifiedAt: now,
  };
  if (input.displayName !== undefined) metric.displayName = input.displayName;
  await state.store.putCustomMetric(metric);
  state.customMetrics.set(metric.metricName, metric);
  return metric;
}

export function requireCustomMetric(state: DetectState, name: string): CustomMetric {
  const metric = state.customMetrics.get(name);
  if (!metric) throw notFound(`Custom metric "${name}" does not exist`);
  return metric;
}

export async function updateCustomMetric(
  state: DetectState,
  registry: RegistryState,
  name: string,
  displayName: string,
): Promise<CustomMetric> {
  const metric = {
    ...requireCustomMetric(state, name),
    displayName,
    lastModifiedAt: registry.clock.now(),
  };
  await state.store.putCustomMetric(metric);
  state.customMetrics.set(name, metric);
  return metric;
}

/** Deletes a custom metric that no security profile uses; deleting a missing one succeeds. */
export async function deleteCustomMetric(state: DetectState, name: string): Promise<void> {
  if (!state.customMetrics.has(name)) return;
  const users = profilesUsing(state, (behavior) => behavior.metric === name);
  if (users.length > 0)
    throw invalidRequest(
      `Cannot delete custom metric "${name}": security profile(s) ${users.join(', ')} use it; remove it from them first`,
    );
  await state.store.deleteCustomMetric(name);
  state.customMetrics.delete(name);
}

/** Creates a TOPIC_FILTER dimension whose values must be valid MQTT topic filters. */
export async function createDimension(
  state: DetectState,
  registry: RegistryState,
  input: { name: string; stringValues: string[]; clientRequestToken: string },
): Promise<Dimension> {
  checkFilters(input.stringValues);
  const existing = state.dimensions.get(input.name);
  if (existing) {
    if (
      existing.clientRequestToken === input.clientRequestToken &&
      JSON.stringify(existing.stringValues) === JSON.stringify(input.stringValues)
    )
      return existing;
    throw alreadyExists(
      `Dimension "${input.name}" already exists`,
      input.name,
      registry.arns.dimension(input.name),
    );
  }
  const now = registry.clock.now();
  const dimension: Dimension = {
    name: input.name,
    type: 'TOPIC_FILTER',
    stringValues: input.stringValues,
    clientRequestToken: input.clientRequestToken,
    createdAt: now,
    lastModifiedAt: now,
  };
  await state.store.putDimension(dimension);
  state.dimensions.set(dimension.name, dimension);
  return dimension;
}

export function requireDimension(state: DetectState, name: string): Dimension {
  const dimension = state.dimensions.get(name);
  if (!dimension) throw notFound(`Dimension "${name}" does not exist`);
  return dimension;
}

export async function updateDimension(
  state: DetectState,
  registry: RegistryState,
  name: string,
  stringValues: string[],
): Promise<Dimension> {
  checkFilters(stringValues);
  const dimension = {
    ...requireDimension(state, name),
    stringValues,
    lastModifiedAt: registry.clock.now(),
  };
  await state.store.putDimension(dimension);
  state.dimensions.set(name, dimension);
  return dimension;
}

/** Deletes a dimension that no behavior or retained metric references. */
export async function deleteDimension(state: DetectState, name: string): Promise<void> {
  if (!state.dimensions.has(name)) return;
  const users = profilesUsing(
    state,
    (behavior) => behavior.metricDimension?.dimensionName === name,
  );
  if (users.length > 0)
    throw invalidRequest(
      `Cannot delete dimension "${name}": security profile(s) ${users.join(', ')} use it; remove it from them first`,
    );
  await state.store.deleteDimension(name);
  state.dimensions.delete(name);
}

/** Names of the profiles with a behavior or retained metric that matches. */
export function profilesUsing(
  state: DetectState,
  matches: (entry: {
    metric?: string | undefined;
    metricDimension?: { dimensionName: string } | undefined;
  }) => boolean,
): string[] {
  const names: string[] = [];
  for (const profile of state.profiles.values()) {
    if (profile.behaviors.some(matches) || profile.additionalMetricsToRetainV2.some(matches))
      names.push(profile.securityProfileName);
  }
  return names.sort();
}

function checkFilters(values: string[]): void {
  for (const value of values) {
    const filter = value.replaceAll('${iot:ClientId}', 'x');
    if (!isValidTopicFilter(filter))
      throw invalidRequest(
        `Invalid topic filter "${value}" in stringValues: "+" and "#" must fill a whole level and "#" must be last`,
      );
  }
}
