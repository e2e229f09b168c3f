import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MqttClient } from 'mqtt';
import { TestWarden, thingScopedPolicy } from '../testing/harness.ts';
import { createTestCa, issueTestCertificate, type TestCertificate } from '../testing/pki.ts';
import { ALL_CHECKS } from './checks/index.ts';

/** Runs an on-demand audit of every check and returns its findings and task description. */
async function audit(warden: TestWarden) {
  const started = await warden.api('POST', '/audit/tasks', {
    targetCheckNames: ALL_CHECKS.map((check) => check.name),
  });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  const taskId = started.body.taskId as string;
  await warden.service.audit.tasks.finished(taskId);
  const task = await warden.api('GET', `/audit/tasks/${taskId}`);
  const findings = await warden.api('POST', '/audit/findings', { taskId, maxResults: 250 });
  return { task: task.body, findings: findings.body.findings as any[] };
}

function closed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => client.once('close', () => resolve()));
}

describe('audit end to end', () => {
  let warden: TestWarden;
  let ca: TestCertificate;

  before(async () => {
    warden = await TestWarden.start();
    ca = await createTestCa('Fleet CA');
    await warden.registerCa(ca);
    await warden.createPolicy('device', thingScopedPolicy());
    await warden.api('POST', '/v2LoggingOptions', {
      roleArn: 'arn:aws:iam::123456789012:role/logging',
      defaultLogLevel: 'INFO',
    });
    const checks = Object.fromEntries(ALL_CHECKS.map((check) => [check.name, { enabled: true }]));
    const configured = await warden.api('PATCH', '/audit/configuration', {
      roleArn: 'arn:aws:iam::123456789012:role/audit',
      auditCheckConfigurations: checks,
    });
    assert.equal(configured.status, 200, JSON.stringify(configured.body));
  });

  after(async () => {
    await warden?.stop();
  });

  test('a clean fleet gives zero findings', async () => {
    const sensor = await issueTestCertificate(ca, 'sensor-1');
    await warden.registerDevice('sensor-1', sensor, { policyName: 'device' });
    const client = await warden.connect('sensor-1', sensor);
    await client.endAsync();

    const { task, findings } = await audit(warden);
    assert.deepEqual(
      findings.map((finding) => `${finding.checkName}: ${finding.reasonForNonCompliance}`),
      [],
    );
    assert.equal(task.taskStatus, 'COMPLETED');
    assert.equal(task.taskStatistics.nonCompliantChecks, 0);
    assert.equal(task.taskStatistics.failedChecks, 0);
  });

  test('each planted fault gives exactly its finding', async () => {
    // A certificate used by two devices at once, under two client IDs its policy names.
    const shared = await issueTestCertificate(ca, 'shared');
    await warden.createPolicy('shared', {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'iot:Connect',
          Resource: [
            'arn:aws:iot:us-east-1:123456789012:client/shared-a',
            'arn:aws:iot:us-east-1:123456789012:client/shared-b',
          ],
        },
      ],
    });
    const sharedArn = await warden.registerDevice('shared', shared, { policyName: 'shared' });
    const first = await warden.connect('shared-a', shared);
    const second = await warden.connect('shared-b', shared);

    // A second connection with a live client ID takes the first one over.
    const sensor = await issueTestCertificate(ca, 'sensor-2');
    await warden.registerDevice('sensor-2', sensor, { policyName: 'device' });
    const original = await warden.connect('sensor-2', sensor);
    const takenOver = closed(original);
    const replacement = await warden.connect('sensor-2', sensor);
    await takenOver;

    // A policy that lets any client do anything.
    const open = await issueTestCertificate(ca, 'open');
    await warden.createPolicy('open', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }],
    });
    await warden.registerDevice('open', open, { policyName: 'open' });

    const { findings } = await audit(warden);
    await Promise.all([first.endAsync(), second.endAsync(), replacement.endAsync()]);

    const byCheck = new Map<string, any[]>();
    for (const finding of findings)
      byCheck.set(finding.checkName, [...(byCheck.get(finding.checkName) ?? []), finding]);
    assert.deepEqual([...byCheck.keys()].sort(), [
      'CONFLICTING_CLIENT_IDS_CHECK',
      'DEVICE_CERTIFICATE_SHARED_CHECK',
      'IOT_POLICY_OVERLY_PERMISSIVE_CHECK',
    ]);

    const [sharedFinding] = byCheck.get('DEVICE_CERTIFICATE_SHARED_CHECK') ?? [];
    assert.equal(
      sharedFinding.nonCompliantResource.resourceIdentifier.deviceCertificateId,
      sharedArn.split('/')[1],
    );
    assert.deepEqual(
      sharedFinding.relatedResources
        .map((resource: any) => resource.resourceIdentifier.clientId)
        .sort(),
      ['shared-a', 'shared-b'],
    );
    const [conflict] = byCheck.get('CONFLICTING_CLIENT_IDS_CHECK') ?? [];
    assert.deepEqual(conflict.nonCompliantResource.resourceIdentifier, { clientId: 'sensor-2' });
    const policyFindings = byCheck.get('IOT_POLICY_OVERLY_PERMISSIVE_CHECK') ?? [];
    assert.deepEqual(
      policyFindings.map(
        (finding) => finding.nonCompliantResource.resourceIdentifier.policyVersionIdentifier,
      ),
      [{ policyName: 'open', policyVersionId: '1' }],
    );
  });
});
