/**
 * LOGGING_DISABLED_CHECK: the account's logging is off. AWS examines both SetLoggingOptions and
 * SetV2LoggingOptions; Warden keeps one set of logging options, which counts as off when it was
 * never set, when `disableAllLogs` is true, or when the default log level is `DISABLED`.
 *
 * NOTE: per-event log levels do not turn logging back on when the default level is `DISABLED`;
 * AWS does not say how it judges such a mix.
 */

import type { AuditCheck } from '../audit-check.ts';
import type { LoggingOptions } from '../../registry/types.ts';
import { rejectsConfiguration } from './check-configuration.ts';

const NAME = 'LOGGING_DISABLED_CHECK';

/** Reports an account whose logging is not enabled. */
export const loggingDisabledCheck: AuditCheck = {
  name: NAME,
  severity: 'LOW',
  enabledByDefault: true,
  validateConfiguration: rejectsConfiguration(NAME),
  run({ fleet }) {
    const cause = disabledCause(fleet.logging);
    if (cause === undefined) return { totalResourcesCount: 1, nonCompliant: [] };
    return {
      totalResourcesCount: 1,
      nonCompliant: [
        {
          resource: {
            resourceType: 'ACCOUNT_SETTINGS',
            resourceIdentifier: { account: fleet.accountId },
          },
          relatedResources: [],
          reasonForNonCompliance: `Logging is disabled: ${cause}.`,
          reasonForNonComplianceCode: 'LOGGING_DISABLED',
        },
      ],
    };
  },
};

function disabledCause(logging: LoggingOptions | undefined): string | undefined {
  if (logging === undefined) return 'no logging options are set';
  if (logging.disableAllLogs) return 'disableAllLogs is true';
  if (logging.defaultLogLevel === 'DISABLED') return 'the default log level is DISABLED';
  return undefined;
}
