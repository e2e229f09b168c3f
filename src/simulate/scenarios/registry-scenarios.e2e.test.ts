import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { runSimulation } from '../run-simulation.ts';
import type { DeviceResult, ScenarioResult } from '../simulation-result.ts';
import {
  apiOk,
  optionsFor,
  startSimulationWarden,
  type SimulationWarden,
} from '../simulation-fixture.ts';
import { BROAD_POLICY_DOCUMENT, broadPolicyName } from './broad-policy.ts';
import { EXPIRES_AFTER_MS } from './expiring-certificate.ts';

const TICKS = 2;

describe('scenarios that change the registry', () => {
  let setup: SimulationWarden;

  async function play(name: string, seed: number) {
    const target = `sim-${seed}-0002`;
    const result = await runSimulation(
      optionsFor(setup.warden, { seed, ticks: TICKS, scenarios: [name], targets: [target] }),
    );
    const device = result.devices.find((entry) => entry.thingName === target) as DeviceResult;
    return { result, scenario: result.scenarios[0] as ScenarioResult, device, target };
  }

  /** Returns the one certificate attached to a thing besides the device's own. */
  async function plantedCertificates(target: string, device: DeviceResult) {
    const { principals } = await apiOk(setup.warden, 'GET', `/things/${target}/principals`);
    const planted = (principals as string[]).filter((arn) => !arn.endsWith(device.certificateId));
    assert.equal(planted.length, 1, JSON.stringify(principals));
    const id = planted[0]?.split('/').at(-1) ?? '';
    const { certificateDescription } = await apiOk(setup.warden, 'GET', `/certificates/${id}`);
    return certificateDescription;
  }

  before(async () => {
    setup = await startSimulationWarden();
  });

  after(async () => {
    await setup?.warden.stop();
  });

  test('logging disabled turns account logging off', async () => {
    await apiOk(setup.warden, 'POST', '/v2LoggingOptions', {
      roleArn: 'arn:aws:iam::123456789012:role/logging',
      defaultLogLevel: 'INFO',
    });
    const { scenario } = await play('logging-disabled', 301);
    assert.deepEqual(scenario.targets, []);
    assert.deepEqual(scenario.errors, []);
    assert.deepEqual(scenario.actions, [
      'disabled logging (was defaultLogLevel INFO, disableAllLogs false)',
    ]);
    const options = await apiOk(setup.warden, 'GET', '/v2LoggingOptions');
    assert.equal(options.defaultLogLevel, 'DISABLED');
    assert.equal(options.disableAllLogs, true);
    assert.equal(options.roleArn, 'arn:aws:iam::123456789012:role/logging');
  });

  test('weak key certificate plants an active RSA-1024 certificate', async () => {
    const { scenario, device, target } = await play('weak-key-certificate', 302);
    assert.deepEqual(scenario.errors, []);
    const planted = await plantedCertificates(target, device);
    assert.equal(planted.status, 'ACTIVE');
    const key = new X509Certificate(planted.certificatePem).publicKey;
    assert.equal(key.asymmetricKeyType, 'rsa');
    assert.equal(key.asymmetricKeyDetails?.modulusLength, 1024);
  });

  test('expiring certificate plants an active certificate that ends soon', async () => {
    const before = Date.now();
    const { scenario, device, target } = await play('expiring-certificate', 303);
    assert.deepEqual(scenario.errors, []);
    const planted = await plantedCertificates(target, device);
    assert.equal(planted.status, 'ACTIVE');
    const notAfter = Date.parse(new X509Certificate(planted.certificatePem).validTo);
    assert.ok(notAfter >= before + EXPIRES_AFTER_MS - 1_000, new Date(notAfter).toISOString());
    assert.ok(notAfter <= Date.now() + EXPIRES_AFTER_MS, new Date(notAfter).toISOString());
  });

  test('broad policy attaches iot:* on * to the certificate', async () => {
    const { scenario, device, target } = await play('broad-policy', 304);
    assert.deepEqual(scenario.errors, []);
    const arn = (await apiOk(setup.warden, 'GET', `/things/${target}/principals`)).principals[0];
    const attached = await apiOk(
      setup.warden,
      'POST',
      `/attached-policies/${encodeURIComponent(arn)}`,
    );
    const names = attached.policies
      .map((policy: { policyName: string }) => policy.policyName)
      .sort();
    assert.deepEqual(names, [broadPolicyName(target), 'warden-simulation-device']);
    const policy = await apiOk(setup.warden, 'GET', `/policies/${broadPolicyName(target)}`);
    assert.deepEqual(JSON.parse(policy.policyDocument), BROAD_POLICY_DOCUMENT);
    assert.ok(arn.endsWith(device.certificateId));
  });
});
