import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { subscribedFilters } from '../broker/enforcement/subscription-pruner.ts';
import type { StoredFinding } from '../audit/audit-records.ts';
import { thingScopedPolicy } from '../testing/harness.ts';
import type { TestCertificate } from '../testing/pki.ts';
import {
  closed,
  inbox,
  MANUAL,
  MitigationFixture,
  mitigationAction,
  publishAcknowledged,
  targetOf,
  waitFor,
} from './mitigation-fixture.ts';
import type { ExecutionRecord } from './mitigation-types.ts';

const OWN = '$aws/things/${iot:Connection.Thing.ThingName}';

/** Connect as the thing; publish, receive and subscribe on fleet/… and on the thing's own topics. */
const FLEET_DEVICE = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'iot:Connect',
      Resource: 'arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}',
    },
    {
      Effect: 'Allow',
      Action: ['iot:Publish', 'iot:Receive'],
      Resource: ['arn:aws:iot:*:*:topic/fleet/*', `arn:aws:iot:*:*:topic/${OWN}/*`],
    },
    {
      Effect: 'Allow',
      Action: 'iot:Subscribe',
      Resource: ['arn:aws:iot:*:*:topicfilter/fleet/*', `arn:aws:iot:*:*:topicfilter/${OWN}/*`],
    },
  ],
};

/**
 * The quarantine group's policy: no new fleet subscriptions and no fleet publishes. iot:Receive
 * stays allowed, so only the removal of the subscription can stop a fleet message arriving.
 */
const QUARANTINE = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Deny', Action: 'iot:Subscribe', Resource: 'arn:aws:iot:*:*:topicfilter/fleet/*' },
    { Effect: 'Deny', Action: 'iot:Publish', Resource: 'arn:aws:iot:*:*:topic/fleet/*' },
  ],
};

function certificateIdOf(device: TestCertificate): string {
  return createHash('sha256').update(Buffer.from(device.certificate.rawData)).digest('hex');
}

function policyFinding(policyName: string): StoredFinding {
  return {
    findingId: 'finding-1',
    taskId: 'audit-1',
    checkName: 'IOT_POLICY_OVERLY_PERMISSIVE_CHECK',
    taskStartTime: 1_000,
    findingTime: 2_000,
    severity: 'CRITICAL',
    nonCompliantResource: {
      resourceType: 'IOT_POLICY',
      resourceIdentifier: { policyVersionIdentifier: { policyName, policyVersionId: '1' } },
    },
    relatedResources: [],
    reasonForNonCompliance: 'Policy allows broad access',
    reasonForNonComplianceCode: 'ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS',
    isSuppressed: false,
  };
}

function report(reportId: number, ports: number[]): string {
  return JSON.stringify({
    header: { report_id: reportId, version: '1.0' },
    metrics: {
      listening_tcp_ports: { ports: ports.map((port) => ({ port })), total: ports.length },
    },
  });
}

describe('live mitigation through the broker', () => {
  let fixture: MitigationFixture;

  before(async () => {
    fixture = await MitigationFixture.start({
      alertTargets: [{ name: 'ops-alerts', type: 'mqtt', topic: 'ops/alerts' }],
    });
    await fixture.warden.createPolicy('fleet-device', FLEET_DEVICE);
    await fixture.warden.createPolicy('quarantine', QUARANTINE);
    await fixture.warden.createPolicy('allow-all', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }],
    });
    const group = await fixture.warden.api('POST', '/thing-groups/quarantine', {});
    assert.equal(group.status, 200);
    const attached = await fixture.warden.api('PUT', '/target-policies/quarantine', {
      target: group.body.thingGroupArn,
    });
    assert.equal(attached.status, 200);
  });

  after(async () => {
    await fixture?.stop();
  });

  test('violation deactivates certificate until rollback', async () => {
    const warden = fixture.warden;
    await warden.createPolicy('sensor', thingScopedPolicy());
    const device = await fixture.device('sensor-1', 'sensor');
    const behaviors = [
      {
        name: 'few-listeners',
        metric: 'aws:num-listening-tcp-ports',
        criteria: { comparisonOperator: 'less-than-equals', value: { count: 1 } },
      },
    ];
    assert.equal((await warden.api('POST', '/security-profiles/ports', { behaviors })).status, 200);
    const allThings = 'arn:aws:iot:us-east-1:123456789012:all/things';
    const targets = `/security-profiles/ports/targets?securityProfileTargetArn=${allThings}`;
    assert.equal((await warden.api('PUT', targets)).status, 200);

    const executions: Promise<ExecutionRecord>[] = [];
    const deactivate = mitigationAction('deactivate', 'UPDATE_DEVICE_CERTIFICATE', {
      action: 'DEACTIVATE',
    });
    warden.service.evaluator.onViolationEvent((event) => {
      const violation = warden.service.detect.activeViolations.get(event.violationId);
      if (event.type !== 'in-alarm' || event.thingName !== 'sensor-1' || !violation) return;
      const source = {
        kind: 'violation' as const,
        violationId: event.violationId,
        securityProfileName: event.securityProfileName,
        behaviorName: event.behavior.name,
      };
      const target = fixture.mitigation.resolver.fromViolation(violation);
      executions.push(fixture.mitigator.execute({ action: deactivate, target, source }));
    });

    const client = await warden.connect('sensor-1', device);
    const clientClosed = closed(client);
    client.publish('$aws/things/sensor-1/defender/metrics/json', report(1, [22, 80, 443]), {
      qos: 1,
    });
    await clientClosed;

    const record = await waitFor(() => executions[0], 'the mitigation execution');
    const certificateId = certificateIdOf(device);
    assert.equal(record.status, 'COMPLETED');
    assert.equal(record.message, `Deactivated device certificates "${certificateId}"`);
    assert.deepEqual(record.target.thingNames, ['sensor-1']);
    assert.deepEqual(record.target.certificateIds, [certificateId]);
    assert.deepEqual(record.target.sourceIps, ['127.0.0.1']);
    assert.equal(record.target.subject['thingName'], 'sensor-1');
    assert.deepEqual(record.before, { certificates: [{ certificateId, status: 'ACTIVE' }] });
    assert.deepEqual(record.after, { certificates: [{ certificateId, status: 'INACTIVE' }] });
    const disconnects = await fixture.events('sensor-1', ['disconnect']);
    assert.deepEqual(
      disconnects.map((event) => event.reason),
      ['certificate-not-active'],
    );

    await assert.rejects(warden.connect('sensor-1', device), {
      message: 'Connection refused: Not authorized',
    });
    const failures = await fixture.events('sensor-1', ['connect-failure']);
    assert.deepEqual(
      failures.map((event) => event.reason),
      ['certificate-not-active'],
    );

    const rolledBack = await fixture.mitigator.rollback(record.executionId);
    assert.equal(rolledBack.rollbackMessage, `Reactivated device certificates "${certificateId}"`);
    assert.equal(typeof rolledBack.rolledBackAt, 'number');
    assert.equal(warden.service.registry.get('certificate', certificateId)?.status, 'ACTIVE');
    const again = await warden.connect('sensor-1', device);
    await publishAcknowledged(again, '$aws/things/sensor-1/telemetry', 'back');
    await again.endAsync();
  });

  test('quarantine removes subscription and fleet publish', async () => {
    const device = await fixture.device('pump-1', 'fleet-device');
    const client = await fixture.warden.connect('pump-1', device);
    const received = inbox(client);
    await client.subscribeAsync(['fleet/commands', '$aws/things/pump-1/notices'], { qos: 0 });
    const broker = fixture.warden.service.broker;
    await broker.publish('fleet/commands', Buffer.from('before'));
    await waitFor(() => (received.length === 1 ? true : undefined), 'the first command');

    const quarantine = mitigationAction('quarantine', 'ADD_THINGS_TO_THING_GROUP', {
      thingGroupNames: ['quarantine'],
    });
    const target = fixture.mitigation.resolver.fromViolation({
      violationId: 'v-1',
      thingName: 'pump-1',
      securityProfileName: 'fleet',
      behavior: { name: 'chatty' },
      startTime: 0,
      lastViolationTime: 0,
      verificationState: 'UNKNOWN',
    });
    const record = await fixture.mitigator.execute({ action: quarantine, target, source: MANUAL });
    assert.equal(record.status, 'COMPLETED');
    assert.equal(record.message, 'Added thing "pump-1" to thing group "quarantine"');
    assert.deepEqual(record.after, {
      added: [{ thingGroupName: 'quarantine', thingName: 'pump-1' }],
    });
    const session = fixture.session('pump-1');
    assert.ok(session);
    assert.deepEqual(subscribedFilters(session.client), ['$aws/things/pump-1/notices']);

    await broker.publish('fleet/commands', Buffer.from('after'));
    await broker.publish('$aws/things/pump-1/notices', Buffer.from('marker'));
    await waitFor(() => (received.length === 2 ? true : undefined), 'the marker');
    assert.deepEqual(received, [
      { topic: 'fleet/commands', payload: 'before' },
      { topic: '$aws/things/pump-1/notices', payload: 'marker' },
    ]);

    const clientClosed = closed(client);
    client.publish('fleet/telemetry', 'reading', { qos: 1 });
    await clientClosed;
    const denied = await fixture.events('pump-1', ['authorization-failure']);
    assert.deepEqual(
      denied.map((event) => [event.action, event.resource]),
      [['iot:Publish', 'fleet/telemetry']],
    );

    const rolledBack = await fixture.mitigator.rollback(record.executionId);
    assert.equal(
      rolledBack.rollbackMessage,
      'Removed thing "pump-1" from thing group "quarantine"',
    );
    const again = await fixture.warden.connect('pump-1', device);
    const later = inbox(again);
    await again.subscribeAsync('fleet/commands', { qos: 0 });
    await broker.publish('fleet/commands', Buffer.from('welcome back'));
    await waitFor(() => (later.length === 1 ? true : undefined), 'the command after rollback');
    await publishAcknowledged(again, 'fleet/telemetry', 'reading');
    await again.endAsync();
  });

  test('quarantine rollback keeps older memberships', async () => {
    await fixture.device('pump-2', 'fleet-device');
    const registry = fixture.warden.service.registry;
    const added = await fixture.warden.api('PUT', '/thing-groups/addThingToThingGroup', {
      thingGroupName: 'quarantine',
      thingName: 'pump-2',
    });
    assert.equal(added.status, 200);
    assert.equal((await fixture.warden.api('POST', '/thing-groups/lab', {})).status, 200);

    const action = mitigationAction('quarantine-lab', 'ADD_THINGS_TO_THING_GROUP', {
      thingGroupNames: ['quarantine', 'lab'],
      overrideDynamicGroups: true,
    });
    const target = targetOf({ thingNames: ['pump-2'] });
    const record = await fixture.mitigator.execute({ action, target, source: MANUAL });
    assert.equal(
      record.message,
      'Added thing "pump-2" to thing group "lab"; overrideDynamicGroups has no effect because Warden has no dynamic thing groups',
    );
    assert.deepEqual(record.before, { groupsOfThing: { 'pump-2': ['quarantine'] } });

    await fixture.mitigator.rollback(record.executionId);
    assert.deepEqual(registry.linkedTo('thing-group-member', 'pump-2'), ['quarantine']);
  });

  test('blank policy stops device until rollback', async () => {
    await fixture.warden.createPolicy('valve-policy', FLEET_DEVICE);
    const device = await fixture.device('valve-1', 'valve-policy');
    const client = await fixture.warden.connect('valve-1', device);
    await client.subscribeAsync('fleet/valves', { qos: 0 });

    const blank = mitigationAction('blank', 'REPLACE_DEFAULT_POLICY_VERSION', {
      templateName: 'BLANK_POLICY',
    });
    const target = fixture.mitigation.resolver.fromFinding(policyFinding('valve-policy'));
    assert.deepEqual(target.policyNames, ['valve-policy']);
    assert.equal(target.subject['checkName'], 'IOT_POLICY_OVERLY_PERMISSIVE_CHECK');
    const source = {
      kind: 'audit-finding' as const,
      findingId: 'finding-1',
      checkName: 'IOT_POLICY_OVERLY_PERMISSIVE_CHECK',
    };
    const record = await fixture.mitigator.execute({ action: blank, target, source });
    assert.equal(record.status, 'COMPLETED');
    assert.equal(
      record.message,
      'Policy "valve-policy" now defaults to blank version "2" (was "1")',
    );
    const session = fixture.session('valve-1');
    assert.ok(session);
    assert.deepEqual(subscribedFilters(session.client), []);

    const clientClosed = closed(client);
    client.publish('fleet/valves/state', 'open', { qos: 1 });
    await clientClosed;
    await assert.rejects(fixture.warden.connect('valve-1', device), {
      message: 'Connection refused: Not authorized',
    });
    const failures = await fixture.events('valve-1', ['connect-failure']);
    assert.deepEqual(
      failures.map((event) => event.reason),
      ['connect-not-authorized'],
    );

    const rolledBack = await fixture.mitigator.rollback(record.executionId);
    assert.equal(
      rolledBack.rollbackMessage,
      'Restored the previous default version of policies "valve-policy"',
    );
    const policy = fixture.warden.service.registry.get('policy', 'valve-policy');
    assert.equal(policy?.defaultVersionId, '1');
    assert.deepEqual(
      policy?.versions.map((version) => version.versionId),
      ['1'],
    );
    const again = await fixture.warden.connect('valve-1', device);
    await publishAcknowledged(again, 'fleet/valves/state', 'open');
    await again.endAsync();
  });

  test('blank policy at the version limit', async () => {
    const warden = fixture.warden;
    await warden.createPolicy('crowded', FLEET_DEVICE);
    for (let index = 0; index < 4; index++) {
      const created = await warden.api(
        'POST',
        `/policies/crowded/version?setAsDefault=${index === 3}`,
        { policyDocument: JSON.stringify(FLEET_DEVICE) },
      );
      assert.equal(created.status, 200);
    }
    const blank = mitigationAction('blank', 'REPLACE_DEFAULT_POLICY_VERSION', {
      templateName: 'BLANK_POLICY',
    });
    const target = targetOf({ policyNames: ['crowded'] });

    const record = await fixture.mitigator.execute({ action: blank, target, source: MANUAL });
    assert.equal(
      record.message,
      'Policy "crowded" now defaults to blank version "6" (was "5", deleting version "1" to make room)',
    );
    const registry = warden.service.registry;
    assert.deepEqual(
      registry.get('policy', 'crowded')?.versions.map((version) => version.versionId),
      ['2', '3', '4', '5', '6'],
    );

    const rolledBack = await fixture.mitigator.rollback(record.executionId);
    assert.equal(
      rolledBack.rollbackMessage,
      'Restored the previous default version of policies "crowded" (version "1" put back)',
    );
    const policy = registry.get('policy', 'crowded');
    assert.equal(policy?.defaultVersionId, '5');
    assert.deepEqual(
      policy?.versions.map((version) => version.versionId),
      ['1', '2', '3', '4', '5'],
    );
  });

  test('CA deactivation drops its devices', async () => {
    const device = await fixture.device('meter-1', 'fleet-device');
    const client = await fixture.warden.connect('meter-1', device);
    const clientClosed = closed(client);
    const caId = createHash('sha256').update(Buffer.from(fixture.ca.certificate.rawData));
    const caCertificateId = caId.digest('hex');

    const action = mitigationAction('deactivate-ca', 'UPDATE_CA_CERTIFICATE', {
      action: 'DEACTIVATE',
    });
    const target = targetOf({ caCertificateIds: [caCertificateId] });
    const record = await fixture.mitigator.execute({ action, target, source: MANUAL });
    assert.equal(record.message, `Deactivated CA certificates "${caCertificateId}"`);
    await clientClosed;
    await assert.rejects(fixture.warden.connect('meter-1', device), {
      message: 'Connection refused: Not authorized',
    });
    const failures = await fixture.events('meter-1', ['connect-failure']);
    assert.deepEqual(
      failures.map((event) => event.reason),
      ['ca-certificate-not-active'],
    );

    const rolledBack = await fixture.mitigator.rollback(record.executionId);
    assert.equal(rolledBack.rollbackMessage, `Reactivated CA certificates "${caCertificateId}"`);
    const again = await fixture.warden.connect('meter-1', device);
    await again.endAsync();
  });

  test('logging options set and restored', async () => {
    const warden = fixture.warden;
    const previous = { roleArn: 'arn:aws:iam::123456789012:role/old', defaultLogLevel: 'ERROR' };
    assert.equal((await warden.api('POST', '/v2LoggingOptions', previous)).status, 200);
    const action = mitigationAction('logging', 'ENABLE_IOT_LOGGING', {
      roleArnForLogging: 'arn:aws:iam::123456789012:role/logging',
      logLevel: 'DEBUG',
    });

    const record = await fixture.mitigator.execute({
      action,
      target: targetOf({}),
      source: MANUAL,
    });
    assert.equal(
      record.message,
      'Set the default log level to DEBUG with role "arn:aws:iam::123456789012:role/logging"',
    );
    const set = await warden.api('GET', '/v2LoggingOptions');
    assert.deepEqual(set.body, {
      roleArn: 'arn:aws:iam::123456789012:role/logging',
      defaultLogLevel: 'DEBUG',
      disableAllLogs: false,
    });

    await fixture.mitigator.rollback(record.executionId);
    const restored = await warden.api('GET', '/v2LoggingOptions');
    assert.deepEqual(restored.body, { ...previous, disableAllLogs: false });
  });

  test('notification reaches the alert target', async () => {
    const device = await fixture.device('ops-console', 'allow-all');
    const listener = await fixture.warden.connect('ops-console', device);
    const received = inbox(listener);
    await listener.subscribeAsync('ops/alerts', { qos: 1 });

    const action = mitigationAction('notify', 'PUBLISH_FINDING_TO_SNS', {
      topicArn: 'arn:aws:sns:us-east-1:123456789012:ops-alerts',
    });
    const target = fixture.mitigation.resolver.fromFinding(policyFinding('fleet-device'));
    const record = await fixture.mitigator.execute({
      action,
      target,
      source: MANUAL,
      taskId: 'task-7',
    });
    assert.equal(record.message, 'Sent the notification to alert target "ops-alerts"');
    await waitFor(() => received[0], 'the notification');
    const message = JSON.parse(received[0]?.payload ?? '{}');
    assert.equal(message.findingId, 'finding-1');
    assert.equal(message.checkName, 'IOT_POLICY_OVERLY_PERMISSIVE_CHECK');
    assert.equal(message.taskStartTime, 1);
    assert.equal(message.actionName, 'notify');
    assert.equal(message.actionId, 'notify-id');
    assert.equal(message.executionId, record.executionId);
    assert.equal(message.mitigationTaskId, 'task-7');

    await assert.rejects(fixture.mitigator.rollback(record.executionId), {
      code: 'InvalidRequestException',
      message: `Cannot roll back mitigation execution "${record.executionId}": PUBLISH_FINDING_TO_SNS sent a notification, which cannot be recalled`,
    });
    await listener.endAsync();
  });

  test('notification to unknown target fails', async () => {
    const action = mitigationAction('notify-nowhere', 'PUBLISH_FINDING_TO_SNS', {
      topicArn: 'arn:aws:sns:us-east-1:123456789012:nobody',
    });
    const record = await fixture.mitigator.execute({
      action,
      target: targetOf({}),
      source: MANUAL,
    });
    assert.equal(record.status, 'FAILED');
    assert.equal(record.errorCode, 'ResourceNotFoundException');
    assert.equal(
      record.message,
      'No alert target named "nobody" is configured for topic ARN "arn:aws:sns:us-east-1:123456789012:nobody"; add one to the Warden configuration',
    );
  });

  test('disconnect ends session without rollback', async () => {
    const device = await fixture.device('tap-1', 'fleet-device');
    const client = await fixture.warden.connect('tap-1', device);
    const clientClosed = closed(client);
    const action = mitigationAction('kick', 'DISCONNECT_CLIENT', {});
    const target = targetOf({ clientIds: ['tap-1', 'tap-absent'] });

    const record = await fixture.mitigator.execute({ action, target, source: MANUAL });
    assert.equal(record.message, 'Disconnected client IDs "tap-1"; "tap-absent" had no session');
    await clientClosed;
    const disconnects = await fixture.events('tap-1', ['disconnect']);
    assert.deepEqual(
      disconnects.map((event) => event.reason),
      ['disconnected-by-mitigation'],
    );
    await assert.rejects(fixture.mitigator.rollback(record.executionId), {
      code: 'InvalidRequestException',
      message: `Cannot roll back mitigation execution "${record.executionId}": DISCONNECT_CLIENT ended sessions, which only the devices can open again`,
    });
  });
});
