import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runSimulation } from '../run-simulation.ts';
import type { ScenarioResult } from '../simulation-result.ts';
import {
  closeBucket,
  counts,
  historyEvents,
  metricValues,
  optionsFor,
  startSimulationWarden,
  type SimulationWarden,
} from '../simulation-fixture.ts';
import type { DeviceResult } from '../simulation-result.ts';
import { READ_ROUNDS_PER_TICK } from './bulk-cloud-read.ts';
import { cloneClientId } from './cloned-certificate.ts';
import { EXFILTRATION_MESSAGE_BYTES } from './exfiltration-c2.ts';

const TICKS = 4;
const ATTACK_TICKS = 2;
const DEVICES = 3;

describe('scenarios that act over MQTT', () => {
  let setup: SimulationWarden;

  /** Runs one scenario on device 2 of a fresh fleet and closes the cloud metric bucket. */
  async function play(name: string, seed: number) {
    const target = `sim-${seed}-0002`;
    const result = await runSimulation(
      optionsFor(setup.warden, { seed, ticks: TICKS, scenarios: [name], targets: [target] }),
    );
    await closeBucket(setup);
    const device = result.devices.find((entry) => entry.thingName === target) as DeviceResult;
    return { result, scenario: result.scenarios[0] as ScenarioResult, device, target };
  }

  before(async () => {
    setup = await startSimulationWarden();
  });

  after(async () => {
    await setup?.warden.stop();
  });

  test('exfiltration over C2 sends large messages', async () => {
    const { scenario, device, target } = await play('exfiltration-c2', 201);
    assert.deepEqual(scenario.errors, []);
    assert.deepEqual(scenario.actions, [`published ${8 * ATTACK_TICKS} messages of 98304 bytes`]);
    assert.deepEqual(await counts(setup.warden, target, 'aws:message-byte-size'), [
      EXFILTRATION_MESSAGE_BYTES,
    ]);
    const sent = await counts(setup.warden, target, 'aws:num-messages-sent');
    assert.deepEqual(sent, [1 + TICKS + device.stats.telemetrySent + 8 * ATTACK_TICKS]);
  });

  test('bulk cloud read receives every device state again and again', async () => {
    const { scenario, target } = await play('bulk-cloud-read', 202);
    assert.deepEqual(scenario.errors, []);
    const received = await counts(setup.warden, target, 'aws:num-messages-received');
    const retained = READ_ROUNDS_PER_TICK * ATTACK_TICKS * DEVICES;
    assert.equal(received.length, 1);
    assert.ok((received[0] ?? 0) >= TICKS + retained, `${received}`);
    const bystander = await counts(setup.warden, `sim-202-0001`, 'aws:num-messages-received');
    assert.deepEqual(bystander, [TICKS]);
  });

  test('authorization failures are counted and recorded', async () => {
    const { scenario, device, target } = await play('authorization-failures', 203);
    const perTick = 7;
    assert.deepEqual(scenario.actions, [`had ${perTick * ATTACK_TICKS} subscriptions rejected`]);
    assert.deepEqual(await counts(setup.warden, target, 'aws:num-authorization-failures'), [
      perTick * ATTACK_TICKS,
    ]);
    const failures = await historyEvents(setup.warden, {
      clientId: target,
      types: ['authorization-failure'],
    });
    assert.equal(failures.length, perTick * ATTACK_TICKS);
    assert.ok(failures.every((event) => event.action === 'iot:Subscribe'));
    assert.ok(failures.some((event) => event.resource === '#'));
    assert.equal(device.stats.connects, 1);
    assert.equal(device.stats.reportsAccepted, TICKS);
  });

  test('cloned certificate holds a second session from another address', async () => {
    const { scenario, device, target } = await play('cloned-certificate', 204);
    const clone = cloneClientId(target);
    assert.deepEqual(scenario.actions, [`${clone} connected from 127.0.0.2`]);
    const events = await historyEvents(setup.warden, {
      certificateId: device.certificateId,
      types: ['connect-success', 'disconnect'],
    });
    const order = events.map((event) => `${event.type} ${event.clientId} ${event.sourceIp}`);
    assert.deepEqual(order.slice(0, 2), [
      `connect-success ${target} 127.0.0.1`,
      `connect-success ${clone} 127.0.0.2`,
    ]);
    assert.deepEqual(order.slice(2).sort(), [
      `disconnect ${target} 127.0.0.1`,
      `disconnect ${clone} 127.0.0.2`,
    ]);
    assert.equal(device.stats.connects, 1);
    assert.equal(device.stats.reportsAccepted, TICKS);
  });

  test('conflicting client ID takes the session over repeatedly', async () => {
    const { scenario, device, target } = await play('conflicting-client-id', 205);
    assert.deepEqual(scenario.actions, [`took over the thing's client ID ${ATTACK_TICKS} times`]);
    const takeovers = await historyEvents(setup.warden, { clientId: target, types: ['takeover'] });
    assert.deepEqual(
      takeovers.map((event) => event.sourceIp),
      ['127.0.0.2', '127.0.0.1', '127.0.0.2', '127.0.0.1'],
    );
    assert.ok(takeovers.every((event) => event.certificateId === device.certificateId));
    assert.equal(device.stats.connects, 1 + ATTACK_TICKS);
    assert.equal(device.stats.reportsAccepted, TICKS);
    const sources = await metricValues(setup.warden, target, 'aws:source-ip-address');
    assert.deepEqual(
      sources.map(({ cidrs }) => [...(cidrs ?? [])].sort()),
      [['127.0.0.1', '127.0.0.2']],
    );
    const disconnects = await counts(setup.warden, target, 'aws:num-disconnects');
    assert.ok((disconnects[0] ?? 0) >= 2 * ATTACK_TICKS, `${disconnects}`);
  });
});
