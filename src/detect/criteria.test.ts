import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { BehaviorCriteria, ComparisonOperator } from './behavior.ts';
import { isCompliant, isEvaluable } from './criteria.ts';
import type { MetricValueKind } from './metric-catalog.ts';
import type { MetricValue } from './metric-value.ts';

type Case = [
  operator: ComparisonOperator,
  threshold: MetricValue,
  kind: MetricValueKind,
  datapoint: MetricValue,
  compliant: boolean,
];

function check([operator, threshold, kind, datapoint, expected]: Case): void {
  const criteria: BehaviorCriteria = { comparisonOperator: operator, value: threshold };
  const label = `${operator} ${JSON.stringify(threshold)} on ${JSON.stringify(datapoint)}`;
  assert.equal(isCompliant(criteria, datapoint, kind), expected, label);
}

describe('isCompliant', () => {
  test('compares counts with each numeric operator', () => {
    const cases: Case[] = [
      ['less-than', { count: 10 }, 'count', { count: 9 }, true],
      ['less-than', { count: 10 }, 'count', { count: 10 }, false],
      ['less-than-equals', { count: 10 }, 'count', { count: 10 }, true],
      ['less-than-equals', { count: 10 }, 'count', { count: 11 }, false],
      ['greater-than', { count: 10 }, 'count', { count: 11 }, true],
      ['greater-than', { count: 10 }, 'count', { count: 10 }, false],
      ['greater-than', { count: 10 }, 'count', { count: 0 }, false],
      ['greater-than-equals', { count: 10 }, 'count', { count: 10 }, true],
      ['greater-than-equals', { count: 10 }, 'count', { count: 9 }, false],
      ['less-than', { count: 10 }, 'count', { count: 54 }, false],
    ];
    cases.forEach(check);
  });

  test('compares custom numbers and reads the count alias', () => {
    const cases: Case[] = [
      ['greater-than', { number: 75 }, 'number', { number: 75.5 }, true],
      ['greater-than', { number: 75 }, 'number', { number: 75 }, false],
      ['less-than', { number: -40 }, 'number', { number: -41 }, true],
      ['less-than', { number: -40 }, 'number', { number: -40 }, false],
      ['greater-than-equals', { count: 75 }, 'number', { number: 75 }, true],
      ['greater-than-equals', { count: 75 }, 'number', { number: 74.9 }, false],
    ];
    cases.forEach(check);
  });

  test('requires every port in an in-port-set', () => {
    const cases: Case[] = [
      ['in-port-set', { ports: [8888] }, 'ports', { ports: [8888] }, true],
      ['in-port-set', { ports: [8888] }, 'ports', { ports: [8888, 443] }, false],
      ['in-port-set', { ports: [22, 80] }, 'ports', { ports: [80, 22] }, true],
      ['in-port-set', { ports: [] }, 'ports', { ports: [0] }, false],
      ['in-port-set', { ports: [8888] }, 'ports', { ports: [] }, true],
      ['not-in-port-set', { ports: [23, 2323] }, 'ports', { ports: [22, 80] }, true],
      ['not-in-port-set', { ports: [23, 2323] }, 'ports', { ports: [22, 23] }, false],
      ['not-in-port-set', { ports: [23] }, 'ports', { ports: [] }, true],
      ['not-in-port-set', { ports: [] }, 'ports', { ports: [23] }, true],
    ];
    cases.forEach(check);
  });

  test('requires every address inside some block of an in-cidr-set', () => {
    const allowed = { cidrs: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.1'] };
    const cases: Case[] = [
      ['in-cidr-set', allowed, 'cidrs', { cidrs: ['10.1.2.3'] }, true],
      ['in-cidr-set', allowed, 'cidrs', { cidrs: ['10.1.2.3', '2001:db8::5'] }, true],
      ['in-cidr-set', allowed, 'cidrs', { cidrs: ['10.1.2.3', '11.0.0.1'] }, false],
      ['in-cidr-set', allowed, 'cidrs', { cidrs: ['192.0.2.1'] }, true],
      ['in-cidr-set', allowed, 'cidrs', { cidrs: ['192.0.2.2'] }, false],
      ['in-cidr-set', allowed, 'cidrs', { cidrs: ['::ffff:10.9.9.9'] }, true],
      ['in-cidr-set', allowed, 'cidrs', { cidrs: ['10.0.0.0/16'] }, true],
      ['in-cidr-set', allowed, 'cidrs', { cidrs: ['10.0.0.0/7'] }, false],
      ['in-cidr-set', allowed, 'cidrs', { cidrs: ['not-an-ip'] }, false],
      ['in-cidr-set', allowed, 'cidrs', { cidrs: [] }, true],
      ['in-cidr-set', { cidrs: ['0.0.0.0/0'] }, 'cidrs', { cidrs: ['2001:db8::1'] }, false],
      ['in-cidr-set', { cidrs: ['::/0'] }, 'cidrs', { cidrs: ['203.0.113.7'] }, true],
    ];
    cases.forEach(check);
  });

  test('rejects any address inside a block of a not-in-cidr-set', () => {
    const denied = { cidrs: ['198.51.100.0/24', 'fc00::/7'] };
    const cases: Case[] = [
      ['not-in-cidr-set', denied, 'cidrs', { cidrs: ['10.0.0.1'] }, true],
      ['not-in-cidr-set', denied, 'cidrs', { cidrs: ['10.0.0.1', '198.51.100.9'] }, false],
      ['not-in-cidr-set', denied, 'cidrs', { cidrs: ['fd12::1'] }, false],
      ['not-in-cidr-set', denied, 'cidrs', { cidrs: ['::ffff:198.51.100.1'] }, false],
      ['not-in-cidr-set', denied, 'cidrs', { cidrs: ['198.51.0.0/16'] }, false],
      ['not-in-cidr-set', denied, 'cidrs', { cidrs: ['not-an-ip'] }, true],
      ['not-in-cidr-set', denied, 'cidrs', { cidrs: [] }, true],
    ];
    cases.forEach(check);
  });

  test('compares number and string lists with in-set and not-in-set', () => {
    const cases: Case[] = [
      ['in-set', { numbers: [1, 2.5] }, 'numbers', { numbers: [2.5, 1, 1] }, true],
      ['in-set', { numbers: [1, 2.5] }, 'numbers', { numbers: [2.5, 3] }, false],
      ['in-set', { numbers: [1] }, 'numbers', { numbers: [] }, true],
      ['not-in-set', { numbers: [0] }, 'numbers', { numbers: [1, 2] }, true],
      ['not-in-set', { numbers: [0] }, 'numbers', { numbers: [1, 0] }, false],
      ['in-set', { strings: ['eth0', 'wlan0'] }, 'strings', { strings: ['eth0'] }, true],
      ['in-set', { strings: ['eth0'] }, 'strings', { strings: ['ETH0'] }, false],
      ['in-set', { strings: ['eth0'] }, 'strings', { strings: [] }, true],
      ['not-in-set', { strings: ['ppp0'] }, 'strings', { strings: ['eth0'] }, true],
      ['not-in-set', { strings: ['ppp0'] }, 'strings', { strings: ['eth0', 'ppp0'] }, false],
    ];
    cases.forEach(check);
  });

  test('evaluates one criteria object repeatedly', () => {
    const criteria: BehaviorCriteria = {
      comparisonOperator: 'in-cidr-set',
      value: { cidrs: ['10.0.0.0/8'] },
    };
    assert.equal(isCompliant(criteria, { cidrs: ['10.0.0.1'] }, 'cidrs'), true);
    assert.equal(isCompliant(criteria, { cidrs: ['11.0.0.1'] }, 'cidrs'), false);
  });

  test('rejects statistical and ML criteria', () => {
    const statistical: BehaviorCriteria = {
      comparisonOperator: 'less-than',
      statisticalThreshold: { statistic: 'p90' },
      durationSeconds: 300,
    };
    assert.throws(() => isCompliant(statistical, { count: 1 }, 'count'), {
      name: 'RangeError',
      message:
        'Cannot evaluate STATISTICAL criteria: only static thresholds are evaluated in this release',
    });
    const ml: BehaviorCriteria = { mlDetectionConfig: { confidenceLevel: 'HIGH' } };
    assert.throws(() => isCompliant(ml, { count: 1 }, 'count'), {
      name: 'RangeError',
      message:
        'Cannot evaluate MACHINE_LEARNING criteria: only static thresholds are evaluated in this release',
    });
  });

  test('throws on mismatched kinds and missing values', () => {
    const cases: [BehaviorCriteria, MetricValue, MetricValueKind, string][] = [
      [
        { value: { count: 1 } },
        { count: 1 },
        'count',
        'Cannot evaluate criteria without an operator',
      ],
      [
        { comparisonOperator: 'in-port-set', value: { ports: [1] } },
        { count: 1 },
        'count',
        'Operator "in-port-set" cannot compare "count" values',
      ],
      [
        { comparisonOperator: 'less-than', value: { count: 1 } },
        { ports: [1] },
        'ports',
        'Operator "less-than" cannot compare "ports" values',
      ],
      [
        { comparisonOperator: 'less-than', value: { count: 1 } },
        { number: 1 },
        'count',
        'Datapoint has no "count" value',
      ],
      [
        { comparisonOperator: 'less-than', value: { ports: [1] } },
        { count: 1 },
        'count',
        'Criteria have no "value.count" threshold',
      ],
      [
        { comparisonOperator: 'in-cidr-set', value: { ports: [1] } },
        { cidrs: [] },
        'cidrs',
        'Criteria have no "value.cidrs" set',
      ],
      [
        { comparisonOperator: 'in-set', value: { strings: ['a'] } },
        { numbers: [1] },
        'numbers',
        'Criteria have no "value.numbers" set',
      ],
      [
        { comparisonOperator: 'not-in-port-set', value: { ports: [1] } },
        { count: 3 },
        'ports',
        'Datapoint has no "ports" list',
      ],
      [
        { comparisonOperator: 'in-cidr-set', value: { cidrs: ['10.0.0.0/33'] } },
        { cidrs: ['10.0.0.1'] },
        'cidrs',
        'Criteria contain an invalid CIDR: Invalid CIDR "10.0.0.0/33": prefix length "33" exceeds 32 for IPv4',
      ],
    ];
    for (const [criteria, datapoint, kind, message] of cases) {
      assert.throws(() => isCompliant(criteria, datapoint, kind), { name: 'TypeError', message });
    }
  });
});

describe('isEvaluable', () => {
  test('accepts only static criteria', () => {
    assert.equal(isEvaluable({ comparisonOperator: 'less-than', value: { count: 1 } }), true);
    assert.equal(isEvaluable({ statisticalThreshold: { statistic: 'p50' } }), false);
    assert.equal(isEvaluable({ mlDetectionConfig: { confidenceLevel: 'LOW' } }), false);
  });
});
