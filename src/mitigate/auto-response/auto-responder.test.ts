import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { AuditCheck } from '../../audit/audit-check.ts';
import { AuditConfigurations } from '../../audit/audit-configuration.ts';
import { AuditTasks } from '../../audit/audit-tasks.ts';
import { createLogger, silentLogger, type Logger } from '../../core/logger.ts';
import { AlertDispatcher } from '../../detect/alerts.ts';
import type { Behavior } from '../../detect/behavior.ts';
import type { SecurityProfile, StoredViolationEvent } from '../../detect/detect-records.ts';
import { DetectState } from '../../detect/detect-state.ts';
import { emptyWrite, Evaluator } from '../../detect/evaluator.ts';
import { BatchWriter } from '../../store/batch-writer.ts';
import { SqliteDetectStore } from '../../store/sqlite-detect-store.ts';
import type { AutoResponseRuleInput } from './auto-response-rule.ts';
import { AutoResponseRules } from './auto-response-rules.ts';
import { AutoResponder } from './auto-responder.ts';
import type { GuardAlertMessage } from './guard-alert.ts';
import {
  createMitigationTestKit,
  putTestAction,
  putTestCertificate,
  testTargets,
  type MitigationTestKit,
} from './test-kit.ts';

const HOUR = 3600 * 1000;
const ALERT_ARN = 'arn:aws:sns:us-east-1:123456789012:guard-alerts';
const CHECK_NAME = 'TEST_CERTIFICATE_CHECK';

function behavior(name: string): Behavior {
  return {
    name,
    metric: 'aws:num-listening-tcp-ports',
    criteria: { comparisonOperator: 'less-than-equals', value: { count: 5 } },
  };
}

function profile(name: string, behaviorNames: string[]): SecurityProfile {
  return {
    securityProfileName: name,
    behaviors: behaviorNames.map(behavior),
    alertTargets: {},
    additionalMetricsToRetainV2: [],
    tags: [],
    version: 1,
    createdAt: 0,
    lastModifiedAt: 0,
  };
}

const PORTS = profile('ports', ['many-ports', 'other-ports']);
const OTHER = profile('other-profile', ['many-ports']);

/** Flags certificates whose id starts with "b" (reason TEST_BAD) or "c" (reason TEST_OTHER). */
const certificateCheck: AuditCheck = {
  name: CHECK_NAME,
  severity: 'HIGH',
  enabledByDefault: true,
  run: ({ fleet }) => ({
    totalResourcesCount: fleet.certificates.length,
    nonCompliant: fleet.certificates
      .filter((certificate) => /^[bc]/.test(certificate.certificateId))
      .map((certificate) => ({
        resource: {
          resourceType: 'DEVICE_CERTIFICATE',
          resourceIdentifier: { deviceCertificateId: certificate.certificateId },
        },
        relatedResources: [],
        reasonForNonCompliance: 'Test reason',
        reasonForNonComplianceCode: certificate.certificateId.startsWith('b')
          ? 'TEST_BAD'
          : 'TEST_OTHER',
      })),
  }),
};

/** Starts an HTTP server on 127.0.0.1 that keeps the JSON bodies posted to it. */
async function startWebhook(): Promise<{ url: string; bodies: unknown[]; server: Server }> {
  const bodies: unknown[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/hook`, bodies, server };
}

/** Creates a JSON logger whose lines the test can read. */
function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      callback();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

describe('auto-responder', () => {
  let kit: MitigationTestKit;
  let rules: AutoResponseRules;
  let responder: AutoResponder;
  let evaluator: Evaluator;
  let alerts: AlertDispatcher;
  let webhook: Awaited<ReturnType<typeof startWebhook>>;
  let logLines: Record<string, unknown>[];

  beforeEach(async () => {
    kit = await createMitigationTestKit();
    await putTestAction(kit, 'quarantine', 'ADD_THINGS_TO_THING_GROUP');
    await putTestAction(kit, 'deactivate', 'UPDATE_DEVICE_CERTIFICATE');
    webhook = await startWebhook();
    const captured = capturingLogger();
    logLines = captured.lines;
    alerts = new AlertDispatcher({
      targets: [{ name: 'guard-alerts', type: 'webhook', url: webhook.url }],
      publish: async () => undefined,
      clock: kit.clock,
      logger: silentLogger(),
      maxAttempts: 1,
    });
    rules = new AutoResponseRules({ store: kit.store, clock: kit.clock });
    responder = newResponder(captured.logger);

    const detect = new DetectState(new SqliteDetectStore(kit.db, new BatchWriter(kit.db)));
    await detect.load();
    evaluator = new Evaluator(detect, kit.registry, kit.clock, silentLogger());
    evaluator.onViolationEvent((event) => responder.handleViolationEvent(event));
  });

  afterEach(async () => {
    await responder.drain();
    await alerts.drain();
    await new Promise((resolve) => webhook.server.close(resolve));
  });

  function newResponder(logger: Logger = silentLogger()): AutoResponder {
    return new AutoResponder({
      store: kit.store,
      rules,
      mitigator: kit.mitigator,
      targets: testTargets,
      findings: kit.auditStore,
      alerts,
      clock: kit.clock,
      logger,
    });
  }

  /**
   * Sends one violating datapoint per thing through the real evaluator in one write, so the
   * in-alarm events reach the responder together, and returns the events.
   */
  async function raise(
    things: string[],
    behaviorName = 'many-ports',
    securityProfile = PORTS,
  ): Promise<StoredViolationEvent[]> {
    const write = emptyWrite();
    const violating = securityProfile.behaviors.find((item) => item.name === behaviorName);
    assert.ok(violating);
    for (const thingName of things)
      evaluator.applyDatapoint(write, {
        thingName,
        profile: securityProfile,
        behavior: violating,
        value: { count: 10 },
        time: kit.clock.now(),
      });
    await evaluator.commit(write);
    await responder.drain();
    return write.events;
  }

  async function clear(thingName: string, behaviorName = 'many-ports'): Promise<void> {
    const write = emptyWrite();
    evaluator.applyDatapoint(write, {
      thingName,
      profile: PORTS,
      behavior: behavior(behaviorName),
      value: { count: 1 },
      time: kit.clock.now(),
    });
    await evaluator.commit(write);
    assert.equal(write.events[0]?.type, 'alarm-cleared');
    await responder.drain();
  }

  async function put(ruleName: string, input: Partial<AutoResponseRuleInput> = {}) {
    return rules.put(ruleName, {
      trigger: { securityProfileName: 'ports', behaviorName: 'many-ports' },
      actions: ['quarantine'],
      dryRun: false,
      ...input,
    });
  }

  const groupsOf = (thing: string) => kit.registry.linkedTo('thing-group-member', thing);

  test('acts on an in-alarm violation of its behavior', async () => {
    await put('quarantine-ports');
    const [event] = await raise(['sensor-1']);

    assert.deepEqual(groupsOf('sensor-1'), ['quarantine']);
    const executions = await kit.store.listExecutions({});
    assert.equal(executions.length, 1);
    assert.equal(executions[0]?.status, 'COMPLETED');
    assert.equal(executions[0]?.taskId, 'auto-response:quarantine-ports');
    assert.equal(executions[0]?.dryRun, false);
    assert.deepEqual(executions[0]?.source, {
      kind: 'violation',
      violationId: event?.violationId,
      securityProfileName: 'ports',
      behaviorName: 'many-ports',
    });
    assert.deepEqual(executions[0]?.target.thingNames, ['sensor-1']);
  });

  test('ignores other behaviors, profiles, cleared alarms and disabled rules', async () => {
    await put('quarantine-ports');
    await put('disabled', { trigger: { securityProfileName: 'other-profile' }, enabled: false });
    await raise(['sensor-1'], 'other-ports');
    await raise(['sensor-2'], 'many-ports', OTHER);
    await clear('sensor-1', 'other-ports');

    assert.equal(kit.mitigator.calls.length, 0);
    assert.deepEqual(await kit.store.listExecutions({}), []);
    assert.deepEqual(groupsOf('sensor-1'), []);
    assert.deepEqual(groupsOf('sensor-2'), []);
  });

  test('a rule without a behavior name fires for every behavior', async () => {
    await put('all-ports', { trigger: { securityProfileName: 'ports' } });
    await raise(['sensor-1'], 'other-ports');
    await raise(['sensor-2'], 'many-ports');
    assert.deepEqual(
      kit.mitigator.calls.map((call) => call.target.thingNames[0]),
      ['sensor-1', 'sensor-2'],
    );
  });

  test('dry run records the execution and changes nothing', async () => {
    const rule = await rules.put('preview', {
      trigger: { securityProfileName: 'ports' },
      actions: ['quarantine'],
    });
    assert.equal(rule.dryRun, true);
    await raise(['sensor-1']);

    assert.deepEqual(groupsOf('sensor-1'), []);
    assert.equal(kit.mitigator.calls[0]?.dryRun, true);
    const executions = await kit.store.listExecutions({});
    assert.equal(executions.length, 1);
    assert.equal(executions[0]?.dryRun, true);
    assert.deepEqual(executions[0]?.after, { thingGroups: { 'sensor-1': ['quarantine'] } });
  });

  test('runs actions in order and skips the rest after a failure', async () => {
    await put('two-step', { actions: ['quarantine', 'deactivate'] });
    kit.mitigator.failing.add('quarantine');
    await raise(['sensor-1']);

    // Both executions start at the same fake-clock time, so the store's order between them is
    // arbitrary; look them up by action name.
    const executions = new Map(
      (await kit.store.listExecutions({})).map((execution) => [execution.actionName, execution]),
    );
    assert.equal(executions.size, 2);
    assert.equal(executions.get('quarantine')?.status, 'FAILED');
    assert.equal(executions.get('deactivate')?.status, 'SKIPPED');
    assert.equal(
      executions.get('deactivate')?.message,
      'Skipped because the earlier action "quarantine" failed',
    );
    assert.equal(kit.mitigator.calls.length, 1);
  });

  test('never acts twice on the same violation', async () => {
    await put('quarantine-ports');
    const [event] = await raise(['sensor-1']);
    assert.ok(event);

    responder.handleViolationEvent(event);
    responder.handleViolationEvent(event);
    await responder.drain();
    const restarted = newResponder();
    restarted.handleViolationEvent(event);
    await restarted.drain();

    assert.equal(kit.mitigator.calls.length, 1);
    assert.equal((await kit.store.listExecutions({ violationId: event.violationId })).length, 1);
  });

  test('two rules on one violation each act once', async () => {
    await put('first');
    await put('second', { actions: ['deactivate'] });
    await raise(['sensor-1']);
    assert.deepEqual(
      kit.mitigator.calls.map((call) => call.action.actionName),
      ['quarantine', 'deactivate'],
    );
  });

  test('guard trips past the limit, alerts once and acts again after an hour', async () => {
    await put('limited', {
      trigger: { securityProfileName: 'ports' },
      maxThingsPerHour: 3,
      alertTargetArn: ALERT_ARN,
    });
    await raise(['thing-1', 'thing-2', 'thing-3']);
    await raise(['thing-2'], 'other-ports');
    assert.equal(kit.mitigator.calls.length, 4, 'a thing already acted on is not a new thing');

    await raise(['thing-4', 'thing-5']);
    await raise(['thing-6']);
    await alerts.drain();
    assert.equal(kit.mitigator.calls.length, 4);
    assert.deepEqual(groupsOf('thing-4'), []);
    assert.equal(webhook.bodies.length, 1);
    const alert = webhook.bodies[0] as GuardAlertMessage;
    assert.equal(alert.alertType, 'auto-response-guard-tripped');
    assert.equal(alert.ruleName, 'limited');
    assert.equal(alert.maxThingsPerHour, 3);
    assert.deepEqual(alert.skippedThings, ['thing-4', 'thing-5']);
    assert.deepEqual(alert.thingsActedOn, ['thing-1', 'thing-3', 'thing-2']);
    assert.equal(
      alert.message,
      'Auto-response rule "limited" reached its limit of 3 distinct things per hour and skipped 2: thing-4, thing-5',
    );
    const warnings = logLines.filter((line) => line['level'] === 40);
    assert.equal(warnings.length, 1);
    assert.equal(
      warnings[0]?.['msg'],
      'auto-response guard tripped; the rule acts again when its hourly window has room',
    );
    assert.equal(warnings[0]?.['ruleName'], 'limited');

    kit.clock.advance(HOUR);
    await raise(['thing-7']);
    assert.deepEqual(groupsOf('thing-7'), ['quarantine']);
    const events = await responder.events.list('limited');
    assert.deepEqual(
      events.map((event) => event.type),
      ['guard-tripped', 'guard-cleared'],
    );
    assert.equal(events[1]?.details['skippedCount'], 3);

    await raise(['thing-8', 'thing-9', 'thing-10']);
    await alerts.drain();
    assert.equal(webhook.bodies.length, 2, 'a new trip sends a new alert');
    assert.deepEqual((webhook.bodies[1] as GuardAlertMessage).skippedThings, ['thing-10']);
  });

  test('a tripped guard without an alert target only logs and records', async () => {
    await put('quiet', { maxThingsPerHour: 1 });
    await raise(['thing-1', 'thing-2']);
    await alerts.drain();
    assert.equal(webhook.bodies.length, 0);
    assert.deepEqual(
      (await responder.events.list('quiet')).map((event) => event.type),
      ['guard-tripped'],
    );
    assert.equal(logLines.filter((line) => line['level'] === 40).length, 1);
  });

  test('records a response that cannot run because an action was deleted', async () => {
    await put('quarantine-ports');
    await kit.store.deleteAction('quarantine');
    await raise(['sensor-1']);

    assert.equal(kit.mitigator.calls.length, 0);
    const events = await responder.events.list('quarantine-ports');
    assert.equal(events.length, 1);
    assert.equal(events[0]?.type, 'response-failed');
    assert.equal(events[0]?.message, 'Mitigation action "quarantine" no longer exists');
  });

  describe('on audit findings', () => {
    let tasks: AuditTasks;

    beforeEach(async () => {
      const configurations = new AuditConfigurations(
        kit.auditStore,
        [certificateCheck],
        async () => new Set(),
      );
      await configurations.update({
        roleArn: 'arn:aws:iam::123456789012:role/audit',
        auditCheckConfigurations: { [CHECK_NAME]: { enabled: true } },
      });
      tasks = new AuditTasks(
        kit.auditStore,
        configurations,
        async (window) => ({
          accountId: '123456789012',
          region: 'us-east-1',
          certificates: kit.registry.all('certificate'),
          caCertificates: [],
          policies: [],
          policyTargets: {},
          roleAliases: [],
          roles: [],
          identityPools: [],
          crls: [],
          logging: undefined,
          connections: [],
          window,
        }),
        kit.clock,
        silentLogger(),
      );
      tasks.onFinished((task) => responder.handleAuditTask(task));
    });

    async function audit() {
      const task = await tasks.start({
        checkNames: [CHECK_NAME],
        taskType: 'ON_DEMAND_AUDIT_TASK',
      });
      await tasks.finished(task.taskId);
      await responder.drain();
      return (await kit.auditStore.getTask(task.taskId)) ?? task;
    }

    test('acts on unsuppressed findings with the named reason codes', async () => {
      const bad = await putTestCertificate(kit, 'b1');
      const suppressed = await putTestCertificate(kit, 'b2');
      const other = await putTestCertificate(kit, 'c1');
      await kit.auditStore.putSuppression({
        checkName: CHECK_NAME,
        resourceIdentifier: { deviceCertificateId: suppressed },
        suppressIndefinitely: true,
        clientRequestToken: 'suppress-b2',
      });
      await rules.put('deactivate-bad', {
        trigger: { checkName: CHECK_NAME, reasonCodes: ['TEST_BAD'] },
        actions: ['deactivate'],
        dryRun: false,
      });
      const task = await audit();

      assert.equal(kit.registry.get('certificate', bad)?.status, 'INACTIVE');
      assert.equal(kit.registry.get('certificate', suppressed)?.status, 'ACTIVE');
      assert.equal(kit.registry.get('certificate', other)?.status, 'ACTIVE');
      const executions = await kit.store.listExecutions({});
      assert.equal(executions.length, 1);
      const [finding] = await kit.auditStore.listFindings({
        taskId: task.taskId,
        resourceKey: JSON.stringify({ deviceCertificateId: bad }),
      });
      assert.deepEqual(executions[0]?.source, {
        kind: 'audit-finding',
        findingId: finding?.findingId,
        checkName: CHECK_NAME,
      });

      responder.handleAuditTask(task);
      await responder.drain();
      assert.equal((await kit.store.listExecutions({})).length, 1, 'no second action');
    });

    test('ignores tasks that did not complete', async () => {
      await putTestCertificate(kit, 'b1');
      await rules.put('deactivate-bad', {
        trigger: { checkName: CHECK_NAME },
        actions: ['deactivate'],
        dryRun: false,
      });
      const task = await audit();
      assert.equal(kit.mitigator.calls.length, 1);

      kit.mitigator.calls.length = 0;
      responder.handleAuditTask({ ...task, taskId: 'other', taskStatus: 'CANCELED' });
      await responder.drain();
      assert.equal(kit.mitigator.calls.length, 0);
    });

    test('guard counts each resource once', async () => {
      for (const id of ['b1', 'b2', 'b3']) await putTestCertificate(kit, id);
      await rules.put('deactivate-bad', {
        trigger: { checkName: CHECK_NAME },
        actions: ['deactivate'],
        dryRun: false,
        maxThingsPerHour: 2,
      });
      await audit();
      assert.deepEqual(
        kit.mitigator.calls.map((call) => call.target.certificateIds[0]?.slice(0, 2)),
        ['b1', 'b2'],
      );
      const view = await responder.guard.view('deactivate-bad', kit.clock.now());
      assert.deepEqual(
        view.trip?.skipped.map((entry) => entry.label),
        [`DEVICE_CERTIFICATE ${'b3'.padEnd(64, '0')}`],
      );
    });
  });

  test('prune deletes handled pairs and events older than the cutoff', async () => {
    await put('quiet', { maxThingsPerHour: 1 });
    const [event] = await raise(['thing-1', 'thing-2']);
    assert.ok(event);
    kit.clock.advance(HOUR);

    assert.equal(await responder.prune(kit.clock.now()), 3);
    assert.deepEqual(await responder.events.list('quiet'), []);
    responder.handleViolationEvent(event);
    await responder.drain();
    assert.equal(kit.mitigator.calls.length, 2, 'a pruned pair is acted on again');
  });
});
