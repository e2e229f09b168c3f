import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { techniquesForViolation } from '../../attack/catalog.ts';
import { validateLayer } from '../../attack/layer-schema.ts';
import { parseMappingFile } from '../../attack/mappings-explorer.ts';
import { TEST_ROOT_ENV } from '../../testing/credentials.ts';
import { TestWarden } from '../../testing/harness.ts';
import { sharedPath } from '../../testing/shared-reference.ts';
import { CapturedStream } from '../audit/test-streams.ts';
import { runAttackCommand } from './attack-command.ts';

const PUBLISHED = sharedPath('attack', 'aws_iot_device_defender_attack-16.1-enterprise.json');
const ALL_THINGS = 'arn:aws:iot:us-east-1:123456789012:all/things';

describe('warden attack', () => {
  let warden: TestWarden;
  let dir: string;

  async function attack(...argv: string[]) {
    const stdout = new CapturedStream();
    const stderr = new CapturedStream();
    const endpoint = argv.includes('export') ? [] : ['--endpoint', warden.endpoints.http];
    const io = { stdout, stderr, env: { ...TEST_ROOT_ENV } };
    const code = await runAttackCommand([...argv, ...endpoint], io);
    return { code, stdout: stdout.text, stderr: stderr.text };
  }

  before(async () => {
    warden = await TestWarden.start();
    dir = await mkdtemp(path.join(tmpdir(), 'warden-attack-'));
  });

  after(async () => {
    await warden?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('a setup with nothing enabled covers no published row', async () => {
    const { code, stdout } = await attack('coverage');
    assert.equal(code, 0);
    assert.ok(stdout.startsWith('ATT&CK v18.1 coverage: 0 techniques, 0 of 24 published rows'));
  });

  test('coverage follows the enabled setup', async () => {
    await warden.api('PATCH', '/audit/configuration', {
      roleArn: 'arn:aws:iam::123456789012:role/audit',
      auditCheckConfigurations: { LOGGING_DISABLED_CHECK: { enabled: true } },
    });
    const behaviors = [
      {
        name: 'few-ports',
        metric: 'aws:num-listening-tcp-ports',
        criteria: { comparisonOperator: 'less-than-equals', value: { count: 1 } },
      },
    ];
    await warden.api('POST', '/security-profiles/ports', { behaviors });
    await warden.api(
      'PUT',
      `/security-profiles/ports/targets?securityProfileTargetArn=${ALL_THINGS}`,
    );
    await warden.api('POST', '/mitigationactions/actions/enable-logs', {
      roleArn: 'arn:aws:iam::123456789012:role/mitigate',
      actionParams: {
        enableIoTLoggingParams: {
          roleArnForLogging: 'arn:aws:iam::123456789012:role/logs',
          logLevel: 'ERROR',
        },
      },
    });

    const layerFile = path.join(dir, 'coverage.json');
    const { code, stdout, stderr } = await attack('coverage', '--layer', layerFile);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /T1562\.008 +Disable or Modify Cloud Logs/);
    assert.match(stdout, /audit check LOGGING_DISABLED_CHECK/);
    assert.match(stdout, /behavior ports\/few-ports \(aws:num-listening-tcp-ports\)/);
    assert.match(stdout, /action enable-logs \(ENABLE_IOT_LOGGING\)/);

    const layer = JSON.parse(await readFile(layerFile, 'utf8'));
    assert.deepEqual(validateLayer(layer), []);
    assert.equal(layer.versions.layer, '4.5');
    const logs = layer.techniques.find(
      (entry: { techniqueID: string }) => entry.techniqueID === 'T1562.008',
    );
    assert.ok(logs, 'the layer scores T1562.008');
    assert.match(logs.comment, /LOGGING_DISABLED_CHECK/);

    const json = JSON.parse((await attack('coverage', '--format', 'json')).stdout);
    assert.ok(
      json.published.covered.some((row: { techniqueId: string }) => row.techniqueId === 'T1046'),
    );
  });

  test('detections layer names raised techniques', async () => {
    await warden.api('POST', '/things/sensor-1', {});
    const report = {
      header: { report_id: 1, version: '1.0' },
      metrics: { listening_tcp_ports: { ports: [{ port: 22 }, { port: 23 }], total: 2 } },
    };
    assert.equal((await warden.api('POST', '/metrics/sensor-1', report)).status, 200);
    const started = await warden.api('POST', '/audit/tasks', {
      targetCheckNames: ['LOGGING_DISABLED_CHECK'],
    });
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const task = await warden.api('GET', `/audit/tasks/${started.body.taskId}`);
      if (task.body.taskStatus !== 'IN_PROGRESS') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const layerFile = path.join(dir, 'detections.json');
    const { code, stdout } = await attack(
      'coverage',
      '--detections',
      '--since',
      '1h',
      '--layer',
      layerFile,
    );
    assert.equal(code, 0);
    const layer = JSON.parse(await readFile(layerFile, 'utf8'));
    assert.deepEqual(validateLayer(layer), []);
    const ids = layer.techniques.map((entry: { techniqueID: string }) => entry.techniqueID);
    for (const technique of techniquesForViolation('aws:num-listening-tcp-ports')) {
      if (!technique.id.startsWith('T0')) assert.ok(ids.includes(technique.id), technique.id);
    }
    assert.ok(ids.includes('T1562.008'), 'the logging finding is in the layer');
    assert.match(stdout, /T1562\.008 +1 times/);
  });

  test('import compares a Mappings Explorer file row by row', async () => {
    const { code, stdout } = await attack('import', PUBLISHED);
    assert.equal(code, 0);
    assert.match(stdout, /: the running setup covers \d+ of 24 rows\n/);
    assert.match(stdout, /T1046 Network Service Discovery \(file: "Network Service Scanning"\)/);

    const unknown = await attack('import', PUBLISHED, '--capability', 'nope');
    assert.equal(unknown.code, 1);
    assert.equal(
      unknown.stderr,
      `${PUBLISHED} has no rows of capability "nope"; its capabilities include: aws_iot_device_defender\n`,
    );
  });

  test('import rejects a non-mapping file', async () => {
    const file = path.join(dir, 'not-a-mapping.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, '{"metadata": 1}'));
    const { code, stderr } = await attack('import', file);
    assert.equal(code, 1);
    assert.ok(stderr.startsWith(`${file}: `), stderr);
  });

  test('export writes a mapping file that reads back', async () => {
    const { code, stdout } = await attack('export');
    assert.equal(code, 0);
    const parsed = parseMappingFile(JSON.parse(stdout));
    assert.equal(parsed.ok, true);
  });

  test('exits 2 with the problem on usage errors', async () => {
    const cases: Array<[string[], string]> = [
      [[], 'Missing command: coverage, import or export'],
      [['scan'], 'Unknown command "scan": use coverage, import or export'],
      [['coverage', '--format', 'xml'], 'Invalid value "xml" for "--format": must be text or json'],
      [
        ['coverage', '--detections', '--since', '7w'],
        'Invalid value "7w" for "--since": must be a positive number followed by s, m, h or d, e.g. 7d',
      ],
      [
        ['coverage', '--domain', 'mobile'],
        'Invalid value "mobile" for "--domain": must be enterprise or ics',
      ],
      [['import'], 'Give exactly one mapping FILE'],
    ];
    for (const [argv, message] of cases) {
      const result = await attack(...argv);
      assert.deepEqual([result.code, result.stderr], [2, `${message}\n`], argv.join(' '));
    }
  });
});
