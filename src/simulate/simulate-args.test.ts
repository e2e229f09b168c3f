import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SCENARIOS } from './scenarios/index.ts';
import { parseSimulateArgs } from './simulate-args.ts';

const ENV = {};
const LOOPBACK_ONLY =
  'the simulation runs only against a Warden on a loopback address (127.0.0.0/8, ::1 or localhost)';

describe('warden simulate arguments', () => {
  test('fills in the defaults', () => {
    assert.deepEqual(parseSimulateArgs(['--devices', '5'], { WARDEN_DATA_DIR: '/srv/warden' }), {
      list: false,
      json: false,
      devices: 5,
      scenarios: [],
      targets: 1,
      durationMs: 60_000,
      tickIntervalMs: 1_000,
      seed: 1,
      location: { kind: 'data-dir', dataDir: '/srv/warden' },
    });
    const local = parseSimulateArgs(['--devices', '5'], ENV);
    assert.deepEqual(local !== 'help' && local.location, {
      kind: 'data-dir',
      dataDir: './warden-data',
    });
  });

  test('reads every option', () => {
    const args = parseSimulateArgs(
      [
        '--devices=20',
        '--scenario',
        'service-scan,broad-policy',
        '--targets',
        'sim-3-0001,sim-3-0002',
        '--duration',
        '288',
        '--interval',
        '0.25',
        '--seed',
        '3',
        '--thing-group',
        'fleet',
        '--endpoint',
        'http://127.0.0.1:9000',
        '--mqtt-endpoint',
        'mqtts://127.0.0.1:9883',
        '--server-ca',
        'ca.pem',
        '--json',
      ],
      ENV,
    );
    assert.deepEqual(args, {
      list: false,
      json: true,
      devices: 20,
      scenarios: ['service-scan', 'broad-policy'],
      targets: ['sim-3-0001', 'sim-3-0002'],
      durationMs: 288_000,
      tickIntervalMs: 250,
      seed: 3,
      thingGroup: 'fleet',
      location: {
        kind: 'endpoint',
        endpoint: 'http://127.0.0.1:9000',
        mqttEndpoint: 'mqtts://127.0.0.1:9883',
        serverCaFile: 'ca.pem',
      },
    });
  });

  test('needs no devices to list or to print help', () => {
    const listed = parseSimulateArgs(['--list'], ENV);
    assert.equal(listed !== 'help' && listed.list, true);
    assert.equal(parseSimulateArgs(['--devices', 'x', '--help'], ENV), 'help');
  });

  test('rejects bad arguments with the flag and value named', () => {
    const known = SCENARIOS.map((scenario) => scenario.name).join(', ');
    const cases: [string[], string][] = [
      [[], 'Missing required option "--devices"'],
      [['--devices'], 'Missing value for "--devices"'],
      [['--devices', '--seed', '1'], 'Missing value for "--devices"'],
      [['--devices', '0'], 'Invalid value "0" for "--devices": must be an integer 1-1000'],
      [['--devices', '1001'], 'Invalid value "1001" for "--devices": must be an integer 1-1000'],
      [['--devices', '2.5'], 'Invalid value "2.5" for "--devices": must be an integer 1-1000'],
      [['--devices', '2', '--devices', '3'], 'Option "--devices" is given more than once'],
      [['--devices', '2', '--fleet'], 'Unknown option "--fleet"'],
      [['--devices', '2', 'extra'], 'Unexpected argument "extra"'],
      [['--devices', '2', '--list=yes'], 'Option "--list" takes no value'],
      [
        ['--devices', '2', '--scenario', 'nope'],
        `Unknown scenario "nope" for "--scenario": use one of ${known}`,
      ],
      [
        ['--devices', '2', '--scenario', 'service-scan,service-scan'],
        'Scenario "service-scan" is given more than once in "--scenario"',
      ],
      [
        ['--devices', '2', '--targets', '3'],
        'Invalid value "3" for "--targets": must be a count 1-2 (the number of devices) or thing names',
      ],
      [
        ['--devices', '2', '--targets', '0'],
        'Invalid value "0" for "--targets": must be a count 1-2 (the number of devices) or thing names',
      ],
      [
        ['--devices', '2', '--targets', 'a,,b'],
        'Invalid value "a,,b" for "--targets": a thing name is empty',
      ],
      [
        ['--devices', '2', '--targets', 'sim-1-0003'],
        'Unknown thing "sim-1-0003" in "--targets": the fleet has things sim-1-0001 to sim-1-0002',
      ],
      [
        ['--devices', '2', '--seed', '4', '--targets', 'sim-1-0001'],
        'Unknown thing "sim-1-0001" in "--targets": the fleet has things sim-4-0001 to sim-4-0002',
      ],
      [
        ['--devices', '2', '--targets', 'sim-1-1'],
        'Unknown thing "sim-1-1" in "--targets": the fleet has things sim-1-0001 to sim-1-0002',
      ],
      [
        ['--devices', '2', '--duration', '0'],
        'Invalid value "0" for "--duration": must be a number of seconds from 0.1 to 86400',
      ],
      [
        ['--devices', '2', '--duration', '86401'],
        'Invalid value "86401" for "--duration": must be a number of seconds from 0.1 to 86400',
      ],
      [
        ['--devices', '2', '--duration', '1e3'],
        'Invalid value "1e3" for "--duration": must be a number of seconds from 0.1 to 86400',
      ],
      [
        ['--devices', '2', '--interval', '0.05'],
        'Invalid value "0.05" for "--interval": must be a number of seconds from 0.1 to 3600',
      ],
      [
        ['--devices', '2', '--seed', '-1'],
        'Invalid value "-1" for "--seed": must be an integer 0-4294967295',
      ],
      [
        ['--devices', '2', '--seed', '4294967296'],
        'Invalid value "4294967296" for "--seed": must be an integer 0-4294967295',
      ],
      [
        ['--devices', '2', '--endpoint', 'http://127.0.0.1:8080', '--data-dir', 'd'],
        'Options "--endpoint" and "--data-dir" cannot be used together',
      ],
      [
        ['--devices', '2', '--endpoint', 'http://127.0.0.1:8080'],
        'Option "--endpoint" requires "--mqtt-endpoint" and "--server-ca"',
      ],
      [['--devices', '2', '--server-ca', 'ca.pem'], 'Option "--server-ca" requires "--endpoint"'],
      [
        [
          '--devices',
          '2',
          '--endpoint',
          'ftp://127.0.0.1',
          '--mqtt-endpoint',
          'mqtts://127.0.0.1:1',
          '--server-ca',
          'c',
        ],
        'Invalid value "ftp://127.0.0.1" for "--endpoint": must be http://HOST:PORT or https://HOST:PORT',
      ],
      [
        [
          '--devices',
          '2',
          '--endpoint',
          'http://198.51.100.7:8080',
          '--mqtt-endpoint',
          'mqtts://127.0.0.1:1',
          '--server-ca',
          'c',
        ],
        `Invalid value "http://198.51.100.7:8080" for "--endpoint": ${LOOPBACK_ONLY}`,
      ],
      [
        [
          '--devices',
          '2',
          '--endpoint',
          'http://[::1]:8080',
          '--mqtt-endpoint',
          'mqtts://iot.example.com:8883',
          '--server-ca',
          'c',
        ],
        `Invalid value "mqtts://iot.example.com:8883" for "--mqtt-endpoint": ${LOOPBACK_ONLY}`,
      ],
    ];
    for (const [argv, message] of cases) {
      assert.throws(
        () => parseSimulateArgs(argv, ENV),
        { name: 'SimulateArgsError', message },
        argv.join(' '),
      );
    }
  });
});
