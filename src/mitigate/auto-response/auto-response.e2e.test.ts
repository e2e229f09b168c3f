import assert from 'node:assert/strict';
import type { MqttClient } from 'mqtt';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ApiServer } from '../../api/http-server.ts';
import { signedFetch } from '../../client/signed-fetch.ts';
import { TEST_ROOT, TEST_ROOT_ENV, testAuth } from '../../testing/credentials.ts';
import { runMitigationsCommand } from '../../cli/mitigations/mitigations-command.ts';
import { CapturedStream } from '../../cli/audit/test-streams.ts';
import { silentLogger } from '../../core/logger.ts';
import { thingScopedPolicy } from '../../testing/harness.ts';
import { autoResponseRoutes } from '../api/auto-response-api.ts';
import { executionRoutes } from '../api/executions-api.ts';
import { MitigationFixture, mitigationAction } from '../mitigation-fixture.ts';
import { AutoResponseRules } from './auto-response-rules.ts';
import { AutoResponder } from './auto-responder.ts';
import { resolverTargets } from './resolver-targets.ts';

const REPORT_TOPIC = '$aws/things/sensor-1/defender/metrics/json';

/**
 * The whole path on a running Warden: a device's report raises a violation in the real
 * evaluator, the rule quarantines the thing through the LiveMitigator, and the CLI rolls the
 * execution back through the execution routes.
 */
describe('auto-response end to end', () => {
  let fixture: MitigationFixture;
  let responder: AutoResponder;
  let server: ApiServer;
  let endpoint: string;
  let client: MqttClient;

  before(async () => {
    fixture = await MitigationFixture.start();
    const { warden } = fixture;
    const service = warden.service;
    const clock = service.clock;
    const logger = silentLogger();

    const rules = new AutoResponseRules({ store: fixture.store, clock });
    responder = new AutoResponder({
      store: fixture.store,
      rules,
      mitigator: fixture.mitigator,
      targets: resolverTargets(fixture.mitigation.resolver, (id) =>
        service.detect.activeViolations.get(id),
      ),
      findings: { listFindings: async () => [] },
      alerts: service.alerts,
      clock,
      logger,
    });
    service.evaluator.onViolationEvent((event) => responder.handleViolationEvent(event));
    server = new ApiServer({
      host: '127.0.0.1',
      port: 0,
      logger,
      auth: testAuth(),
      routes: [
        ...autoResponseRoutes({ rules, guard: responder.guard, events: responder.events, clock }),
        ...executionRoutes(fixture.store, fixture.mitigator),
      ],
    });
    endpoint = `http://127.0.0.1:${((await server.listen()) as AddressInfo).port}`;

    await warden.createPolicy('device', thingScopedPolicy());
    const device = await fixture.device('sensor-1', 'device');
    assert.equal((await warden.api('POST', '/thing-groups/quarantine', {})).status, 200);
    await fixture.store.putAction(
      mitigationAction('quarantine', 'ADD_THINGS_TO_THING_GROUP', {
        thingGroupNames: ['quarantine'],
      }),
    );
    const behaviors = [
      {
        name: 'few-listeners',
        metric: 'aws:num-listening-tcp-ports',
        criteria: { comparisonOperator: 'less-than-equals', value: { count: 1 } },
      },
    ];
    assert.equal((await warden.api('POST', '/security-profiles/ports', { behaviors })).status, 200);
    const target = 'arn:aws:iot:us-east-1:123456789012:all/things';
    const attached = await warden.api(
      'PUT',
      `/security-profiles/ports/targets?securityProfileTargetArn=${target}`,
    );
    assert.equal(attached.status, 200);
    client = await warden.connect('sensor-1', device);
  });

  after(async () => {
    await client?.endAsync();
    await responder?.drain();
    await server?.close();
    await fixture?.stop();
  });

  test('quarantines a violating thing and the CLI rolls it back', async () => {
    const rule = await signedFetch(
      `${endpoint}/warden/auto-responses/quarantine-listeners`,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          trigger: { securityProfileName: 'ports', behaviorName: 'few-listeners' },
          actions: ['quarantine'],
          dryRun: false,
        }),
      },
      TEST_ROOT,
    );
    assert.equal(rule.status, 200);

    const report = {
      header: { report_id: 1, version: '1.0' },
      metrics: { listening_tcp_ports: { ports: [{ port: 22 }, { port: 80 }], total: 2 } },
    };
    const accepted = new Promise<string>((resolve) =>
      client.on('message', (topic) => resolve(topic)),
    );
    await client.subscribeAsync(`${REPORT_TOPIC}/+`, { qos: 1 });
    await client.publishAsync(REPORT_TOPIC, JSON.stringify(report), { qos: 1 });
    assert.equal(await accepted, `${REPORT_TOPIC}/accepted`);
    await responder.drain();

    const registry = fixture.warden.service.registry;
    assert.deepEqual(registry.linkedTo('thing-group-member', 'sensor-1'), ['quarantine']);
    const [execution] = await fixture.store.listExecutions({ thingName: 'sensor-1' });
    assert.ok(execution);
    assert.equal(execution.status, 'COMPLETED');
    assert.equal(execution.taskId, 'auto-response:quarantine-listeners');
    assert.equal(execution.source.kind, 'violation');

    const stdout = new CapturedStream();
    const stderr = new CapturedStream();
    const code = await runMitigationsCommand(
      ['rollback', execution.executionId, '--endpoint', endpoint],
      { stdout, stderr, env: { ...TEST_ROOT_ENV } },
    );
    assert.equal(code, 0, stderr.text);
    assert.ok(
      stdout.text.startsWith(
        `Rolled back execution ${execution.executionId}: quarantine (ADD_THINGS_TO_THING_GROUP) on things sensor-1`,
      ),
      stdout.text,
    );
    assert.ok(stdout.text.includes('    groupsOfThing.sensor-1: (none)\n'), stdout.text);
    assert.deepEqual(registry.linkedTo('thing-group-member', 'sensor-1'), []);

    const again = await runMitigationsCommand(
      ['rollback', execution.executionId, '--endpoint', endpoint],
      { stdout: new CapturedStream(), stderr, env: { ...TEST_ROOT_ENV } },
    );
    assert.equal(again, 1);
    assert.match(
      stderr.text,
      new RegExp(
        `^Cannot roll back mitigation execution "${execution.executionId}": it was already rolled back at `,
      ),
    );
  });
});
