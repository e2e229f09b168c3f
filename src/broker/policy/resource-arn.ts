/**
 * ARNs of the AWS IoT data-plane resources that policies name: `client/<clientId>` for
 * iot:Connect, `topic/<topicName>` for iot:Publish and iot:Receive, `topicfilter/<filter>` for
 * iot:Subscribe (AWS IoT Core Developer Guide, "AWS IoT Core action resources").
 */

/** Resource types that appear after the account in an AWS IoT ARN. */
export type IotResourceType = 'client' | 'topic' | 'topicfilter' | 'thing' | 'rolealias';

/** The account scope of a resource: region, account ID and partition (`aws` when omitted). */
export interface ArnScope {
  region: string;
  accountId: string;
  partition?: string;
}

/** Builds the ARN prefix that every IoT resource of an account shares, ending in a colon. */
export function iotArnPrefix(scope: ArnScope): string {
  return `arn:${scope.partition ?? 'aws'}:iot:${scope.region}:${scope.accountId}:`;
}

/** Builds `arn:aws:iot:<region>:<account>:<type>/<name>`; the name is used as it is, unescaped. */
export function iotResourceArn(type: IotResourceType, name: string, scope: ArnScope): string {
  return `${iotArnPrefix(scope)}${type}/${name}`;
}
