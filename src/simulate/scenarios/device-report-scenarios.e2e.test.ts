import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { normalEnvelope } from '../device-profile.ts';
import { runSimulation } from '../run-simulation.ts';
import type { ScenarioResult, SimulationResult } from '../simulation-result.ts';
import {
  counts,
  metricValues,
  optionsFor,
  startSimulationWarden,
  type SimulationWarden,
} from '../simulation-fixture.ts';
import { BACKDOOR_PORTS } from './backdoor-port.ts';
import { commandServer } from './c2-unexpected-addresses.ts';
import { burstBytesPerTick, FTP_DROP_ADDRESS } from './exfiltration-other-protocol.ts';
import { loadFactor, RELAY_ADDRESS } from './resource-hijacking.ts';
import { scanTargets } from './service-scan.ts';

const TICKS = 4;
const START_TICK = 2;
const ENVELOPE = normalEnvelope();
/** Scenario sizing of these runs: 100 ms ticks, and the second half of the run attacked. */
const SIZING = {
  envelope: ENVELOPE,
  windowReports: 3_600_000 / 100,
  attackTicks: TICKS - START_TICK,
};

describe('scenarios that change device reports', () => {
  let setup: SimulationWarden;

  /** Runs one scenario on device 2 of a fresh 3-device fleet and returns the run. */
  async function play(name: string, seed: number) {
    const target = `sim-${seed}-0002`;
    const result = await runSimulation(
      optionsFor(setup.warden, { seed, ticks: TICKS, scenarios: [name], targets: [target] }),
    );
    const scenario = result.scenarios[0] as ScenarioResult;
    return { result, scenario, target, bystander: `sim-${seed}-0001` };
  }

  function assertAllAccepted(result: SimulationResult): void {
    for (const { thingName, stats } of result.devices) {
      assert.equal(stats.reportsAccepted, TICKS, `${thingName}: ${JSON.stringify(stats)}`);
    }
  }

  before(async () => {
    setup = await startSimulationWarden();
  });

  after(async () => {
    await setup?.warden.stop();
  });

  test('exfiltration over another protocol reports a burst of bytes out', async () => {
    const { result, scenario, target, bystander } = await play('exfiltration-other-protocol', 101);
    assertAllAccepted(result);
    assert.equal(scenario.startTick, START_TICK);
    assert.ok(scenario.startedAt !== undefined);
    assert.ok(scenario.startedAt >= result.startedAt);
    assert.deepEqual(scenario.targets, [target]);
    assert.deepEqual(scenario.expectedSignal, { kind: 'violation', metric: 'aws:all-bytes-out' });

    const burst = burstBytesPerTick(SIZING);
    assert.equal(burst, ENVELOPE.maxPerReport.bytesOut * SIZING.windowReports);
    const bytesOut = await counts(setup.warden, target, 'aws:all-bytes-out');
    assert.equal(bytesOut.length, TICKS);
    assert.ok(
      bytesOut.slice(0, START_TICK).every((value) => value <= ENVELOPE.maxPerReport.bytesOut),
    );
    assert.ok(
      bytesOut.slice(START_TICK).every((value) => value >= burst),
      `${bytesOut}`,
    );
    const destinations = await metricValues(setup.warden, target, 'aws:destination-ip-addresses');
    assert.ok(destinations.at(-1)?.cidrs?.includes(FTP_DROP_ADDRESS.split(':')[0] ?? ''));

    const clean = await counts(setup.warden, bystander, 'aws:all-bytes-out');
    assert.ok(
      clean.every((value) => value <= ENVELOPE.maxPerReport.bytesOut),
      `${clean}`,
    );
  });

  test('service scan reports many established connections', async () => {
    const { result, target, bystander } = await play('service-scan', 102);
    assertAllAccepted(result);
    const established = await counts(setup.warden, target, 'aws:num-established-tcp-connections');
    assert.ok(
      established
        .slice(0, START_TICK)
        .every((value) => value <= ENVELOPE.maxEstablishedConnections),
    );
    for (const value of established.slice(START_TICK)) {
      assert.ok(value >= scanTargets().length, `${established}`);
    }
    const clean = await counts(setup.warden, bystander, 'aws:num-established-tcp-connections');
    assert.ok(clean.every((value) => value <= ENVELOPE.maxEstablishedConnections));
  });

  test('backdoor port reports a new listening TCP port', async () => {
    const { result, target } = await play('backdoor-port', 103);
    assertAllAccepted(result);
    const ports = await metricValues(setup.warden, target, 'aws:listening-tcp-ports');
    const backdoors = ports.map(({ ports: list }) =>
      (list ?? []).filter((port) => BACKDOOR_PORTS.includes(port)),
    );
    assert.deepEqual(backdoors.slice(0, START_TICK), [[], []]);
    assert.equal(backdoors[START_TICK]?.length, 1);
    assert.deepEqual(backdoors[START_TICK + 1], backdoors[START_TICK]);
  });

  test('command and control reports a connection outside the normal blocks', async () => {
    const { result, target } = await play('c2-unexpected-addresses', 104);
    assertAllAccepted(result);
    const server = commandServer(104, target).split(':')[0] ?? '';
    assert.ok(server.startsWith('203.0.113.'));
    const destinations = await metricValues(setup.warden, target, 'aws:destination-ip-addresses');
    const withServer = destinations.map(({ cidrs }) => cidrs?.includes(server) ?? false);
    assert.deepEqual(withServer, [false, false, true, true]);
  });

  test('resource hijacking reports sustained packets out', async () => {
    const { result, target } = await play('resource-hijacking', 105);
    assertAllAccepted(result);
    const packetsOut = await counts(setup.warden, target, 'aws:all-packets-out');
    assert.equal(loadFactor(SIZING), SIZING.windowReports);
    const floor = loadFactor(SIZING) * ENVELOPE.maxPerReport.packetsOut;
    assert.ok(
      packetsOut.slice(START_TICK).every((value) => value >= floor),
      `${packetsOut}`,
    );
    assert.ok(
      packetsOut.slice(0, START_TICK).every((value) => value < ENVELOPE.maxPerReport.packetsOut),
    );
    const destinations = await metricValues(setup.warden, target, 'aws:destination-ip-addresses');
    assert.ok(destinations.at(-1)?.cidrs?.includes(RELAY_ADDRESS.split(':')[0] ?? ''));
  });
});
