import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { Behavior } from './behavior.ts';
import type { CustomMetricType } from './metric-value.ts';
import { normalizeBehavior } from './normalize-behavior.ts';

const CUSTOM_METRICS: Record<string, CustomMetricType> = { battery: 'number', cpu: 'number-list' };
const lookup = { customMetricType: (name: string) => CUSTOM_METRICS[name] };

describe('normalizeBehavior', () => {
  test('renames the count alias of a custom number', () => {
    const behavior: Behavior = {
      name: 'battery-low',
      metric: 'battery',
      criteria: { comparisonOperator: 'less-than', value: { count: 20 } },
    };
    assert.deepEqual(normalizeBehavior(behavior, lookup).criteria?.value, { number: 20 });
  });

  test('keeps count on built-in metrics and unknown names', () => {
    const builtIn: Behavior = {
      name: 'messages',
      metric: 'aws:num-messages-sent',
      criteria: { comparisonOperator: 'less-than', value: { count: 20 }, durationSeconds: 300 },
    };
    assert.deepEqual(normalizeBehavior(builtIn, lookup).criteria?.value, { count: 20 });
    const other: Behavior = { ...builtIn, metric: 'aws:battery' };
    assert.deepEqual(normalizeBehavior(other, lookup).criteria?.value, { count: 20 });
  });

  test('orders members and drops nulls without adding defaults', () => {
    const raw = {
      exportMetric: true,
      suppressAlerts: null,
      criteria: {
        mlDetectionConfig: null,
        consecutiveDatapointsToClear: 2,
        durationSeconds: 600,
        value: { count: 5 },
        comparisonOperator: 'greater-than',
      },
      metricDimension: { operator: null, dimensionName: 'topics' },
      metric: 'aws:num-messages-received',
      name: 'received',
    } as unknown as Behavior;
    const normalized = normalizeBehavior(raw, lookup);
    assert.equal(
      JSON.stringify(normalized),
      JSON.stringify({
        name: 'received',
        metric: 'aws:num-messages-received',
        metricDimension: { dimensionName: 'topics' },
        criteria: {
          comparisonOperator: 'greater-than',
          value: { count: 5 },
          durationSeconds: 600,
          consecutiveDatapointsToClear: 2,
        },
        exportMetric: true,
      }),
    );
  });

  test('copies lists instead of sharing them', () => {
    const ports = [22, 80];
    const behavior: Behavior = {
      name: 'ports',
      metric: 'aws:listening-tcp-ports',
      criteria: { comparisonOperator: 'in-port-set', value: { ports } },
    };
    const normalized = normalizeBehavior(behavior, lookup);
    ports.push(443);
    assert.deepEqual(normalized.criteria?.value?.ports, [22, 80]);
  });

  test('keeps statistical and ML configurations', () => {
    const statistical: Behavior = {
      name: 'stat',
      metric: 'aws:num-messages-sent',
      criteria: {
        comparisonOperator: 'less-than',
        statisticalThreshold: { statistic: 'p99.9' },
        durationSeconds: 900,
      },
    };
    assert.deepEqual(normalizeBehavior(statistical, lookup), statistical);
    const ml: Behavior = {
      name: 'ml',
      metric: 'battery',
      criteria: {
        mlDetectionConfig: { confidenceLevel: 'MEDIUM' },
        consecutiveDatapointsToAlarm: 3,
      },
      suppressAlerts: false,
    };
    assert.deepEqual(normalizeBehavior(ml, lookup), ml);
  });
});
