import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { MqttClient } from 'mqtt';
import { TestWarden, thingScopedPolicy } from '../testing/harness.ts';
import { createTestCa, issueTestCertificate, type TestCertificate } from '../testing/pki.ts';
import { sharedPath } from '../testing/shared-reference.ts';

const REPORT_TOPIC = '$aws/things/sensor-1/defender/metrics/json';

function fixture(name: string, reportId: number): Record<string, any> {
  const report = JSON.parse(readFileSync(sharedPath('fixtures', 'metrics-reports', name), 'utf8'));
  if (report.header) report.header.report_id = reportId;
  else report.hed.rid = reportId;
  return report;
}

/** Publishes a report and waits for the accepted or rejected answer. */
async function publishReport(client: MqttClient, payload: string | Buffer): Promise<any> {
  const answer = new Promise<any>((resolve) => {
    const onMessage = (topic: string, message: Buffer) => {
      if (!topic.startsWith(`${REPORT_TOPIC}/`)) return;
      client.off('message', onMessage);
      resolve({ topic: topic.slice(REPORT_TOPIC.length + 1), ...JSON.parse(message.toString()) });
    };
    client.on('message', onMessage);
  });
  await client.publishAsync(REPORT_TOPIC, payload, { qos: 1 });
  return answer;
}

describe('detect end to end', () => {
  let warden: TestWarden;
  let device: TestCertificate;
  let client: MqttClient;

  before(async () => {
    warden = await TestWarden.start();
    const ca = await createTestCa('Fleet CA');
    device = await issueTestCertificate(ca, 'sensor-1');
    await warden.registerCa(ca);
    await warden.createPolicy('device', thingScopedPolicy());
    await warden.registerDevice('sensor-1', device, { policyName: 'device' });
    const behaviors = [
      {
        name: 'few-listeners',
        metric: 'aws:num-listening-tcp-ports',
        criteria: { comparisonOperator: 'less-than-equals', value: { count: 1 } },
      },
    ];
    assert.equal((await warden.api('POST', '/security-profiles/ports', { behaviors })).status, 200);
    const target = 'arn:aws:iot:us-east-1:123456789012:all/things';
    assert.equal(
      (
        await warden.api(
          'PUT',
          `/security-profiles/ports/targets?securityProfileTargetArn=${target}`,
        )
      ).status,
      200,
    );
    client = await warden.connect('sensor-1', device);
    await client.subscribeAsync(`${REPORT_TOPIC}/+`, { qos: 1 });
  });

  after(async () => {
    await client?.endAsync();
    await warden?.stop();
  });

  test('accepts both documented reports and raises a violation for three listening ports', async () => {
    const long = await publishReport(
      client,
      JSON.stringify(fixture('documented-long-names.json', 100)),
    );
    assert.equal(long.topic, 'accepted');
    assert.equal(long.reportId, 100);
    const short = await publishReport(
      client,
      JSON.stringify(fixture('documented-short-names.json', 101)),
    );
    assert.equal(short.topic, 'accepted');

    const active = await warden.api('GET', '/active-violations?thingName=sensor-1');
    assert.equal(active.body.activeViolations.length, 1);
    assert.equal(active.body.activeViolations[0].behavior.name, 'few-listeners');
    assert.deepEqual(active.body.activeViolations[0].lastViolationValue, { count: 3 });
  });

  test('clears the violation when a conforming report arrives', async () => {
    const report = {
      header: { report_id: 200, version: '1.0' },
      metrics: { listening_tcp_ports: { ports: [{ port: 22 }], total: 1 } },
    };
    const answer = await publishReport(client, JSON.stringify(report));
    assert.equal(answer.topic, 'accepted');

    const active = await warden.api('GET', '/active-violations?thingName=sensor-1');
    assert.deepEqual(active.body.activeViolations, []);
    const events = await warden.api(
      'GET',
      `/violation-events?startTime=0&endTime=${Math.ceil(Date.now() / 1000) + 60}&thingName=sensor-1`,
    );
    assert.deepEqual(
      events.body.violationEvents.map((event: any) => event.violationEventType),
      ['in-alarm', 'alarm-cleared'],
    );
  });

  test('rejects a report whose id is not greater than the last one', async () => {
    const report = {
      header: { report_id: 200, version: '1.0' },
      metrics: { listening_tcp_ports: { ports: [], total: 0 } },
    };
    const answer = await publishReport(client, JSON.stringify(report));
    assert.equal(answer.topic, 'rejected');
    assert.equal(answer.statusDetails.ErrorCode, 'DuplicateReportId');
    assert.equal(
      answer.statusDetails.ErrorMessage,
      'Report id 200 is not greater than the last accepted report id 200 of thing "sensor-1"',
    );
  });
});
