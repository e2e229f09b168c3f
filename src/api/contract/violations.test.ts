import { techniquesForViolation } from '../../attack/catalog.ts';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AttachSecurityProfileCommand,
  CreateSecurityProfileCommand,
  ListActiveViolationsCommand,
  ListMetricValuesCommand,
  ListViolationEventsCommand,
  paginateListMetricValues,
  paginateListViolationEvents,
  PutVerificationStateOnViolationCommand,
} from '@aws-sdk/client-iot';
import type { MqttClient } from 'mqtt';
import { TestWarden, thingScopedPolicy } from '../../testing/harness.ts';
import { createTestCa, issueTestCertificate } from '../../testing/pki.ts';
import { ContractClient } from './contract-client.ts';

const THING = 'sensor-1';
const REPORT_TOPIC = `$aws/things/${THING}/defender/metrics/json`;
const ALL_THINGS = 'arn:aws:iot:us-east-1:123456789012:all/things';

/** A Device Defender report with the given number of listening TCP ports. */
function portsReport(reportId: number, ports: number): string {
  const list = Array.from({ length: ports }, (_, index) => ({ port: 8000 + index }));
  return JSON.stringify({
    header: { report_id: reportId, version: '1.0' },
    metrics: { listening_tcp_ports: { ports: list, total: ports } },
  });
}

/** Publishes a report and resolves with the accepted or rejected answer topic suffix. */
async function publishReport(client: MqttClient, payload: string): Promise<string> {
  const answer = new Promise<string>((resolve) => {
    const onMessage = (topic: string) => {
      if (!topic.startsWith(`${REPORT_TOPIC}/`)) return;
      client.off('message', onMessage);
      resolve(topic.slice(REPORT_TOPIC.length + 1));
    };
    client.on('message', onMessage);
  });
  await client.publishAsync(REPORT_TOPIC, payload, { qos: 1 });
  return answer;
}

describe('violations through the AWS SDK', () => {
  let warden: TestWarden;
  let iot: ContractClient;
  let device: MqttClient;
  let reportId = 1;
  let violationId = '';
  const startedAt = new Date(Date.now() - 60_000);

  before(async () => {
    warden = await TestWarden.start();
    iot = new ContractClient(warden.endpoints.http);
    const ca = await createTestCa('Fleet CA');
    const certificate = await issueTestCertificate(ca, THING);
    await warden.registerCa(ca);
    await warden.createPolicy('device', thingScopedPolicy());
    await warden.registerDevice(THING, certificate, { policyName: 'device' });

    await iot.send(
      new CreateSecurityProfileCommand({
        securityProfileName: 'ports',
        behaviors: [
          {
            name: 'few-listeners',
            metric: 'aws:num-listening-tcp-ports',
            criteria: { comparisonOperator: 'less-than-equals', value: { count: 1 } },
          },
        ],
      }),
    );
    await iot.send(
      new AttachSecurityProfileCommand({
        securityProfileName: 'ports',
        securityProfileTargetArn: ALL_THINGS,
      }),
    );
    device = await warden.connect(THING, certificate);
    await device.subscribeAsync(`${REPORT_TOPIC}/+`, { qos: 1 });
  });

  after(async () => {
    await device?.endAsync();
    iot?.sdk.destroy();
    await warden?.stop();
  });

  test('lists the active violation a report raised', async () => {
    assert.equal(await publishReport(device, portsReport(reportId++, 3)), 'accepted');

    const { activeViolations } = await iot.send(
      new ListActiveViolationsCommand({ thingName: THING }),
    );
    assert.equal(activeViolations?.length, 1);
    const violation = activeViolations?.[0];
    violationId = violation?.violationId ?? '';
    assert.match(violationId, /^[a-zA-Z0-9-]+$/);
    assert.equal(violation?.securityProfileName, 'ports');
    assert.equal(violation?.behavior?.name, 'few-listeners');
    assert.deepEqual(violation?.lastViolationValue, { count: 3 });
    assert.equal(violation?.verificationState, 'UNKNOWN');
    assert.ok(violation?.violationStartTime instanceof Date);
    assert.ok(Math.abs((violation?.lastViolationTime?.getTime() ?? 0) - Date.now()) < 60_000);
    // Warden's added member, which the SDK drops: the metric's ATT&CK techniques.
    const raw = iot.last.body as { activeViolations: Array<{ techniques: Array<{ id: string }> }> };
    const ids = raw.activeViolations[0]?.techniques.map((technique) => technique.id);
    const expected = techniquesForViolation('aws:num-listening-tcp-ports');
    assert.deepEqual(
      ids,
      expected.map((technique) => technique.id),
    );
    assert.ok(ids?.includes('T1046'), 'listening ports map to Network Service Discovery');

    const filters = [
      { securityProfileName: 'ports' },
      { behaviorCriteriaType: 'STATIC' as const },
      { listSuppressedAlerts: false },
      { verificationState: 'UNKNOWN' as const },
    ];
    for (const filter of filters) {
      const listed = await iot.send(new ListActiveViolationsCommand(filter));
      assert.equal(listed.activeViolations?.length, 1, JSON.stringify(filter));
    }
    const none = await iot.send(
      new ListActiveViolationsCommand({ behaviorCriteriaType: 'STATISTICAL' }),
    );
    assert.deepEqual(none.activeViolations, []);
  });

  test('records a verification state on the violation', async () => {
    await iot.send(
      new PutVerificationStateOnViolationCommand({
        violationId,
        verificationState: 'TRUE_POSITIVE',
        verificationStateDescription: 'Port 8001 is a debug shell',
      }),
    );
    const marked = await iot.send(
      new ListActiveViolationsCommand({ verificationState: 'TRUE_POSITIVE' }),
    );
    assert.equal(
      marked.activeViolations?.[0]?.verificationStateDescription,
      'Port 8001 is a debug shell',
    );
    const benign = await iot.send(
      new ListActiveViolationsCommand({ verificationState: 'BENIGN_POSITIVE' }),
    );
    assert.deepEqual(benign.activeViolations, []);

    await iot.expectError(
      iot.send(
        new PutVerificationStateOnViolationCommand({
          violationId: 'no-such-violation',
          verificationState: 'UNKNOWN',
        }),
      ),
      'InvalidRequestException',
      'Violation "no-such-violation" does not exist',
    );
    await iot.expectError(
      iot.send(
        new PutVerificationStateOnViolationCommand({
          violationId,
          verificationState: 'MAYBE' as never,
        }),
      ),
      'InvalidRequestException',
    );
  });

  test('lists the violation events once the violation clears', async () => {
    assert.equal(await publishReport(device, portsReport(reportId++, 1)), 'accepted');
    const { activeViolations } = await iot.send(
      new ListActiveViolationsCommand({ thingName: THING }),
    );
    assert.deepEqual(activeViolations, []);

    const { violationEvents } = await iot.send(
      new ListViolationEventsCommand({
        startTime: startedAt,
        endTime: new Date(Date.now() + 60_000),
        thingName: THING,
      }),
    );
    assert.deepEqual(
      violationEvents?.map((event) => event.violationEventType),
      ['in-alarm', 'alarm-cleared'],
    );
    for (const event of violationEvents ?? []) {
      assert.equal(event.violationId, violationId);
      assert.equal(event.verificationState, 'TRUE_POSITIVE');
      assert.ok(event.violationEventTime instanceof Date);
    }
    assert.deepEqual(violationEvents?.[0]?.metricValue, { count: 3 });

    const earlier = await iot.send(
      new ListViolationEventsCommand({ startTime: new Date(0), endTime: startedAt }),
    );
    assert.deepEqual(earlier.violationEvents, []);
    const missing = await iot.raw('ListViolationEvents', 'GET', '/violation-events?endTime=10');
    assert.equal(missing.errorType, 'InvalidRequestException');
    assert.equal(
      missing.body.message,
      "1 validation error detected: Value null at 'startTime' failed to satisfy constraint: Member must not be null",
    );
  });

  test('pages through many violation events without loss', async () => {
    for (let cycle = 0; cycle < 16; cycle++) {
      assert.equal(await publishReport(device, portsReport(reportId++, 2)), 'accepted');
      assert.equal(await publishReport(device, portsReport(reportId++, 0)), 'accepted');
    }
    const input = {
      startTime: startedAt,
      endTime: new Date(Date.now() + 60_000),
      thingName: THING,
    };
    const { violationEvents: all } = await iot.send(new ListViolationEventsCommand(input));
    assert.equal(all?.length, 34);

    const pages = paginateListViolationEvents({ client: iot.sdk, pageSize: 5 }, input);
    const seen: string[] = [];
    let pageCount = 0;
    for await (const page of pages) {
      pageCount++;
      assert.ok((page.violationEvents?.length ?? 0) <= 5);
      for (const event of page.violationEvents ?? [])
        seen.push(`${event.violationId}/${event.violationEventType}`);
    }
    assert.equal(pageCount, 7);
    assert.deepEqual(
      seen,
      all?.map((event) => `${event.violationId}/${event.violationEventType}`),
    );
    assert.equal(new Set(seen).size, 34);
  });

  test('lists the stored values of a device metric', async () => {
    const input = {
      thingName: THING,
      metricName: 'aws:num-listening-tcp-ports',
      startTime: startedAt,
      endTime: new Date(Date.now() + 60_000),
    };
    const { metricDatumList: all } = await iot.send(new ListMetricValuesCommand(input));
    // One datapoint per accepted report: 3, 1, then sixteen pairs of 2 and 0.
    const counts = all?.map((datum) => datum.value?.count);
    assert.deepEqual(counts?.slice(0, 4), [3, 1, 2, 0]);
    assert.equal(counts?.length, 34);
    for (const datum of all ?? []) assert.ok(datum.timestamp instanceof Date);

    const seen: (number | undefined)[] = [];
    for await (const page of paginateListMetricValues({ client: iot.sdk, pageSize: 10 }, input))
      seen.push(...(page.metricDatumList ?? []).map((datum) => datum.value?.count));
    assert.deepEqual(seen, counts);

    await iot.expectError(
      iot.send(new ListMetricValuesCommand({ ...input, metricName: 'aws:no-such-metric' })),
      'InvalidRequestException',
      'Unknown metric "aws:no-such-metric": give a built-in metric or a defined custom metric',
    );
  });
});
