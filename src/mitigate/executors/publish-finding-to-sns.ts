import { invalidRequest, notFound } from '../../core/errors.ts';
import { targetNameOfArn } from '../../detect/alert-target.ts';
import type { ExecutionRecord, MitigationAction } from '../mitigation-types.ts';
import { paramsOf, type ActionExecutor } from './executor.ts';

/** `after`: where the notification went. */
export interface NotificationSent {
  topicArn: string;
  alertTargetName: string;
}

/**
 * PUBLISH_FINDING_TO_SNS: sends the finding or violation, as the API shows it, to the Warden
 * alert target that the topic ARN's last part names. The message is the subject's members plus
 * `actionName`, `actionId`, `executionId` and, for executions of a task, `mitigationTaskId`.
 * Delivery is asynchronous and retried by the alert dispatcher; a notification cannot be
 * recalled, so this action has no rollback.
 */
export const publishFindingToSnsExecutor: ActionExecutor = {
  actionType: 'PUBLISH_FINDING_TO_SNS',
  irreversible: 'PUBLISH_FINDING_TO_SNS sent a notification, which cannot be recalled',

  plan(action) {
    const { topicArn, alertTargetName } = prepare(action);
    return {
      before: null,
      message: `Would notify alert target "${alertTargetName}" of topic ARN "${topicArn}"`,
    };
  },

  async apply(action, target, context) {
    const { topicArn, alertTargetName } = prepare(action);
    const message = notification(action, target.subject, context.execution);
    if (
      !context.alerts.sendToArn(topicArn, message, `mitigation ${context.execution.executionId}`)
    ) {
      throw notFound(
        `No alert target named "${alertTargetName}" is configured for topic ARN "${topicArn}"; add one to the Warden configuration`,
      );
    }
    const after: NotificationSent = { topicArn, alertTargetName };
    return {
      before: null,
      after,
      message: `Sent the notification to alert target "${alertTargetName}"`,
    };
  },

  rollback() {
    return Promise.reject(new Error('PUBLISH_FINDING_TO_SNS has no rollback'));
  },
};

function prepare(action: MitigationAction) {
  const { topicArn } = paramsOf(action, 'publishFindingToSnsParams');
  const alertTargetName = targetNameOfArn(topicArn);
  if (alertTargetName === undefined) {
    throw invalidRequest(
      `Invalid topicArn "${topicArn}" in mitigation action "${action.actionName}": expected arn:aws:sns:REGION:ACCOUNT:NAME`,
    );
  }
  return { topicArn, alertTargetName };
}

function notification(
  action: MitigationAction,
  subject: Record<string, unknown>,
  execution: ExecutionRecord,
): Record<string, unknown> {
  const message: Record<string, unknown> = {
    ...subject,
    actionName: action.actionName,
    actionId: action.actionId,
    executionId: execution.executionId,
  };
  if (execution.taskId !== undefined) message['mitigationTaskId'] = execution.taskId;
  return message;
}
