import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateScheduledAuditCommand,
  type CreateScheduledAuditCommandInput,
  DeleteScheduledAuditCommand,
  DescribeAuditTaskCommand,
  DescribeScheduledAuditCommand,
  ListAuditTasksCommand,
  ListScheduledAuditsCommand,
  UpdateAccountAuditConfigurationCommand,
  UpdateScheduledAuditCommand,
} from '@aws-sdk/client-iot';
import { FakeClock } from '../../core/clock.ts';
import { TestWarden } from '../../testing/harness.ts';
import { ContractClient } from './contract-client.ts';

const DAY_MS = 24 * 3600 * 1000;
const ARN = 'arn:aws:iot:us-east-1:123456789012:scheduledaudit';
const EXPIRING = 'DEVICE_CERTIFICATE_EXPIRING_CHECK';
const LOGGING = 'LOGGING_DISABLED_CHECK';
const POLICY = 'IOT_POLICY_OVERLY_PERMISSIVE_CHECK';

describe('scheduled audits through the AWS SDK', () => {
  let clock: FakeClock;
  let warden: TestWarden;
  let iot: ContractClient;

  before(async () => {
    // Mid-month, so the monthly schedule of these tests is never due when the daily one is.
    clock = new FakeClock(Date.UTC(2026, 5, 10, 12));
    warden = await TestWarden.start({ clock });
    iot = new ContractClient(warden.endpoints.http);
    await iot.send(
      new UpdateAccountAuditConfigurationCommand({
        roleArn: 'arn:aws:iam::123456789012:role/audit',
        auditCheckConfigurations: {
          [EXPIRING]: { enabled: true },
          [LOGGING]: { enabled: true },
          [POLICY]: { enabled: true },
        },
      }),
    );
  });

  after(async () => {
    iot?.sdk.destroy();
    await warden?.stop();
  });

  const names = async () => {
    const listed = await iot.send(new ListScheduledAuditsCommand({}));
    return (listed.scheduledAudits ?? []).map((audit) => audit.scheduledAuditName);
  };

  test('CreateScheduledAudit rejects bad rules and checks', async () => {
    const cases: [Omit<CreateScheduledAuditCommandInput, 'scheduledAuditName'>, string | RegExp][] =
      [
        [
          { frequency: 'WEEKLY', targetCheckNames: [LOGGING] },
          'A WEEKLY scheduled audit needs dayOfWeek',
        ],
        [
          { frequency: 'BIWEEKLY', targetCheckNames: [LOGGING] },
          'A BIWEEKLY scheduled audit needs dayOfWeek',
        ],
        [
          { frequency: 'MONTHLY', dayOfWeek: 'MON', targetCheckNames: [LOGGING] },
          'A MONTHLY scheduled audit needs dayOfMonth',
        ],
        [
          { frequency: 'MONTHLY', dayOfMonth: '32', targetCheckNames: [LOGGING] },
          /^1 validation error detected: Value '32' at 'dayOfMonth' failed to satisfy constraint/,
        ],
        [
          { frequency: 'DAILY', targetCheckNames: [LOGGING, 'DEVICE_CERTIFICATE_AGE_CHECK'] },
          'Checks DEVICE_CERTIFICATE_AGE_CHECK are not enabled in the account audit configuration',
        ],
        [
          { frequency: 'DAILY', targetCheckNames: ['NO_SUCH_CHECK'] },
          /^Unknown audit check "NO_SUCH_CHECK"; known checks: /,
        ],
        [
          { frequency: 'DAILY', targetCheckNames: [] },
          'targetCheckNames must name at least one check',
        ],
      ];
    for (const [input, message] of cases) {
      await iot.expectError(
        iot.send(new CreateScheduledAuditCommand({ scheduledAuditName: 'rejected', ...input })),
        'InvalidRequestException',
        message,
      );
    }
    assert.deepEqual(await names(), []);
  });

  test('creates, describes and updates a scheduled audit', async () => {
    const created = await iot.send(
      new CreateScheduledAuditCommand({
        scheduledAuditName: 'weekly',
        frequency: 'WEEKLY',
        dayOfWeek: 'MON',
        targetCheckNames: [EXPIRING, LOGGING],
        tags: [{ Key: 'team', Value: 'security' }],
      }),
    );
    assert.equal(created.scheduledAuditArn, `${ARN}/weekly`);
    const described = await iot.send(
      new DescribeScheduledAuditCommand({ scheduledAuditName: 'weekly' }),
    );
    assert.deepEqual(
      { ...described, $metadata: undefined },
      {
        $metadata: undefined,
        scheduledAuditName: 'weekly',
        scheduledAuditArn: `${ARN}/weekly`,
        frequency: 'WEEKLY',
        dayOfWeek: 'MON',
        targetCheckNames: [EXPIRING, LOGGING],
      },
    );
    const error = await iot.expectError(
      iot.send(
        new CreateScheduledAuditCommand({
          scheduledAuditName: 'weekly',
          frequency: 'DAILY',
          targetCheckNames: [LOGGING],
        }),
      ),
      'ResourceAlreadyExistsException',
      'Scheduled audit "weekly" already exists',
    );
    assert.equal(error['resourceId'], 'weekly');

    const updated = await iot.send(
      new UpdateScheduledAuditCommand({
        scheduledAuditName: 'weekly',
        frequency: 'MONTHLY',
        dayOfMonth: 'LAST',
        targetCheckNames: [POLICY],
      }),
    );
    assert.equal(updated.scheduledAuditArn, `${ARN}/weekly`);
    const monthly = await iot.send(
      new DescribeScheduledAuditCommand({ scheduledAuditName: 'weekly' }),
    );
    assert.equal(monthly.frequency, 'MONTHLY');
    assert.equal(monthly.dayOfMonth, 'LAST');
    // The WEEKLY day is dropped with the frequency, so a later BIWEEKLY needs its own.
    assert.equal(monthly.dayOfWeek, undefined);
    assert.deepEqual(monthly.targetCheckNames, [POLICY]);

    await iot.expectError(
      iot.send(
        new UpdateScheduledAuditCommand({ scheduledAuditName: 'weekly', frequency: 'BIWEEKLY' }),
      ),
      'InvalidRequestException',
      'A BIWEEKLY scheduled audit needs dayOfWeek',
    );
    await iot.expectError(
      iot.send(
        new UpdateScheduledAuditCommand({
          scheduledAuditName: 'weekly',
          targetCheckNames: ['DEVICE_CERTIFICATE_AGE_CHECK'],
        }),
      ),
      'InvalidRequestException',
      'Checks DEVICE_CERTIFICATE_AGE_CHECK are not enabled in the account audit configuration',
    );
    await iot.expectError(
      iot.send(
        new UpdateScheduledAuditCommand({ scheduledAuditName: 'ghost', frequency: 'DAILY' }),
      ),
      'ResourceNotFoundException',
      'Scheduled audit "ghost" does not exist',
    );
  });

  test('a check that a schedule runs cannot be disabled', async () => {
    const disable = () =>
      iot.send(
        new UpdateAccountAuditConfigurationCommand({
          auditCheckConfigurations: { [POLICY]: { enabled: false } },
        }),
      );
    await iot.expectError(
      disable(),
      'InvalidRequestException',
      'Cannot disable check "IOT_POLICY_OVERLY_PERMISSIVE_CHECK": a scheduled audit runs it; remove it from the scheduled audit first',
    );
    await iot.send(
      new UpdateScheduledAuditCommand({
        scheduledAuditName: 'weekly',
        targetCheckNames: [LOGGING],
      }),
    );
    await disable();
    await iot.send(
      new UpdateAccountAuditConfigurationCommand({
        auditCheckConfigurations: { [POLICY]: { enabled: true } },
      }),
    );
  });

  test('a due schedule starts a scheduled audit task', async () => {
    await iot.send(
      new CreateScheduledAuditCommand({
        scheduledAuditName: 'daily',
        frequency: 'DAILY',
        targetCheckNames: [LOGGING, EXPIRING],
      }),
    );
    const before = clock.now();
    assert.deepEqual(await warden.service.audit.schedules.runDue(), []);
    clock.advance(2 * DAY_MS);
    const started = await warden.service.audit.schedules.runDue();
    assert.equal(started.length, 1);
    for (const id of started) await warden.service.audit.tasks.finished(id);

    const listed = await iot.send(
      new ListAuditTasksCommand({
        startTime: new Date(before),
        endTime: new Date(clock.now() + 1),
        taskType: 'SCHEDULED_AUDIT_TASK',
      }),
    );
    assert.deepEqual((listed.tasks ?? []).map((task) => task.taskId).sort(), [...started].sort());
    const onDemand = await iot.send(
      new ListAuditTasksCommand({
        startTime: new Date(before),
        endTime: new Date(clock.now() + 1),
        taskType: 'ON_DEMAND_AUDIT_TASK',
      }),
    );
    assert.deepEqual(onDemand.tasks, []);

    const daily = await iot.send(new DescribeAuditTaskCommand({ taskId: started[0] }));
    assert.equal(daily.scheduledAuditName, 'daily');
    assert.equal(daily.taskType, 'SCHEDULED_AUDIT_TASK');
    assert.equal(daily.taskStatus, 'COMPLETED');
    assert.deepEqual(daily.taskStartTime, new Date(clock.now()));
    assert.deepEqual(Object.keys(daily.auditDetails ?? {}).sort(), [EXPIRING, LOGGING]);
    assert.equal(daily.auditDetails?.[LOGGING]?.checkRunStatus, 'COMPLETED_NON_COMPLIANT');
  });

  test('a sixth scheduled audit is LimitExceededException', async () => {
    for (const name of ['third', 'fourth', 'fifth']) {
      await iot.send(
        new CreateScheduledAuditCommand({
          scheduledAuditName: name,
          frequency: 'BIWEEKLY',
          dayOfWeek: 'FRI',
          targetCheckNames: [EXPIRING],
        }),
      );
    }
    await iot.expectError(
      iot.send(
        new CreateScheduledAuditCommand({
          scheduledAuditName: 'sixth',
          frequency: 'DAILY',
          targetCheckNames: [LOGGING],
        }),
      ),
      'LimitExceededException',
      'There are already 5 scheduled audits, the maximum',
    );
    const listed = await iot.send(new ListScheduledAuditsCommand({}));
    assert.deepEqual(
      listed.scheduledAudits?.map((audit) => audit.scheduledAuditName),
      ['daily', 'fifth', 'fourth', 'third', 'weekly'],
    );
    assert.deepEqual(listed.scheduledAudits?.[1], {
      scheduledAuditName: 'fifth',
      scheduledAuditArn: `${ARN}/fifth`,
      frequency: 'BIWEEKLY',
      dayOfWeek: 'FRI',
    });
  });

  test('deletion frees a scheduled audit slot', async () => {
    await iot.send(new DeleteScheduledAuditCommand({ scheduledAuditName: 'third' }));
    await iot.expectError(
      iot.send(new DescribeScheduledAuditCommand({ scheduledAuditName: 'third' })),
      'ResourceNotFoundException',
      'Scheduled audit "third" does not exist',
    );
    await iot.expectError(
      iot.send(new DeleteScheduledAuditCommand({ scheduledAuditName: 'third' })),
      'ResourceNotFoundException',
      'Scheduled audit "third" does not exist',
    );
    await iot.send(
      new CreateScheduledAuditCommand({
        scheduledAuditName: 'sixth',
        frequency: 'DAILY',
        targetCheckNames: [LOGGING],
      }),
    );
    assert.deepEqual(await names(), ['daily', 'fifth', 'fourth', 'sixth', 'weekly']);
  });
});
