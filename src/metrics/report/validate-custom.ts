/**
 * Validation of the `custom_metrics` block: each key is a custom metric name and each value a
 * one-element array holding an object with exactly one of `number`, `number_list`, `string_list`
 * or `ip_list`. The block has no short form, so its keys are the same in both naming styles.
 */
import type { CustomMetricType, MetricValue } from '../../detect/metric-value.ts';
import { isIpAddress, normalizeIp } from './address.ts';
import {
  charge,
  entryPath,
  isRecord,
  join,
  readFiniteNumber,
  readList,
  readString,
  type CheckContext,
} from './checks.ts';
import { describeType, quote, rejectPayload } from './problem.ts';
import type { CustomMetric } from './types.ts';

// The `metricName` rule of CreateCustomMetric in the AWS IoT API.
const METRIC_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;

const VALUE_KEYS = ['number', 'number_list', 'string_list', 'ip_list'] as const;
type ValueKey = (typeof VALUE_KEYS)[number];

const VALUE_KEY_LIST = '"number", "number_list", "string_list" or "ip_list"';

/** Validates the `custom_metrics` block and returns its metrics in document order. */
export function readCustomMetrics(
  context: CheckContext,
  value: unknown,
  path: string,
): CustomMetric[] {
  if (!isRecord(value)) {
    rejectPayload(
      path,
      `Invalid custom metrics at "${path}": must be an object, received ${describeType(value)}`,
    );
  }
  checkMetricCount(context, value, path);

  const metrics: CustomMetric[] = [];
  for (const name in value) {
    checkMetricName(name, path);
    metrics.push(readCustomMetric(context, name, value[name], join(path, name)));
  }
  return metrics;
}

function checkMetricCount(context: CheckContext, block: object, path: string): void {
  let count = 0;
  for (const _ in block) count++;

  const max = context.maxCustomMetrics;
  if (count > max) {
    rejectPayload(
      path,
      `Invalid custom metrics at "${path}": must have at most ${max} metrics, received ${count}`,
    );
  }
}

// The path of a bad name stays the block's path: the name may hold control characters.
function checkMetricName(name: string, path: string): void {
  if (!METRIC_NAME.test(name)) {
    rejectPayload(
      path,
      `Invalid custom metric name ${quote(name)} at "${path}": must match [a-zA-Z0-9:_-]{1,128}`,
    );
  }
  if (name.startsWith('aws:')) {
    rejectPayload(
      path,
      `Invalid custom metric name ${quote(name)} at "${path}": must not start with "aws:"`,
    );
  }
}

function readCustomMetric(
  context: CheckContext,
  name: string,
  value: unknown,
  path: string,
): CustomMetric {
  if (!Array.isArray(value)) {
    rejectPayload(
      path,
      `Invalid custom metric value at "${path}": must be an array holding one object, ` +
        `such as [{"number": 5}], received ${describeType(value)}`,
    );
  }
  if (value.length !== 1) {
    rejectPayload(
      path,
      `Invalid custom metric value at "${path}": must hold exactly one object, received ${value.length}`,
    );
  }

  const itemPath = entryPath(path, 0);
  const item: unknown = value[0];
  if (!isRecord(item)) {
    rejectPayload(
      itemPath,
      `Invalid custom metric value at "${itemPath}": must be an object with one of ${VALUE_KEY_LIST}, received ${describeType(item)}`,
    );
  }

  const key = findValueKey(item, itemPath);
  return readTypedValue(context, name, key, item[key], join(itemPath, key));
}

// Unknown keys next to the value key are ignored, like unknown keys in the other blocks.
function findValueKey(item: Record<string, unknown>, path: string): ValueKey {
  let found: ValueKey | undefined;
  for (const key of VALUE_KEYS) {
    if (item[key] === undefined) continue;
    if (found !== undefined) {
      rejectPayload(
        path,
        `Invalid custom metric value at "${path}": must have only one of ${VALUE_KEY_LIST}, received "${found}" and "${key}"`,
      );
    }
    found = key;
  }

  if (found === undefined) {
    rejectPayload(
      path,
      `Invalid custom metric value at "${path}": must have one of ${VALUE_KEY_LIST}`,
    );
  }
  return found;
}

function readTypedValue(
  context: CheckContext,
  name: string,
  key: ValueKey,
  raw: unknown,
  path: string,
): CustomMetric {
  switch (key) {
    case 'number':
      return metric(name, 'number', { number: readFiniteNumber(raw, path, 'number') });
    case 'number_list':
      return metric(name, 'number-list', { numbers: readNumbers(context, raw, path) });
    case 'string_list':
      return metric(name, 'string-list', { strings: readStrings(context, raw, path) });
    case 'ip_list':
      return metric(name, 'ip-address-list', { cidrs: readIps(context, raw, path) });
  }
}

function metric(name: string, type: CustomMetricType, value: MetricValue): CustomMetric {
  return { name, type, value };
}

function readNumbers(context: CheckContext, raw: unknown, path: string): number[] {
  const list = readList(context, raw, path, 'number list');
  const numbers: number[] = [];
  for (let index = 0; index < list.length; index++) {
    const entry = list[index];
    const valid = typeof entry === 'number' && Number.isFinite(entry) && entry !== 0;
    numbers.push(valid ? entry : readFiniteNumber(entry, entryPath(path, index), 'number'));
  }
  return numbers;
}

function readStrings(context: CheckContext, raw: unknown, path: string): string[] {
  const list = readList(context, raw, path, 'string list');
  const strings: string[] = [];
  for (let index = 0; index < list.length; index++) {
    const entry = list[index];
    const text =
      typeof entry === 'string' ? entry : readString(entry, entryPath(path, index), 'string');
    charge(context, text.length);
    strings.push(text);
  }
  return strings;
}

function readIps(context: CheckContext, raw: unknown, path: string): string[] {
  const list = readList(context, raw, path, 'IP address list');
  const ips: string[] = [];
  for (let index = 0; index < list.length; index++) {
    const entry = list[index];
    if (typeof entry === 'string' && isIpAddress(entry)) {
      ips.push(normalizeIp(entry));
      continue;
    }

    const entryAt = entryPath(path, index);
    const text = readString(entry, entryAt, 'IP address');
    rejectPayload(
      entryAt,
      `Invalid IP address ${quote(text)} at "${entryAt}": must be an IPv4 or IPv6 address`,
    );
  }
  return ips;
}
