import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ALL_CHECKS } from '../audit/checks/index.ts';
import { normalEnvelope } from './device-profile.ts';
import { FLEET_POLICY_NAME } from './fleet-policy.ts';
import { runSimulation } from './run-simulation.ts';
import { SimulatedClock } from './simulated-clock.ts';
import type { SimulationResult } from './simulation-result.ts';
import {
  apiOk,
  closeBucket,
  counts,
  historyEvents,
  metricValues,
  optionsFor,
  startSimulationWarden,
  type SimulationWarden,
} from './simulation-fixture.ts';

const TICKS = 6;
const ENVELOPE = normalEnvelope();

describe('clean fleet against Warden', () => {
  let setup: SimulationWarden;
  let result: SimulationResult;

  before(async () => {
    setup = await startSimulationWarden();
    result = await runSimulation(
      optionsFor(setup.warden, {
        seed: 21,
        ticks: TICKS,
        devices: 4,
        thingGroup: 'simulated-fleet',
        clock: new SimulatedClock({ start: Date.UTC(2026, 11, 4, 6) }),
      }),
    );
    await closeBucket(setup);
  });

  after(async () => {
    await setup?.warden.stop();
  });

  test('registers every device with its certificate, policy and group', async () => {
    const { warden } = setup;
    const names = result.devices.map((device) => device.thingName);
    assert.deepEqual(names, ['sim-21-0001', 'sim-21-0002', 'sim-21-0003', 'sim-21-0004']);
    const group = await apiOk(warden, 'GET', '/thing-groups/simulated-fleet/things');
    assert.deepEqual([...group.things].sort(), names);
    for (const device of result.devices) {
      const principals = await apiOk(warden, 'GET', `/things/${device.thingName}/principals`);
      assert.equal(principals.principals.length, 1);
      const described = await apiOk(warden, 'GET', `/certificates/${device.certificateId}`);
      assert.equal(described.certificateDescription.status, 'ACTIVE');
      const subject = new X509Certificate(described.certificateDescription.certificatePem).subject;
      assert.equal(subject, `CN=${device.thingName}`);
      const policies = await apiOk(
        warden,
        'POST',
        `/attached-policies/${encodeURIComponent(principals.principals[0])}`,
      );
      assert.deepEqual(
        policies.policies.map((policy: { policyName: string }) => policy.policyName),
        [FLEET_POLICY_NAME],
      );
    }
  });

  test('gets every report accepted', () => {
    assert.equal(result.completedTicks, TICKS);
    assert.equal(result.aborted, false);
    for (const { stats, thingName } of result.devices) {
      assert.equal(stats.connects, 1, thingName);
      assert.equal(stats.reportsSent, TICKS, thingName);
      assert.equal(stats.reportsAccepted, TICKS, thingName);
      assert.deepEqual(stats.reportsRejected, {}, thingName);
      assert.equal(stats.reportsUnanswered, 0, thingName);
      assert.deepEqual(stats.errors, {}, thingName);
    }
  });

  test('reports device metrics inside the normal envelope', async () => {
    const { warden } = setup;
    for (const { thingName } of result.devices) {
      const bytesOut = await counts(warden, thingName, 'aws:all-bytes-out');
      assert.equal(bytesOut.length, TICKS, thingName);
      assert.ok(bytesOut.every((value) => value > 0 && value <= ENVELOPE.maxPerReport.bytesOut));
      const packetsOut = await counts(warden, thingName, 'aws:all-packets-out');
      assert.ok(
        packetsOut.every((value) => value > 0 && value <= ENVELOPE.maxPerReport.packetsOut),
      );
      const ports = await metricValues(warden, thingName, 'aws:listening-tcp-ports');
      for (const { ports: reported } of ports) {
        assert.ok(
          reported?.every((port) => ENVELOPE.listeningTcpPorts.includes(port)),
          thingName,
        );
      }
      const destinations = await metricValues(warden, thingName, 'aws:destination-ip-addresses');
      for (const { cidrs } of destinations) {
        const normal = (ip: string) => ip.startsWith('198.51.100.') || ip.startsWith('10.20.');
        assert.ok(cidrs?.every(normal), `${thingName}: ${cidrs}`);
      }
    }
  });

  test('keeps cloud metrics inside the normal envelope', async () => {
    const { warden } = setup;
    for (const { thingName, stats } of result.devices) {
      const sent = await counts(warden, thingName, 'aws:num-messages-sent');
      assert.deepEqual(sent, [TICKS + stats.telemetrySent + 1], thingName);
      assert.ok((sent[0] ?? 0) <= ENVELOPE.maxMessagesSentPerTick * TICKS);
      assert.deepEqual(await counts(warden, thingName, 'aws:num-messages-received'), [TICKS]);
      assert.deepEqual(await counts(warden, thingName, 'aws:num-authorization-failures'), [0]);
      assert.deepEqual(await counts(warden, thingName, 'aws:num-connection-attempts'), [1]);
      const size = await counts(warden, thingName, 'aws:message-byte-size');
      assert.ok((size[0] ?? Infinity) <= ENVELOPE.maxMessageBytes, `${thingName}: ${size}`);
      const sources = await metricValues(warden, thingName, 'aws:source-ip-address');
      assert.deepEqual(sources, [{ cidrs: ['127.0.0.1'] }]);
    }
    assert.deepEqual(result.normal.sourceCidrs, ['127.0.0.1/32']);
  });

  test('closes every session when the run ends', async () => {
    for (const { thingName } of result.devices) {
      const events = await historyEvents(setup.warden, { clientId: thingName });
      const sessions = events.filter((event) => event.type === 'connect-success');
      const disconnects = events.filter((event) => event.type === 'disconnect');
      assert.equal(sessions.length, 1, thingName);
      assert.equal(disconnects.length, 1, thingName);
      assert.equal(events.at(-1)?.type, 'disconnect', thingName);
      assert.equal(disconnects[0]?.reason, 'client-disconnected', thingName);
    }
  });

  test('raises no audit finding', async () => {
    const { warden } = setup;
    await apiOk(warden, 'POST', '/v2LoggingOptions', {
      roleArn: 'arn:aws:iam::123456789012:role/logging',
      defaultLogLevel: 'INFO',
    });
    const checks = Object.fromEntries(ALL_CHECKS.map((check) => [check.name, { enabled: true }]));
    await apiOk(warden, 'PATCH', '/audit/configuration', {
      roleArn: 'arn:aws:iam::123456789012:role/audit',
      auditCheckConfigurations: checks,
    });
    const { taskId } = await apiOk(warden, 'POST', '/audit/tasks', {
      targetCheckNames: ALL_CHECKS.map((check) => check.name),
    });
    await warden.service.audit.tasks.finished(taskId);
    const { findings } = await apiOk(warden, 'POST', '/audit/findings', { taskId });
    assert.deepEqual(
      findings.map((finding: any) => `${finding.checkName}: ${finding.reasonForNonCompliance}`),
      [],
    );
  });

  test('reuses the things on a second run with the same seed', async () => {
    const again = await runSimulation(optionsFor(setup.warden, { seed: 21, ticks: 2, devices: 2 }));
    assert.deepEqual(
      again.devices.map((device) => device.stats.reportsAccepted),
      [2, 2],
    );
    assert.notEqual(again.caCertificateId, result.caCertificateId);
  });
});
