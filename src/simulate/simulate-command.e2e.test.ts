import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeClock } from '../core/clock.ts';
import { TestWarden } from '../testing/harness.ts';
import { SCENARIOS } from './scenarios/index.ts';
import { runSimulateCommand } from './simulate-command.ts';
import { historyEvents } from './simulation-fixture.ts';

interface Captured {
  code: number;
  stdout: string[];
  stderr: string[];
}

describe('warden simulate', () => {
  let warden: TestWarden;
  let env: NodeJS.ProcessEnv;

  async function simulate(argv: string[], signal?: AbortSignal): Promise<Captured> {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await runSimulateCommand(argv, {
      stdout: (line) => stdout.push(...line.split('\n')),
      stderr: (line) => stderr.push(...line.split('\n')),
      env,
      ...(signal === undefined ? {} : { signal }),
    });
    return { code, stdout, stderr };
  }

  before(async () => {
    warden = await TestWarden.start({ clock: new FakeClock(Date.now()), minReportIntervalMs: 0 });
    env = {
      AWS_ACCESS_KEY_ID: warden.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: warden.credentials.secretAccessKey,
    };
  });

  after(async () => {
    await warden?.stop();
  });

  test('lists every scenario with its technique', async () => {
    const { code, stdout } = await simulate(['--list']);
    assert.equal(code, 0);
    assert.match(stdout[0] ?? '', /^Scenario +Technique +Also +Expected signal +Does$/);
    assert.equal(stdout.length, 1 + SCENARIOS.length);
    assert.match(
      stdout[1] ?? '',
      /^exfiltration-c2 +T1041 +violation aws:message-byte-size +Publishes/,
    );
    assert.ok(
      stdout.some((line) => /^broad-policy +T1078\.004 +T1078 +finding IOT_POLICY/.test(line)),
    );
  });

  test('prints what each device and scenario did', async () => {
    const { code, stdout, stderr } = await simulate([
      '--data-dir',
      warden.dataDir,
      '--devices',
      '2',
      '--duration',
      '0.4',
      '--interval',
      '0.1',
      '--seed',
      '401',
      '--scenario',
      'backdoor-port',
      '--targets',
      'sim-401-0002',
    ]);
    assert.equal(code, 0, stderr.join('\n'));
    assert.deepEqual(stderr, [`Registering 2 devices in Warden at ${warden.endpoints.http}`]);
    assert.match(
      stdout[0] ?? '',
      /^Ran 2 devices of seed 401 for 4 of 4 ticks, 0\.1 s apart \(simulated /,
    );
    assert.match(
      stdout[2] ?? '',
      /^Thing +Kind +Connects +Reports +Accepted +Rejected +Unanswered +Telemetry +Scenarios$/,
    );
    assert.match(stdout[3] ?? '', /^sim-401-0001 +\w+ +1 +4 +4 +0 +0 +\d+ *$/);
    assert.match(stdout[4] ?? '', /^sim-401-0002 +\w+ +1 +4 +4 +0 +0 +\d+ +backdoor-port$/);
    const scenarioLine = stdout.findIndex((line) => line.startsWith('backdoor-port (T1571)'));
    assert.match(
      stdout[scenarioLine] ?? '',
      /^backdoor-port \(T1571\) on sim-401-0002, started \S+ \(tick 2\); expects violation aws:listening-tcp-ports$/,
    );
    assert.match(stdout[scenarioLine + 1] ?? '', /^ {2}- sim-401-0002 listens on TCP port \d+$/);
    assert.ok(stdout.some((line) => line.startsWith('Normal envelope of the clean fleet')));
  });

  test('prints the result as JSON', async () => {
    const { code, stdout } = await simulate([
      '--data-dir',
      warden.dataDir,
      '--devices',
      '1',
      '--duration',
      '0.2',
      '--interval',
      '0.1',
      '--seed',
      '402',
      '--json',
    ]);
    assert.equal(code, 0);
    const result = JSON.parse(stdout.join('\n'));
    assert.equal(result.seed, 402);
    assert.equal(result.devices[0].thingName, 'sim-402-0001');
    assert.equal(result.devices[0].stats.reportsAccepted, 2);
  });

  test('stops early on the signal and closes every session', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 600);
    const argv = [
      '--data-dir',
      warden.dataDir,
      '--devices',
      '2',
      '--duration',
      '60',
      '--interval',
      '0.1',
    ];
    const { code, stdout } = await simulate([...argv, '--seed', '403'], controller.signal);
    assert.equal(code, 0);
    assert.match(
      stdout[0] ?? '',
      /^Ran 2 devices of seed 403 for \d+ of 600 ticks, .*, stopped early$/,
    );
    for (const thingName of ['sim-403-0001', 'sim-403-0002']) {
      const events = await historyEvents(warden, { clientId: thingName, types: ['disconnect'] });
      assert.equal(events.length, 1, thingName);
    }
  });

  test('exits 2 on invalid arguments', async () => {
    const { code, stdout, stderr } = await simulate(['--devices', '5000']);
    assert.equal(code, 2);
    assert.deepEqual(stdout, []);
    assert.deepEqual(stderr, [
      'Invalid value "5000" for "--devices": must be an integer 1-1000',
      'Run "warden simulate --help" for the options.',
    ]);
  });

  test('exits 1 when no Warden runs in the data directory', async () => {
    const missing = `${warden.dataDir}-missing`;
    const { code, stderr } = await simulate(['--data-dir', missing, '--devices', '1']);
    assert.equal(code, 1);
    assert.equal(
      stderr.at(-1),
      `warden simulate: Cannot read "${missing}/endpoints.json": ENOENT; Warden writes it on start, so check that "warden serve --data-dir ${missing}" is running`,
    );
  });

  test('counts Throttled reports when Warden wants longer intervals', async () => {
    const strict = await TestWarden.start({ minReportIntervalMs: 60_000 });
    try {
      const strictEnv = {
        AWS_ACCESS_KEY_ID: strict.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: strict.credentials.secretAccessKey,
      };
      const stdout: string[] = [];
      const code = await runSimulateCommand(
        ['--data-dir', strict.dataDir, '--devices', '1', '--duration', '0.3', '--interval', '0.1'],
        {
          stdout: (line) => stdout.push(...line.split('\n')),
          stderr: () => undefined,
          env: strictEnv,
        },
      );
      assert.equal(code, 0);
      assert.match(stdout[3] ?? '', /^sim-1-0001 +\w+ +1 +3 +1 +2 Throttled +0 +\d+ *$/);
    } finally {
      await strict.stop();
    }
  });
});
