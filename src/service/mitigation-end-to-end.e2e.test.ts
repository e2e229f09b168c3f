import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MqttClient } from 'mqtt';
import { TestWarden, thingScopedPolicy } from '../testing/harness.ts';
import { createTestCa, issueTestCertificate } from '../testing/pki.ts';

const REPORT_TOPIC = '$aws/things/sensor-1/defender/metrics/json';

function closed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => client.once('close', () => resolve()));
}

describe('mitigation end to end through the service', () => {
  let warden: TestWarden;
  let client: MqttClient;

  before(async () => {
    warden = await TestWarden.start();
    const ca = await createTestCa('Fleet CA');
    const device = await issueTestCertificate(ca, 'sensor-1');
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
    await warden.api('POST', '/security-profiles/ports', { behaviors });
    await warden.api(
      'PUT',
      '/security-profiles/ports/targets?securityProfileTargetArn=arn:aws:iot:us-east-1:123456789012:all/things',
    );
    client = await warden.connect('sensor-1', device);
  });

  after(async () => {
    client?.end(true);
    await warden?.stop();
  });

  test('a Detect task deactivates the certificate of a violating device, and rollback restores it', async () => {
    const report = {
      header: { report_id: 1, version: '1.0' },
      metrics: { listening_tcp_ports: { ports: [{ port: 22 }, { port: 80 }], total: 2 } },
    };
    await client.publishAsync(REPORT_TOPIC, JSON.stringify(report), { qos: 1 });
    let violations: any[] = [];
    for (let attempt = 0; attempt < 50 && violations.length === 0; attempt++) {
      violations = (await warden.api('GET', '/active-violations?thingName=sensor-1')).body
        .activeViolations;
      if (violations.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(violations.length, 1);

    const created = await warden.api('POST', '/mitigationactions/actions/deactivate', {
      roleArn: 'arn:aws:iam::123456789012:role/mitigation',
      actionParams: { updateDeviceCertificateParams: { action: 'DEACTIVATE' } },
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const disconnected = closed(client);
    const started = await warden.api('PUT', '/detect/mitigationactions/tasks/deactivate-sensor', {
      target: { violationIds: [violations[0].violationId] },
      actions: ['deactivate'],
      clientRequestToken: 'token-1',
    });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    await warden.service.mitigation.detectTasks.finished('deactivate-sensor');
    await disconnected;

    const task = await warden.api('GET', '/detect/mitigationactions/tasks/deactivate-sensor');
    assert.equal(task.body.taskSummary.taskStatus, 'SUCCESSFUL');
    const certificateId = warden.service.registry.all('certificate')[0]?.certificateId ?? '';
    assert.equal(warden.service.registry.get('certificate', certificateId)?.status, 'INACTIVE');

    const executions = await warden.api(
      'GET',
      '/warden/mitigations/executions?taskId=deactivate-sensor',
    );
    const executionId =
      executions.body.executions?.[0]?.executionId ?? executions.body.items?.[0]?.executionId;
    assert.ok(executionId, JSON.stringify(executions.body));
    const rolledBack = await warden.api(
      'POST',
      `/warden/mitigations/executions/${executionId}/rollback`,
    );
    assert.equal(rolledBack.status, 200, JSON.stringify(rolledBack.body));
    assert.equal(warden.service.registry.get('certificate', certificateId)?.status, 'ACTIVE');
  });
});
