/**
 * Mitigation actions in the AWS IoT shapes (`MitigationActionParams`, one member per action type)
 * plus Warden's own action types, and the records of their executions. Times are epoch ms.
 */

/** The six AWS action types, then Warden's own. */
export const MITIGATION_ACTION_TYPES = [
  'UPDATE_DEVICE_CERTIFICATE',
  'UPDATE_CA_CERTIFICATE',
  'ADD_THINGS_TO_THING_GROUP',
  'REPLACE_DEFAULT_POLICY_VERSION',
  'ENABLE_IOT_LOGGING',
  'PUBLISH_FINDING_TO_SNS',
  'DISCONNECT_CLIENT',
  'BAN',
  'THROTTLE_PUBLISH',
] as const;

export type MitigationActionType = (typeof MITIGATION_ACTION_TYPES)[number];

/** What a ban blocks: a client ID, a certificate, or the source IP range a client came from. */
export type BanScope = 'CLIENT_ID' | 'CERTIFICATE' | 'SOURCE_IP';

/** Exactly one member is set; its name gives the action type. */
export interface MitigationActionParams {
  updateDeviceCertificateParams?: { action: 'DEACTIVATE' };
  updateCACertificateParams?: { action: 'DEACTIVATE' };
  addThingsToThingGroupParams?: { thingGroupNames: string[]; overrideDynamicGroups?: boolean };
  replaceDefaultPolicyVersionParams?: { templateName: 'BLANK_POLICY' };
  enableIoTLoggingParams?: {
    roleArnForLogging: string;
    logLevel: 'DEBUG' | 'INFO' | 'ERROR' | 'WARN';
  };
  publishFindingToSnsParams?: { topicArn: string };
  /** Warden: end the live sessions of the target's client IDs. */
  disconnectClientParams?: Record<string, never>;
  /** Warden: refuse connections matching the scope for a time, and drop live ones. */
  banParams?: {
    scope: BanScope;
    durationSeconds: number;
    sourceIpPrefixLength?: number;
    reason?: string;
  };
  /** Warden: cap the target things' publish rate for a time; excess messages are dropped. */
  throttlePublishParams?: { messagesPerMinute: number; durationSeconds: number };
}

/** Member name of `MitigationActionParams` for each action type. */
export const PARAMS_MEMBER: Record<MitigationActionType, keyof MitigationActionParams> = {
  UPDATE_DEVICE_CERTIFICATE: 'updateDeviceCertificateParams',
  UPDATE_CA_CERTIFICATE: 'updateCACertificateParams',
  ADD_THINGS_TO_THING_GROUP: 'addThingsToThingGroupParams',
  REPLACE_DEFAULT_POLICY_VERSION: 'replaceDefaultPolicyVersionParams',
  ENABLE_IOT_LOGGING: 'enableIoTLoggingParams',
  PUBLISH_FINDING_TO_SNS: 'publishFindingToSnsParams',
  DISCONNECT_CLIENT: 'disconnectClientParams',
  BAN: 'banParams',
  THROTTLE_PUBLISH: 'throttlePublishParams',
};

export interface MitigationAction {
  actionName: string;
  actionId: string;
  actionType: MitigationActionType;
  roleArn: string;
  actionParams: MitigationActionParams;
  tags: { Key: string; Value?: string }[];
  createdAt: number;
  lastModifiedAt: number;
}

/** Where an execution came from. */
export type ExecutionSource =
  | { kind: 'audit-finding'; findingId: string; checkName: string }
  | { kind: 'violation'; violationId: string; securityProfileName: string; behaviorName: string }
  | { kind: 'manual'; reason: string };

/**
 * The resources one execution acts on, resolved from a finding or a violation: certificates,
 * CA certificates, things, client IDs, policies, source addresses, and the JSON that a
 * notification sends.
 */
export interface MitigationTarget {
  certificateIds: string[];
  caCertificateIds: string[];
  thingNames: string[];
  clientIds: string[];
  policyNames: string[];
  sourceIps: string[];
  /** The finding or violation as the API shows it, for PUBLISH_FINDING_TO_SNS. */
  subject: Record<string, unknown>;
}

export type ExecutionStatus =
  'PENDING' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'CANCELED' | 'SKIPPED';

/** One action applied to one target, with the state before and after so it can be rolled back. */
export interface ExecutionRecord {
  executionId: string;
  taskId?: string;
  source: ExecutionSource;
  actionName: string;
  actionId: string;
  actionType: MitigationActionType;
  target: MitigationTarget;
  status: ExecutionStatus;
  /** True when the execution only recorded what it would do. */
  dryRun: boolean;
  startTime: number;
  endTime?: number;
  errorCode?: string;
  message?: string;
  /** Action-specific state before and after, e.g. certificate statuses or group memberships. */
  before?: unknown;
  after?: unknown;
  rolledBackAt?: number;
  rollbackMessage?: string;
}
