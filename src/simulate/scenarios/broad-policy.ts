/**
 * T1078.004 Valid Accounts: Cloud Accounts: an adversary widens what a device identity may do by
 * attaching a policy that allows `iot:*` on every resource to its certificate.
 */

import type { Scenario } from '../scenario.ts';

/** Name of the planted policy of a thing. */
export function broadPolicyName(thingName: string): string {
  return `${thingName}-allow-all`;
}

/** The planted document: every IoT action on every resource. */
export const BROAD_POLICY_DOCUMENT = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }],
};

export const broadPolicy: Scenario = {
  name: 'broad-policy',
  techniqueId: 'T1078.004',
  relatedTechniqueIds: ['T1078'],
  summary:
    "Creates a policy allowing iot:* on * and attaches it to the device's certificate; the device then has every permission.",
  expectedSignal: { kind: 'finding', checkName: 'IOT_POLICY_OVERLY_PERMISSIVE_CHECK' },
  secondarySignals: [],
  scope: 'devices',
  create(context, targets) {
    const lines: string[] = [];
    return {
      async start() {
        for (const device of targets) {
          const name = broadPolicyName(device.thingName);
          await context.api.createPolicy(name, BROAD_POLICY_DOCUMENT);
          await context.api.attachPolicy(name, device.certificate.certificateArn);
          lines.push(`attached policy "${name}" (iot:* on *) to ${device.thingName}'s certificate`);
        }
      },
      actions() {
        return lines;
      },
    };
  },
};
