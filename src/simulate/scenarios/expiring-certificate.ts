/**
 * T1557 Adversary-in-the-Middle (protect): a device certificate about to expire is registered as
 * ACTIVE and attached to the thing, a credential kept past its intended life. Warden rejects the
 * registration of a certificate that has already expired, so this one expires a week after it
 * is planted. The audit reports it as approaching expiration.
 */

import { issueTestCertificate } from '../../testing/pki.ts';
import type { Scenario } from '../scenario.ts';

/**
 * Milliseconds between planting the certificate and its notAfter: well inside the 30-day default
 * threshold, and long enough that a Warden clock running ahead still accepts the registration.
 */
export const EXPIRES_AFTER_MS = 7 * 86_400_000;

export const expiringCertificate: Scenario = {
  name: 'expiring-certificate',
  techniqueId: 'T1557',
  relatedTechniqueIds: ['T1020', 'T1020.001', 'T1040'],
  summary: `Registers an ACTIVE device certificate that expires ${EXPIRES_AFTER_MS / 86_400_000} days later and attaches it to the thing.`,
  expectedSignal: { kind: 'finding', checkName: 'DEVICE_CERTIFICATE_EXPIRING_CHECK' },
  secondarySignals: [],
  scope: 'devices',
  create(context, targets) {
    const lines: string[] = [];
    return {
      async start() {
        for (const device of targets) {
          const notAfter = new Date(Date.now() + EXPIRES_AFTER_MS);
          const expiring = await issueTestCertificate(context.fleet.ca, device.thingName, {
            notAfter,
          });
          const registered = await context.api.registerCertificate(expiring.certPem);
          await context.api.attachThingPrincipal(device.thingName, registered.certificateArn);
          lines.push(
            `${device.thingName} has certificate ${registered.certificateId} expiring at ${notAfter.toISOString()}`,
          );
        }
      },
      actions() {
        return lines;
      },
    };
  },
};
