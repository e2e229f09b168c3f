import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import {
  type AuditFinding,
  CancelAuditTaskCommand,
  DescribeAuditFindingCommand,
  DescribeAuditTaskCommand,
  ListAuditFindingsCommand,
  type ListAuditFindingsCommandInput,
  ListAuditTasksCommand,
  type ListAuditTasksCommandInput,
  ListRelatedResourcesForAuditFindingCommand,
  paginateListRelatedResourcesForAuditFinding,
  StartOnDemandAuditTaskCommand,
  UpdateAccountAuditConfigurationCommand,
} from '@aws-sdk/client-iot';
import type { MqttClient } from 'mqtt';
import { ALL_CHECKS } from '../../audit/checks/index.ts';
import { TestWarden } from '../../testing/harness.ts';
import { createTestCa, issueTestCertificate, type TestCertificate } from '../../testing/pki.ts';
import { ContractClient } from './contract-client.ts';

const DAY_MS = 24 * 3600 * 1000;
const CLIENT_ARN = 'arn:aws:iot:us-east-1:123456789012:client';
/** Every check but the certificate age check, which stays disabled to test the rejection. */
const ENABLED = ALL_CHECKS.map((check) => check.name)
  .filter((name) => name !== 'DEVICE_CERTIFICATE_AGE_CHECK')
  .sort();
/** The checks the planted faults break. */
const NON_COMPLIANT = [
  'DEVICE_CERTIFICATE_EXPIRING_CHECK',
  'DEVICE_CERTIFICATE_SHARED_CHECK',
  'IOT_POLICY_OVERLY_PERMISSIVE_CHECK',
  'LOGGING_DISABLED_CHECK',
];

const certificateId = (arn: string) => arn.split('/')[1] ?? '';
const findingKey = (finding: AuditFinding) =>
  `${finding.checkName}: ${finding.reasonForNonComplianceCode}`;

describe('audit tasks and findings through the AWS SDK', () => {
  let warden: TestWarden;
  let iot: ContractClient;
  let ca: TestCertificate;
  const arns: Record<string, string> = {};
  let taskId = '';
  let taskStarted = 0;
  let taskFinished = 0;

  before(async () => {
    warden = await TestWarden.start();
    iot = new ContractClient(warden.endpoints.http);
    ca = await createTestCa('Audit CA');
    await warden.registerCa(ca);
    await iot.send(
      new UpdateAccountAuditConfigurationCommand({
        roleArn: 'arn:aws:iam::123456789012:role/audit',
        auditCheckConfigurations: Object.fromEntries(
          ENABLED.map((name) => [name, { enabled: true }]),
        ),
      }),
    );

    // Expires a few seconds from now: valid at registration, past its expiration at the audit.
    const expiresAt = new Date(Math.ceil((Date.now() + 2500) / 1000) * 1000);
    arns['expired'] = await registerCertificate('expired', { notAfter: expiresAt });
    arns['expiring'] = await registerCertificate('expiring', {
      notAfter: new Date(Date.now() + 3 * DAY_MS),
    });
    await warden.createPolicy('open', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }],
    });
    arns['open'] = await registerCertificate('open', {}, 'open');
    arns['shared'] = await shareCertificate();
    // Logging options are never set, so the account's logging counts as disabled.

    await sleep(Math.max(0, expiresAt.getTime() + 50 - Date.now()));
    taskStarted = Date.now();
    taskId = await runAudit(ENABLED);
    taskFinished = Date.now();
  });

  after(async () => {
    iot?.sdk.destroy();
    await warden?.stop();
  });

  async function registerCertificate(
    name: string,
    options: { notAfter?: Date },
    policyName?: string,
  ): Promise<string> {
    const device = await issueTestCertificate(ca, name, options);
    return warden.registerDevice(name, device, policyName === undefined ? {} : { policyName });
  }

  /**
   * Connects two clients with one certificate at once, under two client IDs its policy allows,
   * then the first again after both left: three sessions of one certificate.
   */
  async function shareCertificate(): Promise<string> {
    const shared = await issueTestCertificate(ca, 'shared');
    await warden.createPolicy('shared', {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'iot:Connect',
          Resource: [`${CLIENT_ARN}/shared-a`, `${CLIENT_ARN}/shared-b`],
        },
      ],
    });
    const arn = await warden.registerDevice('shared', shared, { policyName: 'shared' });
    const first = await warden.connect('shared-a', shared);
    const second = await warden.connect('shared-b', shared);
    await Promise.all([first.endAsync(), second.endAsync()]);
    const again: MqttClient = await warden.connect('shared-a', shared);
    await again.endAsync();
    return arn;
  }

  async function runAudit(checks: string[]): Promise<string> {
    const started = await iot.send(new StartOnDemandAuditTaskCommand({ targetCheckNames: checks }));
    assert.match(started.taskId ?? '', /^[0-9a-f]{32}$/);
    await warden.service.audit.tasks.finished(started.taskId ?? '');
    return started.taskId ?? '';
  }

  async function findings(input: ListAuditFindingsCommandInput) {
    const listed = await iot.send(new ListAuditFindingsCommand({ maxResults: 250, ...input }));
    assert.equal(listed.nextToken, undefined);
    return listed.findings ?? [];
  }

  test('StartOnDemandAuditTask rejects disabled, unknown or no checks', async () => {
    await iot.expectError(
      iot.send(
        new StartOnDemandAuditTaskCommand({
          targetCheckNames: ['LOGGING_DISABLED_CHECK', 'DEVICE_CERTIFICATE_AGE_CHECK'],
        }),
      ),
      'InvalidRequestException',
      'Checks DEVICE_CERTIFICATE_AGE_CHECK are not enabled in the account audit configuration; enable them with UpdateAccountAuditConfiguration',
    );
    await iot.expectError(
      iot.send(new StartOnDemandAuditTaskCommand({ targetCheckNames: ['NO_SUCH_CHECK'] })),
      'InvalidRequestException',
      /^Unknown audit check "NO_SUCH_CHECK"; known checks: /,
    );
    await iot.expectError(
      iot.send(new StartOnDemandAuditTaskCommand({ targetCheckNames: [] })),
      'InvalidRequestException',
      'targetCheckNames must name at least one check',
    );
  });

  test('DescribeAuditTask reports per-check status and counts', async () => {
    const task = await iot.send(new DescribeAuditTaskCommand({ taskId }));
    assert.equal(task.taskStatus, 'COMPLETED');
    assert.equal(task.taskType, 'ON_DEMAND_AUDIT_TASK');
    assert.equal(task.scheduledAuditName, undefined);
    const startTime = task.taskStartTime?.getTime() ?? 0;
    assert.ok(startTime >= taskStarted, `task started at ${startTime}, before ${taskStarted}`);
    assert.ok(startTime <= taskFinished, `task started at ${startTime}, after ${taskFinished}`);
    assert.deepEqual(task.taskStatistics, {
      totalChecks: ENABLED.length,
      inProgressChecks: 0,
      waitingForDataCollectionChecks: 0,
      compliantChecks: ENABLED.length - NON_COMPLIANT.length,
      nonCompliantChecks: NON_COMPLIANT.length,
      failedChecks: 0,
      canceledChecks: 0,
    });

    const details = task.auditDetails ?? {};
    assert.deepEqual(Object.keys(details).sort(), ENABLED);
    const nonCompliant = Object.entries(details)
      .filter(([, check]) => check.checkRunStatus === 'COMPLETED_NON_COMPLIANT')
      .map(([name]) => name)
      .sort();
    assert.deepEqual(nonCompliant, NON_COMPLIANT);
    // Four device certificates are active: expired, expiring, open and shared.
    assert.deepEqual(details['DEVICE_CERTIFICATE_EXPIRING_CHECK'], {
      checkRunStatus: 'COMPLETED_NON_COMPLIANT',
      checkCompliant: false,
      totalResourcesCount: 4,
      nonCompliantResourcesCount: 2,
      suppressedNonCompliantResourcesCount: 0,
    });
    assert.deepEqual(details['LOGGING_DISABLED_CHECK'], {
      checkRunStatus: 'COMPLETED_NON_COMPLIANT',
      checkCompliant: false,
      totalResourcesCount: 1,
      nonCompliantResourcesCount: 1,
      suppressedNonCompliantResourcesCount: 0,
    });
    assert.deepEqual(details['CA_CERTIFICATE_EXPIRING_CHECK'], {
      checkRunStatus: 'COMPLETED_COMPLIANT',
      checkCompliant: true,
      totalResourcesCount: 1,
      nonCompliantResourcesCount: 0,
      suppressedNonCompliantResourcesCount: 0,
    });
    assert.equal(details['DEVICE_CERTIFICATE_SHARED_CHECK']?.nonCompliantResourcesCount, 1);

    await iot.expectError(
      iot.send(new DescribeAuditTaskCommand({ taskId: 'f'.repeat(32) })),
      'ResourceNotFoundException',
      `Audit task "${'f'.repeat(32)}" does not exist`,
    );
    await iot.expectError(
      iot.send(new DescribeAuditTaskCommand({ taskId: 'not_a_task' })),
      'InvalidRequestException',
      /^1 validation error detected: Value 'not_a_task' at 'taskId' failed to satisfy constraint/,
    );
  });

  test('ListAuditTasks filters by time range, task type and status', async () => {
    const between = Date.now();
    await sleep(5);
    const secondId = await runAudit(['LOGGING_DISABLED_CHECK']);
    const later = new Date(Date.now() + 1000);
    const ids = async (input: Partial<ListAuditTasksCommandInput>) => {
      const listed = await iot.send(
        new ListAuditTasksCommand({
          startTime: new Date(taskStarted - 1000),
          endTime: later,
          ...input,
        }),
      );
      return (listed.tasks ?? []).map((task) => task.taskId);
    };

    const both = await iot.send(
      new ListAuditTasksCommand({ startTime: new Date(taskStarted - 1000), endTime: later }),
    );
    assert.deepEqual(both.tasks, [
      { taskId: secondId, taskStatus: 'COMPLETED', taskType: 'ON_DEMAND_AUDIT_TASK' },
      { taskId, taskStatus: 'COMPLETED', taskType: 'ON_DEMAND_AUDIT_TASK' },
    ]);
    assert.deepEqual(await ids({ endTime: new Date(between) }), [taskId]);
    assert.deepEqual(await ids({ startTime: new Date(between) }), [secondId]);
    assert.deepEqual(
      await ids({ startTime: new Date(taskStarted - DAY_MS), endTime: new Date(taskStarted - 1) }),
      [],
    );
    assert.deepEqual(await ids({ taskType: 'ON_DEMAND_AUDIT_TASK' }), [secondId, taskId]);
    assert.deepEqual(await ids({ taskType: 'SCHEDULED_AUDIT_TASK' }), []);
    assert.deepEqual(await ids({ taskStatus: 'COMPLETED' }), [secondId, taskId]);
    assert.deepEqual(await ids({ taskStatus: 'CANCELED' }), []);
    assert.deepEqual(
      await ids({ taskStatus: 'IN_PROGRESS', taskType: 'ON_DEMAND_AUDIT_TASK' }),
      [],
    );

    const missing = await iot.raw('ListAuditTasks', 'GET', '/audit/tasks?endTime=1');
    assert.equal(missing.errorType, 'InvalidRequestException');
    assert.equal(
      missing.body.message,
      "1 validation error detected: Value null at 'startTime' failed to satisfy constraint: Member must not be null",
    );
    const badStatus = await iot.raw(
      'ListAuditTasks',
      'GET',
      '/audit/tasks?startTime=1&endTime=2&taskStatus=DONE',
    );
    assert.equal(badStatus.errorType, 'InvalidRequestException');
    assert.equal(
      badStatus.body.message,
      "1 validation error detected: Value 'DONE' at 'taskStatus' failed to satisfy constraint: Member must satisfy enum value set: [IN_PROGRESS, COMPLETED, FAILED, CANCELED]",
    );
  });

  test('CancelAuditTask of a finished or missing task fails', async () => {
    await iot.expectError(
      iot.send(new CancelAuditTaskCommand({ taskId })),
      'InvalidRequestException',
      `Cannot cancel audit task "${taskId}": it is COMPLETED`,
    );
    await iot.expectError(
      iot.send(new CancelAuditTaskCommand({ taskId: 'a'.repeat(32) })),
      'ResourceNotFoundException',
      `Audit task "${'a'.repeat(32)}" does not exist`,
    );
    const task = await iot.send(new DescribeAuditTaskCommand({ taskId }));
    assert.equal(task.taskStatus, 'COMPLETED');
  });

  test('ListAuditFindings by task, check, resource and time range', async () => {
    const byTask = await findings({ taskId });
    assert.deepEqual(byTask.map(findingKey).sort(), [
      'DEVICE_CERTIFICATE_EXPIRING_CHECK: CERTIFICATE_APPROACHING_EXPIRATION',
      'DEVICE_CERTIFICATE_EXPIRING_CHECK: CERTIFICATE_PAST_EXPIRATION',
      'DEVICE_CERTIFICATE_SHARED_CHECK: CERTIFICATE_SHARED_BY_MULTIPLE_DEVICES',
      'IOT_POLICY_OVERLY_PERMISSIVE_CHECK: ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS',
      'LOGGING_DISABLED_CHECK: LOGGING_DISABLED',
    ]);
    for (const finding of byTask) {
      assert.equal(finding.taskId, taskId);
      assert.equal(finding.isSuppressed, false);
    }

    const expiring = await findings({ taskId, checkName: 'DEVICE_CERTIFICATE_EXPIRING_CHECK' });
    assert.deepEqual(
      expiring.map((finding) => finding.nonCompliantResource?.resourceIdentifier).sort(byId),
      [arns['expired'], arns['expiring']]
        .map((arn) => ({ deviceCertificateId: certificateId(arn ?? '') }))
        .sort(byId),
    );
    for (const finding of expiring) {
      assert.equal(finding.severity, 'MEDIUM');
      assert.equal(finding.nonCompliantResource?.resourceType, 'DEVICE_CERTIFICATE');
      assert.match(
        finding.nonCompliantResource?.additionalInfo?.['EXPIRATION_TIME'] ?? '',
        /^\d+$/,
      );
    }

    const expired = await findings({
      resourceIdentifier: { deviceCertificateId: certificateId(arns['expired'] ?? '') },
    });
    assert.deepEqual(expired.map(findingKey), [
      'DEVICE_CERTIFICATE_EXPIRING_CHECK: CERTIFICATE_PAST_EXPIRATION',
    ]);
    assert.equal(expired[0]?.reasonForNonCompliance, 'Certificate is past its expiration.');

    const account = await findings({
      checkName: 'LOGGING_DISABLED_CHECK',
      resourceIdentifier: { account: '123456789012' },
    });
    // The second audit of the time-range test found logging disabled too.
    assert.equal(account.length, 2);
    for (const finding of account) {
      assert.deepEqual(finding.nonCompliantResource, {
        resourceType: 'ACCOUNT_SETTINGS',
        resourceIdentifier: { account: '123456789012' },
      });
    }

    const inRange = await findings({
      startTime: new Date(taskStarted - 1000),
      endTime: new Date(taskFinished + 1),
    });
    assert.deepEqual(
      inRange.map((finding) => finding.findingId).sort(),
      byTask.map((finding) => finding.findingId).sort(),
    );
    const before = await findings({
      startTime: new Date(taskStarted - DAY_MS),
      endTime: new Date(taskStarted - 1000),
    });
    assert.deepEqual(before, []);
  });

  test('ListAuditFindings suppression filter and mixed selectors', async () => {
    const all = await findings({ taskId });
    assert.equal(all.length, 5);
    assert.deepEqual(await findings({ taskId, listSuppressedFindings: true }), []);
    assert.equal((await findings({ taskId, listSuppressedFindings: false })).length, 5);

    await iot.expectError(
      iot.send(
        new ListAuditFindingsCommand({
          taskId,
          startTime: new Date(taskStarted - 1000),
          endTime: new Date(),
        }),
      ),
      'InvalidRequestException',
      'Give either taskId or startTime and endTime, not both',
    );
    await iot.expectError(
      iot.send(new ListAuditFindingsCommand({ taskId, startTime: new Date(taskStarted) })),
      'InvalidRequestException',
      'Give either taskId or startTime and endTime, not both',
    );
    await iot.expectError(
      iot.send(new ListAuditFindingsCommand({ startTime: new Date(taskStarted) })),
      'InvalidRequestException',
      'startTime and endTime must be given together',
    );
  });

  test('DescribeAuditFinding returns the finding as listed', async () => {
    const [policy] = await findings({ taskId, checkName: 'IOT_POLICY_OVERLY_PERMISSIVE_CHECK' });
    assert.ok(policy?.findingId);
    const described = await iot.send(
      new DescribeAuditFindingCommand({ findingId: policy.findingId }),
    );
    assert.deepEqual(described.finding, policy);
    assert.equal(policy.severity, 'CRITICAL');
    assert.deepEqual(policy.nonCompliantResource?.resourceIdentifier, {
      policyVersionIdentifier: { policyName: 'open', policyVersionId: '1' },
    });
    assert.equal(policy.nonCompliantResource?.resourceType, 'IOT_POLICY');
    const task = await iot.send(new DescribeAuditTaskCommand({ taskId }));
    assert.deepEqual(policy.taskStartTime, task.taskStartTime);
    const findingTime = policy.findingTime?.getTime() ?? 0;
    assert.ok(findingTime >= taskStarted, `finding time ${findingTime} is before the task`);
    assert.ok(findingTime <= taskFinished, `finding time ${findingTime} is after the task`);

    await iot.expectError(
      iot.send(new DescribeAuditFindingCommand({ findingId: 'no-such-finding' })),
      'ResourceNotFoundException',
      'Audit finding "no-such-finding" does not exist',
    );
  });

  test('ListRelatedResourcesForAuditFinding pages shared-certificate sessions', async () => {
    const [shared] = await findings({ taskId, checkName: 'DEVICE_CERTIFICATE_SHARED_CHECK' });
    assert.ok(shared?.findingId);
    assert.deepEqual(shared.nonCompliantResource?.resourceIdentifier, {
      deviceCertificateId: certificateId(arns['shared'] ?? ''),
    });
    assert.match(
      shared.reasonForNonCompliance ?? '',
      /^Certificate shared by one or more devices\. Client IDs "shared-a" \(from .+\) and "shared-b" \(from .+\) were connected at the same time\.$/,
    );

    const listed = await iot.send(
      new ListRelatedResourcesForAuditFindingCommand({ findingId: shared.findingId }),
    );
    assert.equal(listed.nextToken, undefined);
    const related = listed.relatedResources ?? [];
    assert.deepEqual(related, shared.relatedResources);
    assert.deepEqual(
      related.map((resource) => resource.resourceIdentifier?.clientId),
      ['shared-a', 'shared-b', 'shared-a'],
    );
    for (const resource of related) {
      assert.equal(resource.resourceType, 'CLIENT_ID');
      assert.match(resource.additionalInfo?.['CONNECTION_TIME'] ?? '', /^\d+$/);
      assert.match(resource.additionalInfo?.['DISCONNECTION_TIME'] ?? '', /^\d+$/);
    }

    const paged: unknown[] = [];
    let pages = 0;
    for await (const page of paginateListRelatedResourcesForAuditFinding(
      { client: iot.sdk, pageSize: 1 },
      { findingId: shared.findingId },
    )) {
      pages++;
      assert.ok((page.relatedResources?.length ?? 0) <= 1);
      paged.push(...(page.relatedResources ?? []));
    }
    assert.deepEqual(paged, related);
    assert.equal(pages, related.length);

    const [logging] = await findings({ taskId, checkName: 'LOGGING_DISABLED_CHECK' });
    const none = await iot.send(
      new ListRelatedResourcesForAuditFindingCommand({ findingId: logging?.findingId }),
    );
    assert.deepEqual(none.relatedResources, []);
    await iot.expectError(
      iot.send(new ListRelatedResourcesForAuditFindingCommand({ findingId: 'no-such-finding' })),
      'ResourceNotFoundException',
      'Audit finding "no-such-finding" does not exist',
    );
  });
});

function byId(a: unknown, b: unknown): number {
  return JSON.stringify(a).localeCompare(JSON.stringify(b));
}
