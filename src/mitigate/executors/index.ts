import type { MitigationActionType } from '../mitigation-types.ts';
import { addThingsToThingGroupExecutor } from './add-things-to-thing-group.ts';
import { banExecutor } from './ban.ts';
import { disconnectClientExecutor } from './disconnect-client.ts';
import { enableIotLoggingExecutor } from './enable-iot-logging.ts';
import type { ActionExecutor } from './executor.ts';
import { publishFindingToSnsExecutor } from './publish-finding-to-sns.ts';
import { replaceDefaultPolicyVersionExecutor } from './replace-default-policy-version.ts';
import { throttlePublishExecutor } from './throttle-publish.ts';
import { updateCaCertificateExecutor } from './update-ca-certificate.ts';
import { updateDeviceCertificateExecutor } from './update-device-certificate.ts';

/** The executor of every action type; the record type makes a missing one a compile error. */
export const EXECUTORS: Record<MitigationActionType, ActionExecutor> = {
  UPDATE_DEVICE_CERTIFICATE: updateDeviceCertificateExecutor,
  UPDATE_CA_CERTIFICATE: updateCaCertificateExecutor,
  ADD_THINGS_TO_THING_GROUP: addThingsToThingGroupExecutor,
  REPLACE_DEFAULT_POLICY_VERSION: replaceDefaultPolicyVersionExecutor,
  ENABLE_IOT_LOGGING: enableIotLoggingExecutor,
  PUBLISH_FINDING_TO_SNS: publishFindingToSnsExecutor,
  DISCONNECT_CLIENT: disconnectClientExecutor,
  BAN: banExecutor,
  THROTTLE_PUBLISH: throttlePublishExecutor,
};

export type {
  ActionExecutor,
  ApplyContext,
  ApplyResult,
  ExecutorContext,
  MitigationBroker,
  PlanResult,
} from './executor.ts';
