import { techniquesForViolation } from '../attack/catalog.ts';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { MqttClient } from 'mqtt';
import { FakeClock } from '../core/clock.ts';
import { BUCKET_MS, bucketStart } from '../detect/window.ts';
import { TestWarden } from '../testing/harness.ts';
import { createTestCa, issueTestCertificate, type TestCertificate } from '../testing/pki.ts';

const ALLOW_ALL = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }],
};
const WEBHOOK_SECRET = 'a-webhook-secret-of-32-characters';
const ALERT_TOPIC = 'warden/alerts';
const GROUP = 'alerting';
const GROUP_ARN = `arn:aws:iot:us-east-1:123456789012:thinggroup/${GROUP}`;

interface WebhookRequest {
  headers: IncomingHttpHeaders;
  body: string;
}

function snsTargets(topicName: string) {
  return {
    SNS: {
      alertTargetArn: `arn:aws:sns:us-east-1:123456789012:${topicName}`,
      roleArn: 'arn:aws:iam::123456789012:role/x',
    },
  };
}

function quiet(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    metric: 'aws:num-messages-sent',
    criteria: { comparisonOperator: 'less-than', value: { count: 5 }, durationSeconds: 300 },
    ...extra,
  };
}

describe('cloud-side metric alerts', () => {
  const clock = new FakeClock();
  const webhookRequests: WebhookRequest[] = [];
  let webhook: http.Server;
  let warden: TestWarden;
  let fleetCa: TestCertificate;
  let listener: MqttClient;
  const alertMessages: string[] = [];

  async function profile(name: string, alertTarget: string, behaviors: unknown[]) {
    const created = await warden.api('POST', `/security-profiles/${name}`, {
      behaviors,
      alertTargets: snsTargets(alertTarget),
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const attached = await warden.api(
      'PUT',
      `/security-profiles/${name}/targets?securityProfileTargetArn=${GROUP_ARN}`,
    );
    assert.equal(attached.status, 200);
  }

  before(async () => {
    webhook = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        webhookRequests.push({ headers: request.headers, body: Buffer.concat(chunks).toString() });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    const port = (webhook.address() as AddressInfo).port;

    warden = await TestWarden.start({
      clock,
      alertTargets: [
        {
          name: 'ops-webhook',
          type: 'webhook',
          url: `http://127.0.0.1:${port}/alarm`,
          secret: WEBHOOK_SECRET,
        },
        { name: 'ops-mqtt', type: 'mqtt', topic: ALERT_TOPIC },
      ],
    });
    fleetCa = await createTestCa('Fleet CA');
    await warden.registerCa(fleetCa);
    await warden.createPolicy('allow-all', ALLOW_ALL);
    assert.equal((await warden.api('POST', `/thing-groups/${GROUP}`, {})).status, 200);

    const opsCertificate = await issueTestCertificate(fleetCa, 'ops-1');
    await warden.registerDevice('ops-1', opsCertificate, { policyName: 'allow-all' });
    listener = await warden.connect('ops-1', opsCertificate);
    listener.on('message', (topic, payload) => {
      if (topic === ALERT_TOPIC) alertMessages.push(payload.toString());
    });
    await listener.subscribeAsync(ALERT_TOPIC, { qos: 1 });
  });

  after(async () => {
    await listener?.endAsync();
    await warden?.stop();
    await new Promise((resolve) => webhook?.close(resolve));
  });

  test('sends signed webhook and MQTT alarms, except suppressed', async () => {
    await profile('webhook-alarms', 'ops-webhook', [
      quiet('quiet'),
      quiet('quiet-but-suppressed', { suppressAlerts: true }),
    ]);
    await profile('mqtt-alarms', 'ops-mqtt', [quiet('quiet-on-mqtt')]);
    await profile('silent-alarms', 'ops-webhook', [
      quiet('quiet-silently', { suppressAlerts: true }),
    ]);
    const certificate = await issueTestCertificate(fleetCa, 'noisy-1');
    await warden.registerDevice('noisy-1', certificate, { policyName: 'allow-all' });
    const added = await warden.api('PUT', '/thing-groups/addThingToThingGroup', {
      thingGroupName: GROUP,
      thingName: 'noisy-1',
    });
    assert.equal(added.status, 200);

    clock.set(bucketStart(clock.now()) + BUCKET_MS);
    await warden.service.cloudMetrics.closeDueBuckets();
    const device = await warden.connect('noisy-1', certificate);
    for (let index = 0; index < 10; index++)
      await device.publishAsync('$aws/things/noisy-1/telemetry', `m${index}`, { qos: 1 });
    await device.endAsync();
    clock.set(bucketStart(clock.now()) + BUCKET_MS);
    await warden.service.cloudMetrics.closeDueBuckets();
    await warden.service.alerts.drain();

    const active = await warden.api('GET', '/active-violations?thingName=noisy-1');
    const violated = active.body.activeViolations.map((violation: any) => violation.behavior.name);
    assert.deepEqual(violated.sort(), [
      'quiet',
      'quiet-but-suppressed',
      'quiet-on-mqtt',
      'quiet-silently',
    ]);

    assert.equal(webhookRequests.length, 1, JSON.stringify(webhookRequests.map((r) => r.body)));
    const [request] = webhookRequests;
    const timestamp = String(request?.headers['x-warden-timestamp']);
    assert.equal(timestamp, String(clock.now()));
    const expected = createHmac('sha256', WEBHOOK_SECRET)
      .update(`${timestamp}.${request?.body}`)
      .digest('hex');
    assert.equal(request?.headers['x-warden-signature'], `sha256=${expected}`);
    assert.equal(request?.headers['content-type'], 'application/json');

    const alarm = JSON.parse(request?.body ?? '{}');
    assert.deepEqual(Object.keys(alarm).sort(), [
      'behavior',
      'metricValue',
      'securityProfileName',
      'techniques',
      'thingName',
      'violationEventTime',
      'violationEventType',
      'violationId',
    ]);
    assert.deepEqual(
      alarm.techniques.map((technique: { id: string }) => technique.id),
      techniquesForViolation(alarm.behavior.metric).map((technique) => technique.id),
    );
    assert.ok(alarm.techniques.length > 0, 'the metric maps to at least one technique');
    assert.equal(alarm.thingName, 'noisy-1');
    assert.equal(alarm.securityProfileName, 'webhook-alarms');
    assert.equal(alarm.violationEventType, 'in-alarm');
    assert.equal(alarm.violationEventTime, clock.now());
    assert.equal(alarm.behavior.name, 'quiet');
    assert.deepEqual(alarm.metricValue, { count: 10 });
    const quietViolation = active.body.activeViolations.find(
      (violation: any) => violation.behavior.name === 'quiet',
    );
    assert.equal(alarm.violationId, quietViolation.violationId);

    // drain() resolves once the broker took the message; the listener reads it a moment later.
    const deadline = Date.now() + 3000;
    while (alertMessages.length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(alertMessages.length, 1);
    const mqttAlarm = JSON.parse(alertMessages[0] ?? '{}');
    assert.equal(mqttAlarm.securityProfileName, 'mqtt-alarms');
    assert.equal(mqttAlarm.behavior.name, 'quiet-on-mqtt');
    assert.equal(mqttAlarm.violationEventType, 'in-alarm');
    assert.deepEqual(mqttAlarm.metricValue, { count: 10 });
  });
});
