import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { classifyBehavior, classifyCriteria } from './behavior.ts';

describe('classifyCriteria', () => {
  test('classifies by evaluation mode', () => {
    assert.equal(
      classifyCriteria({ comparisonOperator: 'less-than', value: { count: 1 } }),
      'STATIC',
    );
    assert.equal(
      classifyCriteria({
        comparisonOperator: 'less-than',
        statisticalThreshold: { statistic: 'p90' },
      }),
      'STATISTICAL',
    );
    assert.equal(
      classifyCriteria({ mlDetectionConfig: { confidenceLevel: 'HIGH' } }),
      'MACHINE_LEARNING',
    );
    assert.equal(classifyCriteria(undefined), 'STATIC');
  });

  test('classifies a behavior by its criteria', () => {
    assert.equal(
      classifyBehavior({
        name: 'ml',
        metric: 'aws:num-messages-sent',
        criteria: { mlDetectionConfig: { confidenceLevel: 'LOW' } },
      }),
      'MACHINE_LEARNING',
    );
  });
});
