import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { CustomMetricType } from './metric-value.ts';
import {
  findBehaviorProblems,
  parseBehaviors,
  validateBehaviors,
  type BehaviorLookup,
} from './validate-behaviors.ts';

const CUSTOM_METRICS: Record<string, CustomMetricType> = {
  battery: 'number',
  'cpu-usage': 'number-list',
  'interface-names': 'string-list',
  'interface-addresses': 'ip-address-list',
};

const lookup: BehaviorLookup = {
  customMetricType: (name) => CUSTOM_METRICS[name],
  dimensionExists: (name) => name === 'telemetry-topics',
};

/** Builds a valid static aws:num-messages-sent behavior, then applies the overrides. */
function messagesSent(overrides: Record<string, unknown> = {}, criteria: object = {}) {
  return {
    name: 'messages-sent',
    metric: 'aws:num-messages-sent',
    criteria: {
      comparisonOperator: 'less-than',
      value: { count: 100 },
      durationSeconds: 300,
      ...criteria,
    },
    ...overrides,
  };
}

function messagesOf(behaviors: unknown): string[] {
  return validateBehaviors(behaviors, lookup).validationErrors.map((error) => error.errorMessage);
}

describe('validateBehaviors', () => {
  test('accepts documented behaviors of every kind', () => {
    const behaviors = [
      messagesSent(),
      {
        name: 'Max_Message_Size',
        metric: 'aws:message-byte-size',
        criteria: {
          comparisonOperator: 'less-than-equals',
          value: { count: 1024 },
          consecutiveDatapointsToAlarm: 1,
          consecutiveDatapointsToClear: 1,
        },
        suppressAlerts: true,
      },
      {
        name: 'large-message-size',
        metric: 'aws:message-byte-size',
        criteria: {
          comparisonOperator: 'less-than-equals',
          statisticalThreshold: { statistic: 'p90' },
          durationSeconds: 300,
          consecutiveDatapointsToAlarm: 3,
          consecutiveDatapointsToClear: 3,
        },
      },
      {
        name: 'message-size-ml',
        metric: 'aws:message-byte-size',
        metricDimension: { dimensionName: 'telemetry-topics' },
        criteria: { mlDetectionConfig: { confidenceLevel: 'HIGH' } },
        suppressAlerts: true,
      },
      {
        name: 'auth-failures',
        metric: 'aws:num-authorization-failures',
        metricDimension: { dimensionName: 'telemetry-topics', operator: 'NOT_IN' },
        criteria: {
          comparisonOperator: 'greater-than',
          value: { count: 10 },
          durationSeconds: 3600,
        },
        exportMetric: true,
      },
      {
        name: 'source-ip',
        metric: 'aws:source-ip-address',
        criteria: {
          comparisonOperator: 'in-cidr-set',
          value: { cidrs: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.1'] },
        },
      },
      {
        name: 'tcp-ports',
        metric: 'aws:listening-tcp-ports',
        criteria: { comparisonOperator: 'in-port-set', value: { ports: [0, 22, 65535] } },
      },
      {
        name: 'no-udp-ports',
        metric: 'aws:listening-udp-ports',
        criteria: { comparisonOperator: 'in-port-set', value: { ports: [] } },
      },
      {
        name: 'listening-tcp',
        metric: 'aws:num-listening-tcp-ports',
        criteria: { comparisonOperator: 'less-than', value: { count: 5 } },
      },
      {
        name: 'disconnected',
        metric: 'aws:disconnect-duration',
        criteria: { comparisonOperator: 'less-than', value: { count: 30 } },
      },
      {
        name: 'bytes-out',
        metric: 'aws:all-bytes-out',
        criteria: {
          comparisonOperator: 'less-than',
          value: { count: 2 ** 40 },
          durationSeconds: 900,
        },
      },
      {
        name: 'great-than-75',
        metric: 'battery',
        criteria: {
          comparisonOperator: 'greater-than',
          value: { number: 75 },
          consecutiveDatapointsToAlarm: 5,
          consecutiveDatapointsToClear: 1,
        },
      },
      {
        name: 'battery-alias',
        metric: 'battery',
        criteria: { comparisonOperator: 'greater-than', value: { count: -12.5 } },
      },
      {
        name: 'battery-ml',
        metric: 'battery',
        criteria: { mlDetectionConfig: { confidenceLevel: 'LOW' } },
      },
      {
        name: 'cpu',
        metric: 'cpu-usage',
        criteria: { comparisonOperator: 'not-in-set', value: { numbers: [100, 99.5] } },
      },
      {
        name: 'interfaces',
        metric: 'interface-names',
        criteria: { comparisonOperator: 'in-set', value: { strings: ['eth0', 'wlan0'] } },
      },
      {
        name: 'addresses',
        metric: 'interface-addresses',
        criteria: { comparisonOperator: 'not-in-cidr-set', value: { cidrs: ['169.254.0.0/16'] } },
      },
    ];
    assert.deepEqual(validateBehaviors(behaviors, lookup), { valid: true, validationErrors: [] });
  });

  test('accepts an empty list', () => {
    assert.deepEqual(validateBehaviors([], lookup), { valid: true, validationErrors: [] });
  });

  test('reports each invalid behavior with an exact message', () => {
    const cases: [string, unknown, string[]][] = [
      [
        'operator of another metric',
        {
          name: 'tcp-ports',
          metric: 'aws:listening-tcp-ports',
          criteria: { comparisonOperator: 'in-cidr-set', value: { ports: [22] } },
        },
        [
          'Behavior "tcp-ports": operator "in-cidr-set" is not valid for metric "aws:listening-tcp-ports"; use in-port-set or not-in-port-set',
        ],
      ],
      [
        'unknown operator',
        messagesSent({}, { comparisonOperator: 'between' }),
        [
          'Behavior "messages-sent": unknown comparison operator "between"; use less-than, less-than-equals, greater-than or greater-than-equals',
        ],
      ],
      [
        'operator that is not a string',
        messagesSent({}, { comparisonOperator: 1 }),
        [
          'Behavior "messages-sent": "criteria.comparisonOperator" must be a string, got number "1"',
        ],
      ],
      [
        'missing operator',
        messagesSent({}, { comparisonOperator: undefined }),
        ['Behavior "messages-sent": missing required field "criteria.comparisonOperator"'],
      ],
      [
        'wrong value member',
        messagesSent({}, { value: { ports: [80] } }),
        [
          'Behavior "messages-sent": value member "ports" does not match metric "aws:num-messages-sent"; use "value.count"',
        ],
      ],
      [
        'number instead of count on a built-in metric',
        messagesSent({}, { value: { number: 3 } }),
        [
          'Behavior "messages-sent": value member "number" does not match metric "aws:num-messages-sent"; use "value.count"',
        ],
      ],
      [
        'two value members',
        messagesSent({}, { value: { count: 1, ports: [80] } }),
        [
          'Behavior "messages-sent": "criteria.value" must contain exactly one member, got "count" and "ports"',
          'Behavior "messages-sent": value member "ports" does not match metric "aws:num-messages-sent"; use "value.count"',
        ],
      ],
      [
        'empty value',
        messagesSent({}, { value: {} }),
        ['Behavior "messages-sent": "criteria.value" must contain one member, got none'],
      ],
      [
        'negative count',
        messagesSent({}, { value: { count: -1 } }),
        [
          'Behavior "messages-sent": invalid count "-1" at "criteria.value.count": must be a non-negative integer',
        ],
      ],
      [
        'fractional count',
        messagesSent({}, { value: { count: 1.5 } }),
        [
          'Behavior "messages-sent": invalid count "1.5" at "criteria.value.count": must be a non-negative integer',
        ],
      ],
      [
        'durationSeconds on a list metric',
        {
          name: 'tcp-ports',
          metric: 'aws:listening-tcp-ports',
          criteria: {
            comparisonOperator: 'in-port-set',
            value: { ports: [22] },
            durationSeconds: 300,
          },
        },
        [
          'Behavior "tcp-ports": "criteria.durationSeconds" cannot be used with list metric "aws:listening-tcp-ports"',
        ],
      ],
      [
        'durationSeconds on a custom list metric',
        {
          name: 'interfaces',
          metric: 'interface-names',
          criteria: {
            comparisonOperator: 'in-set',
            value: { strings: ['eth0'] },
            durationSeconds: 600,
          },
        },
        [
          'Behavior "interfaces": "criteria.durationSeconds" cannot be used with list custom metric "interface-names" of type "string-list"',
        ],
      ],
      [
        'durationSeconds 301',
        messagesSent({}, { durationSeconds: 301 }),
        [
          'Behavior "messages-sent": invalid durationSeconds "301" at "criteria.durationSeconds": must be 300, 600, 900, 1800 or 3600',
        ],
      ],
      [
        'durationSeconds as a string',
        messagesSent({}, { durationSeconds: '300' }),
        [
          'Behavior "messages-sent": "criteria.durationSeconds" must be an integer, got string "300"',
        ],
      ],
      [
        'missing durationSeconds on a counter',
        messagesSent({}, { durationSeconds: undefined }),
        [
          'Behavior "messages-sent": missing "criteria.durationSeconds", which metric "aws:num-messages-sent" requires; use 300, 600, 900, 1800 or 3600',
        ],
      ],
      [
        'durationSeconds on a static message size',
        {
          name: 'size',
          metric: 'aws:message-byte-size',
          criteria: { comparisonOperator: 'less-than', value: { count: 10 }, durationSeconds: 300 },
        },
        [
          'Behavior "size": "criteria.durationSeconds" cannot be used with a static threshold on metric "aws:message-byte-size"',
        ],
      ],
      [
        'durationSeconds on disconnect-duration',
        {
          name: 'offline',
          metric: 'aws:disconnect-duration',
          criteria: {
            comparisonOperator: 'greater-than',
            value: { count: 30 },
            durationSeconds: 300,
          },
        },
        [
          'Behavior "offline": "criteria.durationSeconds" cannot be used with a static threshold on metric "aws:disconnect-duration"',
        ],
      ],
      [
        'consecutiveDatapointsToAlarm 11',
        messagesSent({}, { consecutiveDatapointsToAlarm: 11 }),
        [
          'Behavior "messages-sent": invalid consecutiveDatapointsToAlarm "11" at "criteria.consecutiveDatapointsToAlarm": must be an integer 1-10',
        ],
      ],
      [
        'consecutiveDatapointsToClear 0',
        messagesSent({}, { consecutiveDatapointsToClear: 0 }),
        [
          'Behavior "messages-sent": invalid consecutiveDatapointsToClear "0" at "criteria.consecutiveDatapointsToClear": must be an integer 1-10',
        ],
      ],
      [
        'consecutiveDatapointsToAlarm as a string',
        messagesSent({}, { consecutiveDatapointsToAlarm: '3' }),
        [
          'Behavior "messages-sent": "criteria.consecutiveDatapointsToAlarm" must be an integer, got string "3"',
        ],
      ],
      [
        'dimension on a custom metric',
        {
          name: 'battery-low',
          metric: 'battery',
          metricDimension: { dimensionName: 'telemetry-topics' },
          criteria: { comparisonOperator: 'less-than', value: { number: 10 } },
        },
        [
          'Behavior "battery-low": "metricDimension" cannot be used with custom metric "battery" of type "number"',
        ],
      ],
      [
        'dimension on a metric without topics',
        messagesSent({
          metric: 'aws:num-disconnects',
          metricDimension: { dimensionName: 'telemetry-topics' },
        }),
        [
          'Behavior "messages-sent": "metricDimension" cannot be used with metric "aws:num-disconnects"; dimensions apply only to aws:message-byte-size, aws:num-messages-sent, aws:num-messages-received, aws:num-authorization-failures or aws:source-ip-address',
        ],
      ],
      [
        'unknown dimension',
        messagesSent({ metricDimension: { dimensionName: 'other-topics' } }),
        [
          'Behavior "messages-sent": dimension "other-topics" not found; create it with CreateDimension first',
        ],
      ],
      [
        'invalid dimension operator',
        messagesSent({ metricDimension: { dimensionName: 'telemetry-topics', operator: 'EQ' } }),
        [
          'Behavior "messages-sent": invalid dimension operator "EQ" at "metricDimension.operator": must be IN or NOT_IN',
        ],
      ],
      [
        'dimension without a name',
        messagesSent({ metricDimension: { operator: 'IN' } }),
        ['Behavior "messages-sent": missing required field "metricDimension.dimensionName"'],
      ],
      [
        'invalid dimension name',
        messagesSent({ metricDimension: { dimensionName: 'my topics' } }),
        [
          'Behavior "messages-sent": invalid dimension name "my topics": must be 1-128 characters of a-z, A-Z, 0-9, ":", "_" and "-"',
        ],
      ],
      [
        'dimension that is not an object',
        messagesSent({ metricDimension: 'telemetry-topics' }),
        [
          'Behavior "messages-sent": "metricDimension" must be an object, got string "telemetry-topics"',
        ],
      ],
      [
        'unknown custom metric',
        {
          name: 'fuel',
          metric: 'fuel-level',
          criteria: { comparisonOperator: 'less-than', value: { number: 5 } },
        },
        [
          'Behavior "fuel": custom metric "fuel-level" not found; create it with CreateCustomMetric first',
        ],
      ],
      [
        'unknown built-in metric',
        messagesSent({ metric: 'aws:num-bytes' }),
        [
          'Behavior "messages-sent": unknown metric "aws:num-bytes": no built-in metric has this name',
        ],
      ],
      [
        'missing metric',
        messagesSent({ metric: undefined }),
        ['Behavior "messages-sent": missing required field "metric"'],
      ],
      [
        'ML on aws:source-ip-address',
        {
          name: 'source-ip-ml',
          metric: 'aws:source-ip-address',
          criteria: { mlDetectionConfig: { confidenceLevel: 'HIGH' } },
        },
        ['Behavior "source-ip-ml": ML Detect is not supported for metric "aws:source-ip-address"'],
      ],
      [
        'ML on a custom list metric',
        {
          name: 'cpu-ml',
          metric: 'cpu-usage',
          criteria: { mlDetectionConfig: { confidenceLevel: 'LOW' } },
        },
        [
          'Behavior "cpu-ml": ML Detect is not supported for custom metric "cpu-usage" of type "number-list"',
        ],
      ],
      [
        'ML with an operator and a duration',
        {
          name: 'ml',
          metric: 'aws:num-messages-sent',
          criteria: {
            comparisonOperator: 'less-than',
            durationSeconds: 300,
            mlDetectionConfig: { confidenceLevel: 'MEDIUM' },
          },
        },
        [
          'Behavior "ml": "criteria.comparisonOperator" must not be set with "mlDetectionConfig"',
          'Behavior "ml": "criteria.durationSeconds" must not be set with "mlDetectionConfig"',
        ],
      ],
      [
        'ML without a confidence level',
        { name: 'ml', metric: 'aws:num-messages-sent', criteria: { mlDetectionConfig: {} } },
        ['Behavior "ml": missing required field "criteria.mlDetectionConfig.confidenceLevel"'],
      ],
      [
        'invalid confidence level',
        {
          name: 'ml',
          metric: 'aws:num-messages-sent',
          criteria: { mlDetectionConfig: { confidenceLevel: 'High' } },
        },
        [
          'Behavior "ml": invalid confidence level "High" at "criteria.mlDetectionConfig.confidenceLevel": must be LOW, MEDIUM or HIGH',
        ],
      ],
      [
        'statistical and value both given',
        messagesSent({}, { statisticalThreshold: { statistic: 'p90' } }),
        [
          'Behavior "messages-sent": criteria must contain only one of "value", "statisticalThreshold" and "mlDetectionConfig", got "value" and "statisticalThreshold"',
        ],
      ],
      [
        'no evaluation mode',
        messagesSent({}, { value: undefined }),
        [
          'Behavior "messages-sent": criteria must contain one of "value", "statisticalThreshold" or "mlDetectionConfig"',
        ],
      ],
      [
        'invalid statistic',
        messagesSent({}, { value: undefined, statisticalThreshold: { statistic: 'p95' } }),
        [
          'Behavior "messages-sent": invalid statistic "p95" at "criteria.statisticalThreshold.statistic": must be one of p0, p0.1, p0.01, p1, p10, p50, p90, p99, p99.9, p99.99 or p100',
        ],
      ],
      [
        'statistical threshold without a statistic or duration',
        messagesSent(
          {},
          { value: undefined, durationSeconds: undefined, statisticalThreshold: {} },
        ),
        [
          'Behavior "messages-sent": missing required field "criteria.statisticalThreshold.statistic"',
          'Behavior "messages-sent": missing "criteria.durationSeconds", which "statisticalThreshold" requires; use 300, 600, 900, 1800 or 3600',
        ],
      ],
      [
        'statistical threshold on a list metric',
        {
          name: 'tcp-ports',
          metric: 'aws:listening-tcp-ports',
          criteria: {
            comparisonOperator: 'in-port-set',
            statisticalThreshold: { statistic: 'p50' },
          },
        },
        [
          'Behavior "tcp-ports": statistical thresholds are not supported for metric "aws:listening-tcp-ports"',
        ],
      ],
      [
        'invalid CIDR 300.1.1.1/8',
        {
          name: 'source-ip',
          metric: 'aws:source-ip-address',
          criteria: {
            comparisonOperator: 'in-cidr-set',
            value: { cidrs: ['10.0.0.0/8', '300.1.1.1/8'] },
          },
        },
        [
          'Behavior "source-ip": invalid CIDR "300.1.1.1/8" at "criteria.value.cidrs[1]": octet "300" is out of range 0-255',
        ],
      ],
      [
        'CIDR prefix over 32',
        {
          name: 'destinations',
          metric: 'aws:destination-ip-addresses',
          criteria: { comparisonOperator: 'not-in-cidr-set', value: { cidrs: ['10.0.0.0/33'] } },
        },
        [
          'Behavior "destinations": invalid CIDR "10.0.0.0/33" at "criteria.value.cidrs[0]": prefix length "33" exceeds 32 for IPv4',
        ],
      ],
      [
        'CIDR longer than 43 characters',
        {
          name: 'addresses',
          metric: 'interface-addresses',
          criteria: {
            comparisonOperator: 'in-cidr-set',
            value: { cidrs: ['ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128', 7] },
          },
        },
        [
          'Behavior "addresses": invalid CIDR "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128" at "criteria.value.cidrs[0]": must be 2-43 characters',
          'Behavior "addresses": invalid CIDR "7" at "criteria.value.cidrs[1]": must be a string',
        ],
      ],
      [
        'port 70000',
        {
          name: 'udp-ports',
          metric: 'aws:listening-udp-ports',
          criteria: { comparisonOperator: 'not-in-port-set', value: { ports: [53, 70000, -1] } },
        },
        [
          'Behavior "udp-ports": invalid port "70000" at "criteria.value.ports[1]": must be an integer 0-65535',
          'Behavior "udp-ports": invalid port "-1" at "criteria.value.ports[2]": must be an integer 0-65535',
        ],
      ],
      [
        'ports that are not a list',
        {
          name: 'udp-ports',
          metric: 'aws:listening-udp-ports',
          criteria: { comparisonOperator: 'in-port-set', value: { ports: 53 } },
        },
        ['Behavior "udp-ports": "criteria.value.ports" must be a list, got number "53"'],
      ],
      [
        'invalid list elements of custom metrics',
        [
          {
            name: 'interfaces',
            metric: 'interface-names',
            criteria: { comparisonOperator: 'in-set', value: { strings: ['eth0', 5] } },
          },
          {
            name: 'cpu',
            metric: 'cpu-usage',
            criteria: { comparisonOperator: 'in-set', value: { numbers: [1, 'high'] } },
          },
        ],
        [
          'Behavior "interfaces": invalid string "5" at "criteria.value.strings[1]": must be a string',
          'Behavior "cpu": invalid number "high" at "criteria.value.numbers[1]": must be a finite number',
        ],
      ],
      [
        'unknown fields in a behavior and its criteria',
        messagesSent({ threshold: 5 }, { window: 300, value: { count: 1, max: 2 } }),
        [
          'Behavior "messages-sent": unknown field "threshold"',
          'Behavior "messages-sent": unknown field "criteria.window"',
          'Behavior "messages-sent": unknown field "criteria.value.max"',
        ],
      ],
      [
        'unknown fields in nested configurations',
        [
          {
            name: 'stat',
            metric: 'aws:num-messages-sent',
            metricDimension: { dimensionName: 'telemetry-topics', type: 'TOPIC_FILTER' },
            criteria: {
              comparisonOperator: 'less-than',
              statisticalThreshold: { statistic: 'p90', method: 'nearest' },
              durationSeconds: 300,
            },
          },
          {
            name: 'ml',
            metric: 'aws:num-messages-sent',
            criteria: { mlDetectionConfig: { confidenceLevel: 'LOW', model: 'rcf' } },
          },
        ],
        [
          'Behavior "stat": unknown field "metricDimension.type"',
          'Behavior "stat": unknown field "criteria.statisticalThreshold.method"',
          'Behavior "ml": unknown field "criteria.mlDetectionConfig.model"',
        ],
      ],
      [
        'missing and invalid names',
        [
          messagesSent({ name: undefined }),
          messagesSent({ name: 'messages sent' }),
          messagesSent({ name: 'x'.repeat(129) }),
          messagesSent({ name: 42 }),
        ],
        [
          'Behavior at index 0: missing required field "name"',
          'Behavior "messages sent": invalid name "messages sent": must be 1-128 characters of a-z, A-Z, 0-9, ":", "_" and "-"',
          `Behavior "${'x'.repeat(100)}…": invalid name "${'x'.repeat(100)}…": must be 1-128 characters of a-z, A-Z, 0-9, ":", "_" and "-"`,
          'Behavior at index 3: "name" must be a string, got number "42"',
        ],
      ],
      [
        'non-boolean flags',
        messagesSent({ suppressAlerts: 'yes', exportMetric: 1 }),
        [
          'Behavior "messages-sent": "suppressAlerts" must be a boolean, got string "yes"',
          'Behavior "messages-sent": "exportMetric" must be a boolean, got number "1"',
        ],
      ],
      [
        'behavior and criteria that are not objects',
        [
          'messages-sent',
          messagesSent({ criteria: [] }),
          messagesSent({ name: 'no-criteria', criteria: undefined }),
        ],
        [
          'Behavior at index 0: must be an object, got string "messages-sent"',
          'Behavior "messages-sent": "criteria" must be an object, got an array',
          'Behavior "no-criteria": missing required field "criteria"',
        ],
      ],
    ];
    for (const [description, input, expected] of cases) {
      const behaviors = Array.isArray(input) ? input : [input];
      assert.deepEqual(messagesOf(behaviors), expected, description);
      assert.equal(validateBehaviors(behaviors, lookup).valid, false, description);
    }
  });

  test('treats JSON null as an omitted member', () => {
    const behavior = messagesSent(
      { metricDimension: null, suppressAlerts: null },
      { consecutiveDatapointsToAlarm: null, statisticalThreshold: null },
    );
    assert.deepEqual(messagesOf([behavior]), []);
  });

  test('rejects duplicate behavior names', () => {
    const behaviors = [messagesSent(), messagesSent({ metric: 'aws:num-messages-received' })];
    assert.deepEqual(messagesOf(behaviors), [
      'Behavior "messages-sent": duplicate name, already used by the behavior at index 0',
    ]);
  });

  test('rejects more than 100 behaviors', () => {
    const behaviors = Array.from({ length: 101 }, (_, index) =>
      messagesSent({ name: `b-${index}` }),
    );
    assert.deepEqual(messagesOf(behaviors.slice(0, 100)), []);
    assert.deepEqual(messagesOf(behaviors), [
      'A security profile may contain at most 100 behaviors, got 101',
    ]);
  });

  test('rejects more than 1000 value elements per profile', () => {
    const ports = (count: number, offset: number) =>
      Array.from({ length: count }, (_, index) => offset + index);
    const portsBehavior = (name: string, count: number, offset: number) => ({
      name,
      metric: 'aws:listening-tcp-ports',
      criteria: { comparisonOperator: 'in-port-set', value: { ports: ports(count, offset) } },
    });

    const atLimit = [portsBehavior('a', 500, 0), portsBehavior('b', 499, 1000), messagesSent()];
    assert.deepEqual(messagesOf(atLimit), []);

    const overLimit = [portsBehavior('a', 500, 0), portsBehavior('b', 500, 1000), messagesSent()];
    assert.deepEqual(messagesOf(overLimit), [
      'Behaviors contain 1001 value elements, but a security profile may contain at most 1000',
    ]);
  });

  test('rejects a body whose behaviors are not a list', () => {
    assert.deepEqual(validateBehaviors({ name: 'x' }, lookup), {
      valid: false,
      validationErrors: [{ errorMessage: '"behaviors" must be a list, got an object' }],
    });
  });
});

describe('findBehaviorProblems', () => {
  test('gives each problem a code and a path', () => {
    const problems = findBehaviorProblems(
      [
        messagesSent(),
        {
          name: 'udp-ports',
          metric: 'aws:listening-udp-ports',
          criteria: { comparisonOperator: 'in-port-set', value: { ports: [70000] } },
        },
      ],
      lookup,
    );
    assert.deepEqual(
      problems.map((problem) => [problem.code, problem.path]),
      [['InvalidPort', 'behaviors[1].criteria.value.ports[0]']],
    );
  });

  test('keeps messages within the ErrorMessage limit', () => {
    const name = 'n'.repeat(5000);
    const problems = findBehaviorProblems(
      [messagesSent({ name, metric: `aws:${name}` }, { comparisonOperator: name })],
      lookup,
    );
    assert.equal(problems.length, 3);
    for (const problem of problems) assert.ok(problem.message.length <= 2048, problem.message);
  });
});

describe('parseBehaviors', () => {
  test('returns normalized behaviors when valid', () => {
    const result = parseBehaviors(
      [
        {
          exportMetric: false,
          criteria: { value: { count: 75 }, comparisonOperator: 'greater-than' },
          metric: 'battery',
          name: 'battery-high',
        },
      ],
      lookup,
    );
    assert.deepEqual(result, {
      ok: true,
      behaviors: [
        {
          name: 'battery-high',
          metric: 'battery',
          criteria: { comparisonOperator: 'greater-than', value: { number: 75 } },
          exportMetric: false,
        },
      ],
    });
  });

  test('returns the problems when invalid', () => {
    const result = parseBehaviors([messagesSent({}, { durationSeconds: 301 })], lookup);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(
      result.problems.map((problem) => problem.code),
      ['InvalidDuration'],
    );
  });
});
