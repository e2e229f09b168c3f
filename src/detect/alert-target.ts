import type { TechniqueRef } from '../attack/catalog-types.ts';

/**
 * Where Warden sends alerts. A security profile names its targets the AWS way, with an SNS topic
 * ARN in `alertTargets.SNS.alertTargetArn`. The last part of that ARN (the topic name) selects
 * the Warden alert target of the same name.
 */
export type AlertTargetConfig =
  | {
      name: string;
      type: 'webhook';
      url: string;
      /** HMAC-SHA256 key for the signature header. */ secret?: string;
    }
  | { name: string; type: 'mqtt'; topic: string };

/** The alarm message of Device Defender's SNS notifications; times are epoch milliseconds. */
export interface AlertMessage {
  violationEventTime: number;
  thingName: string;
  behavior: unknown;
  violationEventType: string;
  metricValue?: unknown;
  violationId: string;
  securityProfileName: string;
  verificationState?: string;
  /** Warden's addition: the ATT&CK techniques of the behavior's metric. */
  techniques: TechniqueRef[];
}

/** Returns the target name an SNS topic ARN selects: `arn:aws:sns:REGION:ACCOUNT:NAME` gives NAME. */
export function targetNameOfArn(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:sns:[^:]*:[^:]*:([A-Za-z0-9_-]{1,256})$/.exec(arn)?.[1];
}
