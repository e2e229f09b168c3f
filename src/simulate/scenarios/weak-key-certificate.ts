/**
 * T1552 Unsecured Credentials: a certificate with a 1024-bit RSA key, whose private key is within
 * reach of a well-funded adversary, is registered as ACTIVE and attached to the device's thing.
 */

import { issueTestCertificate } from '../../testing/pki.ts';
import type { Scenario } from '../scenario.ts';

export const weakKeyCertificate: Scenario = {
  name: 'weak-key-certificate',
  techniqueId: 'T1649',
  relatedTechniqueIds: ['T1020', 'T1040', 'T1557'],
  summary:
    'Registers an ACTIVE device certificate with a 1024-bit RSA key, signed by the simulation CA, and attaches it to the thing.',
  expectedSignal: { kind: 'finding', checkName: 'DEVICE_CERTIFICATE_KEY_QUALITY_CHECK' },
  secondarySignals: [],
  scope: 'devices',
  create(context, targets) {
    const lines: string[] = [];
    return {
      async start() {
        for (const device of targets) {
          const weak = await issueTestCertificate(context.fleet.ca, device.thingName, {
            keyType: 'rsa-1024',
          });
          const registered = await context.api.registerCertificate(weak.certPem);
          await context.api.attachThingPrincipal(device.thingName, registered.certificateArn);
          lines.push(`${device.thingName} has RSA-1024 certificate ${registered.certificateId}`);
        }
      },
      actions() {
        return lines;
      },
    };
  },
};
