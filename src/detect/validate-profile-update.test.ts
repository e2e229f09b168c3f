import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { findUpdateConflicts } from './validate-profile-update.ts';

describe('findUpdateConflicts', () => {
  test('rejects delete flags next to the fields they delete', () => {
    const problems = findUpdateConflicts({
      behaviors: [{ name: 'b' }],
      deleteBehaviors: true,
      alertTargets: { SNS: { alertTargetArn: 'arn', roleArn: 'role' } },
      deleteAlertTargets: true,
      additionalMetricsToRetain: ['aws:num-messages-sent'],
      additionalMetricsToRetainV2: [{ metric: 'aws:num-disconnects' }],
      deleteAdditionalMetricsToRetain: true,
      metricsExportConfig: { mqttTopic: 't', roleArn: 'r' },
      deleteMetricsExportConfig: true,
    });
    assert.deepEqual(problems, [
      {
        code: 'ConflictingUpdate',
        path: 'behaviors',
        message:
          'Cannot set "deleteBehaviors" to true and give "behaviors" in the same update; remove one of them',
      },
      {
        code: 'ConflictingUpdate',
        path: 'alertTargets',
        message:
          'Cannot set "deleteAlertTargets" to true and give "alertTargets" in the same update; remove one of them',
      },
      {
        code: 'ConflictingUpdate',
        path: 'additionalMetricsToRetain',
        message:
          'Cannot set "deleteAdditionalMetricsToRetain" to true and give "additionalMetricsToRetain" in the same update; remove one of them',
      },
      {
        code: 'ConflictingUpdate',
        path: 'additionalMetricsToRetainV2',
        message:
          'Cannot set "deleteAdditionalMetricsToRetain" to true and give "additionalMetricsToRetainV2" in the same update; remove one of them',
      },
      {
        code: 'ConflictingUpdate',
        path: 'metricsExportConfig',
        message:
          'Cannot set "deleteMetricsExportConfig" to true and give "metricsExportConfig" in the same update; remove one of them',
      },
    ]);
  });

  test('accepts flags with empty or absent fields', () => {
    assert.deepEqual(
      findUpdateConflicts({
        behaviors: [],
        deleteBehaviors: true,
        alertTargets: {},
        deleteAlertTargets: true,
        additionalMetricsToRetainV2: null,
        deleteAdditionalMetricsToRetain: true,
        deleteMetricsExportConfig: true,
      }),
      [],
    );
  });

  test('accepts fields when the flags are false or absent', () => {
    assert.deepEqual(
      findUpdateConflicts({
        behaviors: [{ name: 'b' }],
        deleteBehaviors: false,
        metricsExportConfig: { mqttTopic: 't', roleArn: 'r' },
      }),
      [],
    );
  });
});
