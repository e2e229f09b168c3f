/**
 * Registers the virtual fleet in Warden through the REST API: a simulation CA, the fleet policy,
 * an optional thing group, and for each device a thing, a certificate the CA signed, the
 * attachments between them, and the group membership. Things, the policy and the group are reused
 * by a second run with the same seed, while the CA and the certificates are new each run, because
 * their private keys live only in this process.
 */

import { WardenApiError } from '../client/warden-api-client.ts';
import { createTestCa, issueTestCertificate, type TestCertificate } from '../testing/pki.ts';
import type { BrokerTarget } from './broker-target.ts';
import { forEachLimited } from './concurrency.ts';
import { deviceProfile, type DeviceProfile } from './device-profile.ts';
import { FLEET_POLICY_NAME, fleetPolicyDocument } from './fleet-policy.ts';
import type { SimulationApi } from './simulation-api.ts';
import { SimulationError } from './simulation-error.ts';
import { VirtualDevice } from './virtual-device.ts';

/** Registrations in flight at once; each device takes four requests, five with a thing group. */
const SETUP_CONCURRENCY = 8;

export interface FleetOptions {
  api: SimulationApi;
  broker: BrokerTarget;
  seed: number;
  devices: number;
  /** Thing group the devices are added to, created when missing. */
  thingGroup?: string | undefined;
  /** Local address the devices connect from. */
  localAddress: string | undefined;
  /** Shortest real time between two reports of a device, in milliseconds. */
  reportIntervalMs: number;
}

/** The registered fleet, not yet connected. */
export interface Fleet {
  /** The simulation CA with its private key, which scenarios use to issue more certificates. */
  ca: TestCertificate;
  caCertificateId: string;
  policyName: string;
  thingGroup?: string;
  devices: VirtualDevice[];
}

/**
 * Creates the CA, policy, group and devices.
 * @throws SimulationError naming the request Warden refused
 */
export async function setupFleet(options: FleetOptions): Promise<Fleet> {
  const { api, seed } = options;
  try {
    const ca = await createTestCa(`Warden Simulation CA ${seed}`, { subjectSuffix: ',O=Warden' });
    const registered = await api.call({
      operation: 'RegisterCACertificate',
      method: 'POST',
      path: '/cacertificate?setAsActive=true',
      body: { caCertificate: ca.certPem },
    });
    await api.createPolicy(FLEET_POLICY_NAME, fleetPolicyDocument());
    if (options.thingGroup !== undefined) await createThingGroup(api, options.thingGroup);

    const profiles = Array.from({ length: options.devices }, (_, index) =>
      deviceProfile(seed, index + 1),
    );
    const devices: VirtualDevice[] = new Array(profiles.length);
    await forEachLimited(profiles, SETUP_CONCURRENCY, async (profile, index) => {
      devices[index] = await registerDevice(options, ca, profile);
    });

    const fleet: Fleet = {
      ca,
      caCertificateId: registered.certificateId,
      policyName: FLEET_POLICY_NAME,
      devices,
    };
    if (options.thingGroup !== undefined) fleet.thingGroup = options.thingGroup;
    return fleet;
  } catch (error) {
    if (error instanceof WardenApiError) {
      throw new SimulationError(`Cannot set up the fleet: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

async function createThingGroup(api: SimulationApi, name: string): Promise<void> {
  await api.create({
    operation: 'CreateThingGroup',
    method: 'POST',
    path: `/thing-groups/${encodeURIComponent(name)}`,
    body: {},
  });
}

async function registerDevice(
  options: FleetOptions,
  ca: TestCertificate,
  profile: DeviceProfile,
): Promise<VirtualDevice> {
  const { api } = options;
  const certificate = await issueTestCertificate(ca, profile.thingName);
  const { certificateId, certificateArn } = await api.registerCertificate(certificate.certPem);
  await api.create({
    operation: 'CreateThing',
    method: 'POST',
    path: `/things/${encodeURIComponent(profile.thingName)}`,
    body: { attributePayload: { attributes: { simulatedKind: profile.kind } } },
  });
  await api.attachThingPrincipal(profile.thingName, certificateArn);
  await api.attachPolicy(FLEET_POLICY_NAME, certificateArn);
  if (options.thingGroup !== undefined) {
    await api.call({
      operation: 'AddThingToThingGroup',
      method: 'PUT',
      path: '/thing-groups/addThingToThingGroup',
      body: { thingGroupName: options.thingGroup, thingName: profile.thingName },
    });
  }
  const registered = { ...certificate, certificateId, certificateArn };
  return new VirtualDevice(profile, registered, {
    broker: options.broker,
    localAddress: options.localAddress,
    reportIntervalMs: options.reportIntervalMs,
  });
}
