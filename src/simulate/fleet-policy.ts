/**
 * The IoT policy every virtual device's certificate gets, and the topics the fleet uses. It is
 * scoped the way the audit's breadth rules call scoped, so a clean fleet raises no
 * IOT_POLICY_OVERLY_PERMISSIVE_CHECK finding, and it deliberately leaves the two openings that
 * some scenarios use:
 *
 * - `iot:Connect` also allows client IDs that start with the certificate's common name and a
 *   hyphen (a device's second process, in a real fleet). A copied certificate can then hold a
 *   session beside the device's own, which is what DEVICE_CERTIFICATE_SHARED_CHECK looks for.
 *   With a policy that allows only the thing name, the copy would be refused at CONNECT.
 * - Every device may read the whole fleet's telemetry and state topics, a fleet data bus that
 *   clean devices do not use, so a bulk read stays within the policy and shows only in
 *   `aws:num-messages-received`.
 */

/** Name of the fleet's policy; a second run reuses it. */
export const FLEET_POLICY_NAME = 'warden-simulation-device';

const THING = '${iot:Connection.Thing.ThingName}';

/** Topic a device publishes its telemetry to. */
export function telemetryTopic(thingName: string): string {
  return `sim/fleet/telemetry/${thingName}`;
}

/** Topic a device publishes its retained state to. */
export function stateTopic(thingName: string): string {
  return `sim/fleet/state/${thingName}`;
}

/** Device Defender report topic of a thing, JSON format. */
export function reportTopic(thingName: string): string {
  return `$aws/things/${thingName}/defender/metrics/json`;
}

/** Filter of the accepted and rejected responses to a thing's JSON reports. */
export function reportResponseFilter(thingName: string): string {
  return `${reportTopic(thingName)}/+`;
}

/** Returns the fleet policy document, in policy language 2012-10-17, which has policy variables. */
export function fleetPolicyDocument(): unknown {
  const arn = (resource: string) => `arn:aws:iot:*:*:${resource}`;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ConnectAsThing',
        Effect: 'Allow',
        Action: 'iot:Connect',
        Resource: [arn(`client/${THING}`), arn('client/${iot:Certificate.Subject.CommonName}-*')],
      },
      {
        Sid: 'PublishOwnTopics',
        Effect: 'Allow',
        Action: 'iot:Publish',
        Resource: [
          arn(`topic/$aws/things/${THING}/defender/metrics/*`),
          arn(`topic/sim/fleet/telemetry/${THING}`),
          arn(`topic/sim/fleet/state/${THING}`),
        ],
      },
      {
        Sid: 'RetainOwnState',
        Effect: 'Allow',
        Action: 'iot:RetainPublish',
        Resource: arn(`topic/sim/fleet/state/${THING}`),
      },
      {
        Sid: 'SubscribeAnswersAndFleetBus',
        Effect: 'Allow',
        Action: 'iot:Subscribe',
        Resource: [
          arn(`topicfilter/$aws/things/${THING}/defender/metrics/*`),
          arn('topicfilter/sim/fleet/*'),
        ],
      },
      {
        Sid: 'ReceiveAnswersAndFleetBus',
        Effect: 'Allow',
        Action: 'iot:Receive',
        Resource: [arn(`topic/$aws/things/${THING}/defender/metrics/*`), arn('topic/sim/fleet/*')],
      },
    ],
  };
}
