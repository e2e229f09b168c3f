import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  BUILT_IN_METRICS,
  builtInMetric,
  customMetricRules,
  isBuiltInMetricName,
  type MetricRules,
} from './metric-catalog.ts';

type Row = [
  name: string,
  side: MetricRules['side'],
  kind: MetricRules['valueKind'],
  operators: 'numeric' | 'ports' | 'cidrs',
  duration: MetricRules['staticDuration'],
  statistical: boolean,
  ml: boolean,
  dimension: boolean,
];

// The developer guide's metric pages, row by row, with Warden's choice for disconnect-duration.
const EXPECTED: Row[] = [
  ['aws:message-byte-size', 'cloud', 'count', 'numeric', 'forbidden', true, true, true],
  ['aws:num-messages-sent', 'cloud', 'count', 'numeric', 'required', true, true, true],
  ['aws:num-messages-received', 'cloud', 'count', 'numeric', 'required', true, true, true],
  ['aws:num-authorization-failures', 'cloud', 'count', 'numeric', 'required', true, true, true],
  ['aws:source-ip-address', 'cloud', 'cidrs', 'cidrs', 'forbidden', false, false, true],
  ['aws:num-connection-attempts', 'cloud', 'count', 'numeric', 'required', true, true, false],
  ['aws:num-disconnects', 'cloud', 'count', 'numeric', 'required', true, true, false],
  ['aws:disconnect-duration', 'cloud', 'count', 'numeric', 'forbidden', false, false, false],
  // Warden's own metric, after AWS's.
  ['warden:report-silence', 'cloud', 'count', 'numeric', 'forbidden', false, false, false],
  ['aws:all-bytes-out', 'device', 'count', 'numeric', 'required', true, true, false],
  ['aws:all-bytes-in', 'device', 'count', 'numeric', 'required', true, true, false],
  ['aws:all-packets-out', 'device', 'count', 'numeric', 'required', true, true, false],
  ['aws:all-packets-in', 'device', 'count', 'numeric', 'required', true, true, false],
  ['aws:num-listening-tcp-ports', 'device', 'count', 'numeric', 'optional', true, true, false],
  ['aws:num-listening-udp-ports', 'device', 'count', 'numeric', 'optional', true, true, false],
  [
    'aws:num-established-tcp-connections',
    'device',
    'count',
    'numeric',
    'optional',
    true,
    true,
    false,
  ],
  ['aws:listening-tcp-ports', 'device', 'ports', 'ports', 'forbidden', false, false, false],
  ['aws:listening-udp-ports', 'device', 'ports', 'ports', 'forbidden', false, false, false],
  ['aws:destination-ip-addresses', 'device', 'cidrs', 'cidrs', 'forbidden', false, false, false],
];

const OPERATORS = {
  numeric: ['less-than', 'less-than-equals', 'greater-than', 'greater-than-equals'],
  ports: ['in-port-set', 'not-in-port-set'],
  cidrs: ['in-cidr-set', 'not-in-cidr-set'],
};

describe('BUILT_IN_METRICS', () => {
  test('matches the documented metric table', () => {
    assert.deepEqual(
      BUILT_IN_METRICS.map((metric) => metric.name),
      EXPECTED.map(([name]) => name),
    );
    for (const [name, side, kind, operators, duration, statistical, ml, dimension] of EXPECTED) {
      const metric = builtInMetric(name);
      assert.ok(metric, name);
      assert.equal(metric.side, side, name);
      assert.equal(metric.valueKind, kind, name);
      assert.deepEqual(metric.operators, OPERATORS[operators], name);
      assert.equal(metric.staticDuration, duration, name);
      assert.equal(metric.statistical, statistical, name);
      assert.equal(metric.machineLearning, ml, name);
      assert.equal(metric.topicFilterDimension, dimension, name);
      assert.equal(metric.customType, undefined, name);
    }
  });

  test('supports ML Detect on six cloud and seven device metrics', () => {
    const ml = BUILT_IN_METRICS.filter((metric) => metric.machineLearning);
    assert.equal(ml.filter((metric) => metric.side === 'cloud').length, 6);
    assert.equal(ml.filter((metric) => metric.side === 'device').length, 7);
  });

  test('allows ML with dimensions only on the four message metrics', () => {
    const both = BUILT_IN_METRICS.filter((m) => m.machineLearning && m.topicFilterDimension);
    assert.deepEqual(
      both.map((metric) => metric.name),
      [
        'aws:message-byte-size',
        'aws:num-messages-sent',
        'aws:num-messages-received',
        'aws:num-authorization-failures',
      ],
    );
  });

  test('assigns each metric its aggregation', () => {
    const aggregation = (name: string) => builtInMetric(name)?.aggregation;
    assert.equal(aggregation('aws:message-byte-size'), 'cloud-message-size');
    assert.equal(aggregation('aws:num-messages-sent'), 'cloud-counter');
    assert.equal(aggregation('aws:source-ip-address'), 'cloud-set');
    assert.equal(aggregation('aws:disconnect-duration'), 'cloud-elapsed');
    assert.equal(aggregation('aws:all-bytes-in'), 'device-delta');
    assert.equal(aggregation('aws:num-listening-tcp-ports'), 'device-gauge');
    assert.equal(aggregation('aws:listening-udp-ports'), 'device-set');
    assert.equal(builtInMetric('aws:disconnect-duration')?.unit, 'minutes');
  });
});

describe('builtInMetric', () => {
  test('returns undefined for unknown names', () => {
    assert.equal(builtInMetric('aws:num-bytes'), undefined);
    assert.equal(builtInMetric('battery'), undefined);
  });
});

describe('isBuiltInMetricName', () => {
  test('treats every aws: name as built in', () => {
    assert.equal(isBuiltInMetricName('aws:num-bytes'), true);
    assert.equal(isBuiltInMetricName('battery'), false);
    assert.equal(isBuiltInMetricName('AWS:battery'), false);
  });
});

describe('customMetricRules', () => {
  test('derives rules from the custom metric type', () => {
    const cases: [
      Parameters<typeof customMetricRules>[1],
      MetricRules['valueKind'],
      string[],
      boolean,
    ][] = [
      ['number', 'number', OPERATORS.numeric, true],
      ['number-list', 'numbers', ['in-set', 'not-in-set'], false],
      ['string-list', 'strings', ['in-set', 'not-in-set'], false],
      ['ip-address-list', 'cidrs', OPERATORS.cidrs, false],
    ];
    for (const [type, kind, operators, numeric] of cases) {
      const rules = customMetricRules('m', type);
      assert.equal(rules.name, 'm');
      assert.equal(rules.customType, type);
      assert.equal(rules.side, 'device');
      assert.equal(rules.valueKind, kind, type);
      assert.deepEqual(rules.operators, operators, type);
      assert.equal(rules.statistical, numeric, type);
      assert.equal(rules.machineLearning, numeric, type);
      assert.equal(rules.staticDuration, numeric ? 'optional' : 'forbidden', type);
      assert.equal(rules.topicFilterDimension, false, type);
      assert.equal(rules.aggregation, numeric ? 'device-gauge' : 'device-set', type);
    }
  });
});
