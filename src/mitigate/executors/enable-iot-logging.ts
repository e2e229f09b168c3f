import { isDeepStrictEqual } from 'node:util';
import { invalidRequest } from '../../core/errors.ts';
import type { LoggingOptions } from '../../registry/types.ts';
import type { MitigationAction } from '../mitigation-types.ts';
import { paramsOf, type ActionExecutor, type ExecutorContext } from './executor.ts';

/** `before` and `after`: the account's logging options; null when none were ever set. */
export interface LoggingState {
  logging: LoggingOptions | null;
}

const LEVELS = ['DEBUG', 'INFO', 'ERROR', 'WARN'];

// The options GetV2LoggingOptions shows for an account that never set any.
const UNSET: LoggingOptions = { defaultLogLevel: 'DISABLED', disableAllLogs: false };

/**
 * ENABLE_IOT_LOGGING: sets the account's logging options as SetV2LoggingOptions would, with
 * `roleArnForLogging` as the role, `logLevel` as the default level and logging not disabled.
 * Per-event levels are kept. Rollback writes the previous options back, unless they were
 * changed since; an account that had none gets the options it showed before: level DISABLED.
 */
export const enableIotLoggingExecutor: ActionExecutor = {
  actionType: 'ENABLE_IOT_LOGGING',

  plan(action, _target, context) {
    const { before, after } = prepare(action, context);
    return { before, message: `Would set ${describe(after)}` };
  },

  async apply(action, _target, context) {
    const { before, after } = prepare(action, context);
    await context.registry.commit([{ type: 'logging', options: after }]);
    return { before, after: { logging: after }, message: `Set ${describe(after)}` };
  },

  async rollback(execution, context) {
    const before = execution.before as LoggingState;
    const after = execution.after as LoggingState;
    const current = context.registry.logging ?? null;
    if (!isDeepStrictEqual(current, after.logging))
      return 'Left the logging options unchanged: they were changed after this execution';
    const previous = before.logging ?? UNSET;
    await context.registry.commit([{ type: 'logging', options: previous }]);
    return `Restored ${describe(previous)}`;
  },
};

function prepare(action: MitigationAction, context: ExecutorContext) {
  const params = paramsOf(action, 'enableIoTLoggingParams');
  if (!LEVELS.includes(params.logLevel)) {
    throw invalidRequest(
      `Invalid logLevel "${String(params.logLevel)}" in mitigation action "${action.actionName}": must be DEBUG, INFO, WARN or ERROR`,
    );
  }
  const current = context.registry.logging;
  const after: LoggingOptions = {
    roleArn: params.roleArnForLogging,
    defaultLogLevel: params.logLevel,
    disableAllLogs: false,
  };
  if (current?.eventConfigurations !== undefined)
    after.eventConfigurations = current.eventConfigurations;
  const before: LoggingState = { logging: current ?? null };
  return { before, after };
}

function describe(options: LoggingOptions): string {
  const role = options.roleArn === undefined ? '' : ` with role "${options.roleArn}"`;
  const off = options.disableAllLogs ? ', all logs disabled' : '';
  return `the default log level to ${options.defaultLogLevel}${role}${off}`;
}
