import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MqttClient } from 'mqtt';
import { FakeClock } from '../core/clock.ts';
import { BUCKET_MS, bucketStart } from '../detect/window.ts';
import { TestWarden } from '../testing/harness.ts';
import {
  createSelfSignedTestCertificate,
  createTestCa,
  issueTestCertificate,
  type TestCertificate,
} from '../testing/pki.ts';

const ALLOW_ALL = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }],
};
const MINUTE_MS = 60_000;

function closed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => client.once('close', () => resolve()));
}

describe('cloud-side metrics', () => {
  const clock = new FakeClock();
  let warden: TestWarden;
  let fleetCa: TestCertificate;

  async function device(name: string): Promise<TestCertificate> {
    const certificate = await issueTestCertificate(fleetCa, name);
    await warden.registerDevice(name, certificate, { policyName: 'allow-all' });
    return certificate;
  }

  /** Creates a profile with `behaviors` that targets a thing group holding only `thingName`. */
  async function profileFor(thingName: string, behaviors: unknown[]): Promise<void> {
    const group = `group-${thingName}`;
    assert.equal((await warden.api('POST', `/thing-groups/${group}`, {})).status, 200);
    const added = await warden.api('PUT', '/thing-groups/addThingToThingGroup', {
      thingGroupName: group,
      thingName,
    });
    assert.equal(added.status, 200);
    const created = await warden.api('POST', `/security-profiles/profile-${thingName}`, {
      behaviors,
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const target = `arn:aws:iot:us-east-1:123456789012:thinggroup/${group}`;
    const attached = await warden.api(
      'PUT',
      `/security-profiles/profile-${thingName}/targets?securityProfileTargetArn=${target}`,
    );
    assert.equal(attached.status, 200);
  }

  /** Moves the clock to the start of the next 5-minute bucket and closes the one that ended. */
  async function closeBucket(): Promise<void> {
    clock.set(bucketStart(clock.now()) + BUCKET_MS);
    await warden.service.cloudMetrics.closeDueBuckets();
  }

  /** Active violations of a thing as [behavior name, last violation value]. */
  async function violations(thingName: string): Promise<[string, unknown][]> {
    const response = await warden.api('GET', `/active-violations?thingName=${thingName}`);
    return response.body.activeViolations
      .map((violation: any) => [violation.behavior.name, violation.lastViolationValue])
      .sort();
  }

  before(async () => {
    warden = await TestWarden.start({ clock });
    fleetCa = await createTestCa('Fleet CA');
    await warden.registerCa(fleetCa);
    await warden.createPolicy('allow-all', ALLOW_ALL);
  });

  after(async () => {
    await warden?.stop();
  });

  test('raises num-messages-sent after 10 messages', async () => {
    const certificate = await device('sender-1');
    await profileFor('sender-1', [
      {
        name: 'quiet',
        metric: 'aws:num-messages-sent',
        criteria: { comparisonOperator: 'less-than', value: { count: 5 }, durationSeconds: 300 },
      },
    ]);
    await closeBucket();
    const client = await warden.connect('sender-1', certificate);
    for (let index = 0; index < 10; index++)
      await client.publishAsync('$aws/things/sender-1/telemetry', `m${index}`, { qos: 1 });
    await client.endAsync();

    assert.deepEqual(await violations('sender-1'), []);
    await closeBucket();
    assert.deepEqual(await violations('sender-1'), [['quiet', { count: 10 }]]);
  });

  test('counts denied subscriptions as authorization failures', async () => {
    const certificate = await issueTestCertificate(fleetCa, 'denied-1');
    await warden.createPolicy('connect-only', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }],
    });
    await warden.registerDevice('denied-1', certificate, { policyName: 'connect-only' });
    await profileFor('denied-1', [
      {
        name: 'few-failures',
        metric: 'aws:num-authorization-failures',
        criteria: { comparisonOperator: 'less-than', value: { count: 3 }, durationSeconds: 300 },
      },
      {
        name: 'many-failures-allowed',
        metric: 'aws:num-authorization-failures',
        criteria: { comparisonOperator: 'less-than', value: { count: 4 }, durationSeconds: 300 },
      },
    ]);
    await closeBucket();
    const client = await warden.connect('denied-1', certificate);
    await client.subscribeAsync(['a/1', 'a/2', 'a/3'], { qos: 0 }).catch(() => undefined);
    await client.endAsync();

    await closeBucket();
    assert.deepEqual(await violations('denied-1'), [['few-failures', { count: 3 }]]);
  });

  test('counts refused attempts and disconnects', async () => {
    const certificate = await device('flappy-1');
    const impostor = await createSelfSignedTestCertificate('flappy-1');
    await profileFor('flappy-1', [
      {
        name: 'few-attempts',
        metric: 'aws:num-connection-attempts',
        criteria: { comparisonOperator: 'less-than', value: { count: 4 }, durationSeconds: 300 },
      },
      {
        name: 'few-disconnects',
        metric: 'aws:num-disconnects',
        criteria: { comparisonOperator: 'less-than', value: { count: 3 }, durationSeconds: 300 },
      },
    ]);
    await closeBucket();
    for (let index = 0; index < 3; index++) {
      const client = await warden.connect('flappy-1', certificate);
      const done = closed(client);
      await client.endAsync();
      await done;
    }
    await assert.rejects(warden.connect('flappy-1', impostor), {
      message: 'Connection refused: Not authorized',
    });
    await waitForDisconnects('flappy-1', 3);

    await closeBucket();
    assert.deepEqual(await violations('flappy-1'), [
      ['few-attempts', { count: 4 }],
      ['few-disconnects', { count: 3 }],
    ]);
  });

  test('raises source-ip not-in-cidr-set, not in-cidr-set', async () => {
    const certificate = await device('local-1');
    await profileFor('local-1', [
      {
        name: 'outside-loopback',
        metric: 'aws:source-ip-address',
        criteria: { comparisonOperator: 'not-in-cidr-set', value: { cidrs: ['127.0.0.0/8'] } },
      },
      {
        name: 'inside-loopback',
        metric: 'aws:source-ip-address',
        criteria: { comparisonOperator: 'in-cidr-set', value: { cidrs: ['127.0.0.0/8'] } },
      },
    ]);
    await closeBucket();
    const client = await warden.connect('local-1', certificate);

    await closeBucket();
    assert.deepEqual(await violations('local-1'), [['outside-loopback', { cidrs: ['127.0.0.1'] }]]);
    await client.endAsync();
  });

  test('message-byte-size evaluates the largest message', async () => {
    const certificate = await device('sizes-1');
    await profileFor('sizes-1', [
      {
        name: 'small-messages',
        metric: 'aws:message-byte-size',
        criteria: { comparisonOperator: 'less-than-equals', value: { count: 100 } },
      },
      {
        name: 'bounded-messages',
        metric: 'aws:message-byte-size',
        criteria: { comparisonOperator: 'less-than-equals', value: { count: 1000 } },
      },
    ]);
    await closeBucket();
    const client = await warden.connect('sizes-1', certificate);
    await client.publishAsync('sizes/a', Buffer.alloc(50), { qos: 1 });
    await client.publishAsync('sizes/b', Buffer.alloc(200), { qos: 1 });
    await client.endAsync();

    await closeBucket();
    assert.deepEqual(await violations('sizes-1'), [['small-messages', { count: 200 }]]);
  });

  test('TOPIC_FILTER dimension counts matching topics only', async () => {
    const dimension = await warden.api('POST', '/dimensions/telemetry', {
      type: 'TOPIC_FILTER',
      stringValues: ['telemetry/${iot:ClientId}/#'],
      clientRequestToken: 'create-telemetry-dimension',
    });
    assert.equal(dimension.status, 200, JSON.stringify(dimension.body));
    const certificate = await device('dim-1');
    const sent = (name: string, operator: string, count: number) => ({
      name,
      metric: 'aws:num-messages-sent',
      metricDimension: { dimensionName: 'telemetry', operator },
      criteria: { comparisonOperator: 'less-than', value: { count }, durationSeconds: 300 },
    });
    await profileFor('dim-1', [
      sent('telemetry-in', 'IN', 3),
      sent('telemetry-not-in', 'NOT_IN', 3),
      {
        name: 'all-topics',
        metric: 'aws:num-messages-sent',
        criteria: { comparisonOperator: 'less-than', value: { count: 8 }, durationSeconds: 300 },
      },
    ]);
    await closeBucket();
    const client = await warden.connect('dim-1', certificate);
    for (const topic of ['telemetry/dim-1/a', 'telemetry/dim-1/b/c'])
      await client.publishAsync(topic, 'x', { qos: 1 });
    for (const topic of ['telemetry/other/a', 'status/dim-1', 'status/x', 'telemetry', 'x'])
      await client.publishAsync(topic, 'x', { qos: 1 });
    await client.endAsync();

    await closeBucket();
    assert.deepEqual(await violations('dim-1'), [['telemetry-not-in', { count: 5 }]]);
  });

  test('raises disconnect-duration after 10 minutes away', async () => {
    const certificate = await device('away-1');
    await profileFor('away-1', [
      {
        name: 'stays-connected',
        metric: 'aws:disconnect-duration',
        criteria: { comparisonOperator: 'less-than', value: { count: 10 } },
      },
    ]);
    await closeBucket();
    const client = await warden.connect('away-1', certificate);
    clock.advance(MINUTE_MS);
    const done = closed(client);
    await client.endAsync();
    await done;
    await waitForDisconnects('away-1', 1);

    await closeBucket();
    await closeBucket();
    assert.deepEqual(await violations('away-1'), []);
    await closeBucket();
    assert.deepEqual(await violations('away-1'), [['stays-connected', { count: 14 }]]);
  });

  test('report-silence alarms and clears', async () => {
    const certificate = await device('quiet-1');
    await profileFor('quiet-1', [
      {
        name: 'agent-reports',
        metric: 'warden:report-silence',
        criteria: { comparisonOperator: 'less-than-equals', value: { count: 12 } },
      },
    ]);
    await closeBucket();
    const client = await warden.connect('quiet-1', certificate);
    const report = (id: number) =>
      warden.api('POST', '/metrics/quiet-1', {
        header: { report_id: id, version: '1.0' },
        metrics: { listening_tcp_ports: { ports: [], total: 0 } },
      });
    assert.equal((await report(1)).status, 200);

    // Connected the whole time, sending nothing: 5, 10, then 15 minutes of silence.
    for (let bucket = 0; bucket < 2; bucket++) await closeBucket();
    assert.deepEqual(await violations('quiet-1'), []);
    await closeBucket();
    const [violation] = await violations('quiet-1');
    assert.equal(violation?.[0], 'agent-reports');
    assert.ok(((violation?.[1] as { count: number }).count ?? 0) >= 13, JSON.stringify(violation));

    assert.equal((await report(2)).status, 200);
    await closeBucket();
    assert.deepEqual(await violations('quiet-1'), []);
    await client.endAsync();
  });

  test('takeover keeps disconnect-duration at zero', async () => {
    const certificate = await device('twin-1');
    await profileFor('twin-1', [
      {
        name: 'stays-connected',
        metric: 'aws:disconnect-duration',
        criteria: { comparisonOperator: 'less-than', value: { count: 10 } },
      },
    ]);
    await closeBucket();
    const first = await warden.connect('twin-1', certificate);
    const firstClosed = closed(first);
    const second = await warden.connect('twin-1', certificate);
    await firstClosed;
    await waitForDisconnects('twin-1', 1);

    for (let bucket = 0; bucket < 4; bucket++) await closeBucket();
    assert.deepEqual(await violations('twin-1'), []);
    await second.endAsync();
  });

  async function waitForDisconnects(clientId: string, count: number): Promise<void> {
    const deadline = Date.now() + 3000;
    for (;;) {
      const events = await warden.service.history.query({
        since: 0,
        clientId,
        types: ['disconnect'],
      });
      if (events.length >= count) return;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${count} disconnects`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
});
