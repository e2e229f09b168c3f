/**
 * T1562.008 Impair Defenses: Disable or Modify Cloud Logs: an adversary with API access turns IoT
 * logging off with SetV2LoggingOptions. The role ARN, if any, is kept, so only the level changes.
 */

import type { Scenario } from '../scenario.ts';

export const loggingDisabled: Scenario = {
  name: 'logging-disabled',
  techniqueId: 'T1562.008',
  relatedTechniqueIds: ['T1562'],
  summary:
    'Sets the account logging options to defaultLogLevel DISABLED and disableAllLogs true with SetV2LoggingOptions.',
  expectedSignal: { kind: 'finding', checkName: 'LOGGING_DISABLED_CHECK' },
  secondarySignals: [],
  scope: 'account',
  create(context) {
    const lines: string[] = [];
    return {
      async start() {
        const previous = await context.api.call({
          operation: 'GetV2LoggingOptions',
          method: 'GET',
          path: '/v2LoggingOptions',
        });
        const options: Record<string, unknown> = {
          defaultLogLevel: 'DISABLED',
          disableAllLogs: true,
        };
        if (typeof previous.roleArn === 'string') options['roleArn'] = previous.roleArn;
        await context.api.call({
          operation: 'SetV2LoggingOptions',
          method: 'POST',
          path: '/v2LoggingOptions',
          body: options,
        });
        lines.push(
          `disabled logging (was defaultLogLevel ${previous.defaultLogLevel}, disableAllLogs ${previous.disableAllLogs})`,
        );
      },
      actions() {
        return lines;
      },
    };
  },
};
