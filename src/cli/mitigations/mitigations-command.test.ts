import { techniquesForAction } from '../../attack/catalog.ts';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { putTestAction } from '../../mitigate/auto-response/test-kit.ts';
import {
  startTestMitigationApi,
  type TestMitigationApi,
} from '../../mitigate/auto-response/test-mitigation-api.ts';
import type { ExecutionRecord, MitigationAction } from '../../mitigate/mitigation-types.ts';
import { CapturedStream } from '../audit/test-streams.ts';
import { TEST_ROOT_ENV } from '../../testing/credentials.ts';
import { runMitigationsCommand } from './mitigations-command.ts';

const START = Date.UTC(2026, 11, 4, 12);
const REPOSITORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function cli(argv: string[]) {
  const stdout = new CapturedStream();
  const stderr = new CapturedStream();
  const io = { stdout, stderr, requestTimeoutMs: 5000, env: { ...TEST_ROOT_ENV } };
  const code = await runMitigationsCommand(argv, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Finds a port on 127.0.0.1 that nothing listens on: bound once by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('warden mitigations against a running Warden', () => {
  let api: TestMitigationApi;
  let quarantine: MitigationAction;
  let applied: ExecutionRecord;
  let preview: ExecutionRecord;

  before(async () => {
    api = await startTestMitigationApi();
    api.kit.clock.set(START);
    quarantine = await putTestAction(api.kit, 'quarantine', 'ADD_THINGS_TO_THING_GROUP');
    applied = await execute('sensor-1', false);
    api.kit.clock.advance(60_000);
    preview = await execute('sensor-2', true);
  });

  after(async () => {
    await api?.stop();
  });

  function execute(thingName: string, dryRun: boolean): Promise<ExecutionRecord> {
    return api.kit.mitigator.execute({
      action: quarantine,
      target: {
        certificateIds: [],
        caCertificateIds: [],
        thingNames: [thingName],
        clientIds: [],
        policyNames: [],
        sourceIps: [],
        subject: { thingName },
      },
      source: {
        kind: 'violation',
        violationId: `violation-${thingName}`,
        securityProfileName: 'ports',
        behaviorName: 'many-ports',
      },
      taskId: 'auto-response:quarantine-ports',
      dryRun,
    });
  }

  test('list prints every execution as a table', async () => {
    const { code, stdout, stderr } = await cli(['list', '--endpoint', api.endpoint]);
    assert.equal(code, 0, stderr);
    const lines = stdout.split('\n');
    assert.match(lines[0] ?? '', /^EXECUTION ID +STARTED +ACTION +TYPE +STATUS +TARGET +NOTES$/);
    assert.match(
      lines[1] ?? '',
      new RegExp(
        `^${applied.executionId} +2026-12-04T12:00:00.000Z +quarantine +ADD_THINGS_TO_THING_GROUP +COMPLETED +things sensor-1$`,
      ),
    );
    assert.match(
      lines[2] ?? '',
      new RegExp(`^${preview.executionId} .* things sensor-2 +dry run$`),
    );
    assert.equal(lines.at(-2), '2 executions');
  });

  test('list --thing keeps the executions that acted on the thing', async () => {
    const found = await cli(['list', '--thing', 'sensor-2', '--endpoint', api.endpoint]);
    assert.equal(found.code, 0);
    assert.ok(found.stdout.includes(preview.executionId));
    assert.ok(!found.stdout.includes(applied.executionId));
    assert.ok(found.stdout.endsWith('\n1 execution\n'));

    const none = await cli(['list', '--thing', 'sensor-9', '--endpoint', api.endpoint]);
    assert.equal(none.code, 0);
    assert.equal(none.stdout, 'No executions acted on thing "sensor-9"\n');
  });

  test('show prints one execution in full', async () => {
    const { code, stdout } = await cli(['show', applied.executionId, '--endpoint', api.endpoint]);
    assert.equal(code, 0);
    assert.equal(
      stdout,
      [
        `Execution ${applied.executionId}`,
        '  action:      quarantine (ADD_THINGS_TO_THING_GROUP)',
        '  status:      COMPLETED',
        '  mode:        applied',
        '  source:      violation violation-sensor-1 of behavior "many-ports" in security profile "ports"',
        '  task:        auto-response:quarantine-ports',
        '  started:     2026-12-04T12:00:00.000Z',
        '  ended:       2026-12-04T12:00:00.000Z',
        '  target:      things sensor-1',
        `  ATT&CK:      ${techniquesForAction('ADD_THINGS_TO_THING_GROUP')
          .map((technique) => `${technique.id} ${technique.name}`)
          .join(', ')}`,
        '  before:',
        '    thingGroups.sensor-1: (none)',
        '  after:',
        '    thingGroups.sensor-1: quarantine',
        '',
      ].join('\n'),
    );
  });

  test('show of a missing execution exits 1 with the API message', async () => {
    const { code, stdout, stderr } = await cli(['show', 'no-such-id', '--endpoint', api.endpoint]);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.equal(stderr, 'Execution "no-such-id" does not exist\n');
  });

  test('rollback restores the state and prints what it restored', async () => {
    const execution = await execute('sensor-3', false);
    assert.deepEqual(api.kit.registry.linkedTo('thing-group-member', 'sensor-3'), ['quarantine']);

    const { code, stdout } = await cli([
      'rollback',
      execution.executionId,
      '--data-dir',
      api.dataDir,
    ]);
    assert.equal(code, 0);
    assert.deepEqual(api.kit.registry.linkedTo('thing-group-member', 'sensor-3'), []);
    assert.equal(
      stdout,
      [
        `Rolled back execution ${execution.executionId}: quarantine (ADD_THINGS_TO_THING_GROUP) on things sensor-3`,
        'Restored:',
        '    thingGroups.sensor-3: (none)',
        `Restored the state before execution "${execution.executionId}"`,
        '',
      ].join('\n'),
    );

    const again = await cli(['rollback', execution.executionId, '--endpoint', api.endpoint]);
    assert.equal(again.code, 1);
    assert.equal(
      again.stderr,
      `Cannot roll back mitigation execution "${execution.executionId}": it was already rolled back at 2026-12-04T12:01:00.000Z\n`,
    );
  });

  test('rollback of a dry run exits 1', async () => {
    const { code, stderr } = await cli([
      'rollback',
      preview.executionId,
      '--endpoint',
      api.endpoint,
    ]);
    assert.equal(code, 1);
    assert.equal(
      stderr,
      `Cannot roll back mitigation execution "${preview.executionId}": it was a dry run and changed nothing\n`,
    );
  });

  test('exits 2 when Warden cannot be reached', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const { code, stderr } = await cli(['list', '--endpoint', endpoint]);
    assert.equal(code, 2);
    assert.equal(stderr, `Cannot reach Warden at ${endpoint}: connect ECONNREFUSED\n`);
  });

  test('exits 2 when the endpoint is not a Warden', async () => {
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"hello":"world"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const { code, stderr } = await cli(['show', applied.executionId, '--endpoint', endpoint]);
      assert.equal(code, 2);
      assert.equal(
        stderr,
        `Unexpected response from ${endpoint} to DescribeMitigationExecution: missing or invalid "executionId"; is this a Warden API endpoint?\n`,
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('exits 2 when the data directory has no endpoints.json', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'warden-no-endpoints-'));
    try {
      const { code, stderr } = await cli(['list', '--data-dir', dataDir]);
      assert.equal(code, 2);
      assert.equal(
        stderr,
        `Cannot read "${path.join(dataDir, 'endpoints.json')}": ENOENT; Warden writes it on start, so check that "warden serve --data-dir ${dataDir}" is running\n`,
      );
      await writeFile(path.join(dataDir, 'endpoints.json'), '{"mqtt":"mqtts://127.0.0.1:1"}');
      const invalid = await cli(['list', '--data-dir', dataDir]);
      assert.equal(invalid.code, 2);
      assert.equal(
        invalid.stderr,
        `Invalid "${path.join(dataDir, 'endpoints.json')}": it has no "http" member with the API address\n`,
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('exits 2 on a usage error', async () => {
    const { code, stderr } = await cli(['undo']);
    assert.equal(code, 2);
    assert.equal(
      stderr,
      'Unknown command "undo": give one of list, show, rollback\n\nRun "warden mitigations --help" for usage.\n',
    );
  });

  test('bin/warden.js runs the command', async () => {
    const run = promisify(execFile);
    const { stdout } = await run(
      process.execPath,
      ['bin/warden.js', 'mitigations', 'show', applied.executionId, '--endpoint', api.endpoint],
      { cwd: REPOSITORY, timeout: 30_000, env: { ...process.env, ...TEST_ROOT_ENV } },
    );
    assert.ok(stdout.startsWith(`Execution ${applied.executionId}\n`));

    const failed = await run(
      process.execPath,
      ['bin/warden.js', 'mitigations', 'show', 'no-such-id', '--endpoint', api.endpoint],
      { cwd: REPOSITORY, timeout: 30_000, env: { ...process.env, ...TEST_ROOT_ENV } },
    ).catch((error: { code: number; stderr: string }) => error);
    assert.equal((failed as { code: number }).code, 1);
    assert.equal((failed as { stderr: string }).stderr, 'Execution "no-such-id" does not exist\n');
  });
});
