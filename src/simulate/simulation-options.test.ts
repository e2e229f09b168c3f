import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deviceProfile } from './device-profile.ts';
import { findScenario, SCENARIOS } from './scenarios/index.ts';
import {
  checkSimulationOptions,
  chooseTargets,
  type SimulationOptions,
} from './simulation-options.ts';

const BASE: SimulationOptions = {
  connection: {
    endpoint: 'http://127.0.0.1:8080',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  },
  broker: { url: 'mqtts://127.0.0.1:8883', serverCaPem: '' },
  devices: 5,
  seed: 7,
  durationMs: 10_000,
};

const LOOPBACK_ONLY =
  'the simulation runs only against a Warden on a loopback address (127.0.0.0/8, ::1 or localhost)';

describe('simulation options', () => {
  test('accepts a valid run and returns its scenarios', () => {
    const scenarios = checkSimulationOptions({
      ...BASE,
      scenarios: ['service-scan', 'broad-policy'],
    });
    assert.deepEqual(
      scenarios.map((scenario) => scenario.name),
      ['service-scan', 'broad-policy'],
    );
    assert.deepEqual(checkSimulationOptions({ ...BASE, targets: ['sim-7-0005'] }), []);
  });

  test('rejects invalid options with the option and value named', () => {
    const cases: [Partial<SimulationOptions>, string][] = [
      [{ devices: 0 }, 'Invalid devices "0": must be an integer 1-1000'],
      [{ devices: 1001 }, 'Invalid devices "1001": must be an integer 1-1000'],
      [{ devices: 2.5 }, 'Invalid devices "2.5": must be an integer 1-1000'],
      [{ seed: -1 }, 'Invalid seed "-1": must be an integer 0-4294967295'],
      [{ durationMs: 0 }, 'Invalid durationMs "0": must be an integer 1-86400000'],
      [{ durationMs: 86_400_001 }, 'Invalid durationMs "86400001": must be an integer 1-86400000'],
      [{ tickIntervalMs: 50 }, 'Invalid tickIntervalMs "50": must be an integer 100-3600000'],
      [
        { scenarios: ['nope'] },
        `Unknown scenario "nope": use one of ${SCENARIOS.map((s) => s.name).join(', ')}`,
      ],
      [
        { scenarios: ['service-scan', 'service-scan'] },
        'Scenario "service-scan" is given more than once',
      ],
      [{ targets: 0 }, 'Invalid targets "0": must be an integer 1-5'],
      [{ targets: 6 }, 'Invalid targets "6": must be an integer 1-5'],
      [{ targets: [] }, 'Invalid targets: give at least one thing name'],
      [
        { targets: ['sim-7-0006'] },
        'Unknown target "sim-7-0006": the fleet of seed 7 has things sim-7-0001 to sim-7-0005',
      ],
      [{ targets: ['sim-7-0001', 'sim-7-0001'] }, 'Target "sim-7-0001" is given more than once'],
      [
        { connection: { ...BASE.connection, endpoint: 'http://192.0.2.1:8080' } },
        `Invalid value "http://192.0.2.1:8080" for "endpoint": ${LOOPBACK_ONLY}`,
      ],
      [
        { broker: { url: 'mqtts://10.0.0.1:8883', serverCaPem: '' } },
        `Invalid value "mqtts://10.0.0.1:8883" for "broker.url": ${LOOPBACK_ONLY}`,
      ],
      [
        { broker: { url: 'mqtt://127.0.0.1:1883', serverCaPem: '' } },
        'Invalid value "mqtt://127.0.0.1:1883" for "broker.url": must be mqtts://HOST:PORT',
      ],
    ];
    for (const [change, message] of cases) {
      assert.throws(() => checkSimulationOptions({ ...BASE, ...change }), {
        name: 'SimulationError',
        message,
      });
    }
  });

  test('picks targets by seed and scenario', () => {
    const devices = Array.from({ length: 20 }, (_, index) => deviceProfile(7, index + 1));
    const scan = findScenario('service-scan');
    const port = findScenario('backdoor-port');
    const logging = findScenario('logging-disabled');
    assert.ok(scan);
    assert.ok(port);
    assert.ok(logging);

    const chosen = chooseTargets(scan, devices, 3, 7);
    assert.equal(chosen.length, 3);
    assert.deepEqual(chooseTargets(scan, devices, 3, 7), chosen);
    assert.deepEqual(
      chosen,
      [...chosen].sort((a, b) => a.index - b.index),
    );
    const others = [chooseTargets(port, devices, 3, 7), chooseTargets(scan, devices, 3, 8)];
    assert.ok(others.some((other) => JSON.stringify(other) !== JSON.stringify(chosen)));

    const named = chooseTargets(scan, devices, ['sim-7-0004', 'sim-7-0002'], 7);
    assert.deepEqual(
      named.map((device) => device.thingName),
      ['sim-7-0002', 'sim-7-0004'],
    );
    assert.deepEqual(chooseTargets(logging, devices, 3, 7), []);
  });
});
