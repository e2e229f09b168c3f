import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { LoggingOptions } from '../../registry/types.ts';
import { loggingDisabledCheck as check } from './logging-disabled.ts';
import { ACCOUNT_ID, runCheck, TestFleet } from './test-fleet.ts';

describe('LOGGING_DISABLED_CHECK', () => {
  test('finds nothing while logging is on', async () => {
    for (const level of ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const) {
      const test = new TestFleet();
      test.fleet.logging = { defaultLogLevel: level, disableAllLogs: false };

      const result = await runCheck(check, test.fleet);

      assert.deepEqual(result, { totalResourcesCount: 1, nonCompliant: [] }, level);
    }
  });

  test('reports the account when logging is off', async () => {
    const cases: [LoggingOptions | undefined, string][] = [
      [undefined, 'Logging is disabled: no logging options are set.'],
      [
        { defaultLogLevel: 'INFO', disableAllLogs: true },
        'Logging is disabled: disableAllLogs is true.',
      ],
      [
        { defaultLogLevel: 'DISABLED', disableAllLogs: false },
        'Logging is disabled: the default log level is DISABLED.',
      ],
      [
        {
          defaultLogLevel: 'DISABLED',
          disableAllLogs: false,
          eventConfigurations: [{ eventType: 'Connect', logLevel: 'INFO' }],
        },
        'Logging is disabled: the default log level is DISABLED.',
      ],
    ];
    for (const [logging, reason] of cases) {
      const test = new TestFleet();
      test.fleet.logging = logging;

      const result = await runCheck(check, test.fleet);

      assert.deepEqual(result, {
        totalResourcesCount: 1,
        nonCompliant: [
          {
            resource: {
              resourceType: 'ACCOUNT_SETTINGS',
              resourceIdentifier: { account: ACCOUNT_ID },
            },
            relatedResources: [],
            reasonForNonCompliance: reason,
            reasonForNonComplianceCode: 'LOGGING_DISABLED',
          },
        ],
      });
    }
  });

  test('takes no configuration', () => {
    assert.equal(check.name, 'LOGGING_DISABLED_CHECK');
    assert.equal(check.severity, 'LOW');
    assert.equal(check.enabledByDefault, true);
    assert.match(check.validateConfiguration?.({ X: '1' }) ?? '', /takes no configuration$/);
  });
});
