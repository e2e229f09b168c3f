import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { FakeClock } from '../core/clock.ts';
import { WardenError } from '../core/errors.ts';
import { silentLogger } from '../core/logger.ts';
import type { CertificateRecord } from '../registry/types.ts';
import { MIGRATIONS } from '../service/migrations.ts';
import { SqliteAuditStore } from '../store/sqlite-audit-store.ts';
import { openSqlite } from '../store/sqlite-database.ts';
import type { AuditCheck } from './audit-check.ts';
import { AuditConfigurations } from './audit-configuration.ts';
import { AuditTasks } from './audit-tasks.ts';
import type { FleetSnapshot } from './fleet-snapshot.ts';
import { ScheduledAudits } from './scheduled-audits.ts';
import { Suppressions } from './suppressions.ts';

const DAY_MS = 24 * 3600 * 1000;

/** A rule for these tests only: an INACTIVE certificate is non-compliant. */
const inactiveCheck: AuditCheck = {
  name: 'TEST_INACTIVE_CERTIFICATE_CHECK',
  severity: 'LOW',
  enabledByDefault: true,
  run: ({ fleet }) => ({
    totalResourcesCount: fleet.certificates.length,
    nonCompliant: fleet.certificates
      .filter((certificate) => certificate.status === 'INACTIVE')
      .map((certificate) => ({
        resource: {
          resourceType: 'DEVICE_CERTIFICATE',
          resourceIdentifier: { deviceCertificateId: certificate.certificateId },
        },
        relatedResources: [],
        reasonForNonCompliance: 'Certificate is inactive',
        reasonForNonComplianceCode: 'TEST_INACTIVE',
      })),
  }),
};

/** Fails on purpose, to show one failing check does not fail the task. */
const brokenCheck: AuditCheck = {
  name: 'TEST_BROKEN_CHECK',
  severity: 'HIGH',
  enabledByDefault: true,
  run: () => {
    throw new Error('no data source');
  },
};

function certificate(id: string, status: CertificateRecord['status']): CertificateRecord {
  return {
    certificateId: id.padEnd(64, '0'),
    pem: '',
    status,
    mode: 'DEFAULT',
    createdAt: 0,
    lastModifiedAt: 0,
    customerVersion: 1,
    generationId: 'g',
    notBefore: 0,
    notAfter: 0,
  };
}

describe('audit tasks', () => {
  let clock: FakeClock;
  let store: SqliteAuditStore;
  let configurations: AuditConfigurations;
  let tasks: AuditTasks;
  let fleet: FleetSnapshot;

  beforeEach(async () => {
    clock = new FakeClock(Date.UTC(2026, 11, 4, 12));
    store = new SqliteAuditStore(openSqlite(':memory:', MIGRATIONS));
    configurations = new AuditConfigurations(
      store,
      [inactiveCheck, brokenCheck],
      async () =>
        new Set((await store.listScheduledAudits()).flatMap((audit) => audit.targetCheckNames)),
    );
    fleet = {
      accountId: '123456789012',
      region: 'us-east-1',
      certificates: [
        certificate('a', 'ACTIVE'),
        certificate('b', 'INACTIVE'),
        certificate('c', 'INACTIVE'),
      ],
      caCertificates: [],
      policies: [],
      policyTargets: {},
      roleAliases: [],
      roles: [],
      identityPools: [],
      crls: [],
      logging: undefined,
      connections: [],
      window: { since: 0, until: 0 },
    };
    tasks = new AuditTasks(
      store,
      configurations,
      async (window) => ({ ...fleet, window }),
      clock,
      silentLogger(),
    );
  });

  async function enable(...names: string[]): Promise<void> {
    await configurations.update({
      roleArn: 'arn:aws:iam::123456789012:role/audit',
      auditCheckConfigurations: Object.fromEntries(names.map((name) => [name, { enabled: true }])),
    });
  }

  test('first configuration needs a role and an enabled check', async () => {
    await assert.rejects(
      configurations.update({
        auditCheckConfigurations: { TEST_INACTIVE_CERTIFICATE_CHECK: { enabled: true } },
      }),
      { message: 'The first UpdateAccountAuditConfiguration must set roleArn' },
    );
    await assert.rejects(
      configurations.update({ roleArn: 'arn:aws:iam::123456789012:role/audit' }),
      { message: 'The first UpdateAccountAuditConfiguration must enable at least one check' },
    );
    await assert.rejects(
      configurations.update({
        roleArn: 'arn:aws:iam::123456789012:role/audit',
        auditCheckConfigurations: { NO_SUCH_CHECK: { enabled: true } },
      }),
      {
        message:
          'Unknown audit check "NO_SUCH_CHECK"; known checks: TEST_BROKEN_CHECK, TEST_INACTIVE_CERTIFICATE_CHECK',
      },
    );
  });

  test('rejects a task with a disabled check', async () => {
    await enable('TEST_INACTIVE_CERTIFICATE_CHECK');
    await assert.rejects(
      tasks.start({ checkNames: ['TEST_BROKEN_CHECK'], taskType: 'ON_DEMAND_AUDIT_TASK' }),
      (error: unknown) =>
        error instanceof WardenError &&
        error.code === 'InvalidRequestException' &&
        error.message ===
          'Checks TEST_BROKEN_CHECK are not enabled in the account audit configuration; enable them with UpdateAccountAuditConfiguration',
    );
  });

  test('stores one finding per non-compliant resource and counts them', async () => {
    await enable('TEST_INACTIVE_CERTIFICATE_CHECK', 'TEST_BROKEN_CHECK');
    const task = await tasks.start({
      checkNames: ['TEST_INACTIVE_CERTIFICATE_CHECK', 'TEST_BROKEN_CHECK'],
      taskType: 'ON_DEMAND_AUDIT_TASK',
    });
    await tasks.finished(task.taskId);

    const stored = await store.getTask(task.taskId);
    assert.equal(stored?.taskStatus, 'COMPLETED');
    assert.deepEqual(stored?.checks['TEST_INACTIVE_CERTIFICATE_CHECK'], {
      checkRunStatus: 'COMPLETED_NON_COMPLIANT',
      checkCompliant: false,
      totalResourcesCount: 3,
      nonCompliantResourcesCount: 2,
      suppressedNonCompliantResourcesCount: 0,
    });
    assert.deepEqual(stored?.checks['TEST_BROKEN_CHECK'], {
      checkRunStatus: 'FAILED',
      errorCode: 'CHECK_FAILED',
      message: 'The check failed: no data source',
    });
    const findings = await store.listFindings({ taskId: task.taskId });
    assert.equal(findings.length, 2);
    assert.deepEqual(
      findings.map((finding) => finding.reasonForNonComplianceCode),
      ['TEST_INACTIVE', 'TEST_INACTIVE'],
    );
  });

  test('suppressed findings do not count against compliance', async () => {
    await enable('TEST_INACTIVE_CERTIFICATE_CHECK');
    const suppressions = new Suppressions(store, configurations, clock);
    for (const id of ['b', 'c']) {
      await suppressions.create({
        checkName: 'TEST_INACTIVE_CERTIFICATE_CHECK',
        resourceIdentifier: { deviceCertificateId: id.padEnd(64, '0') },
        suppressIndefinitely: id === 'b',
        expirationDate: id === 'c' ? clock.now() + DAY_MS : undefined,
        clientRequestToken: id,
      });
    }
    const task = await tasks.start({
      checkNames: ['TEST_INACTIVE_CERTIFICATE_CHECK'],
      taskType: 'ON_DEMAND_AUDIT_TASK',
    });
    await tasks.finished(task.taskId);
    assert.equal(
      (await store.getTask(task.taskId))?.checks['TEST_INACTIVE_CERTIFICATE_CHECK']?.checkRunStatus,
      'COMPLETED_COMPLIANT',
    );
    assert.equal((await store.listFindings({ taskId: task.taskId, suppressed: true })).length, 2);

    clock.advance(2 * DAY_MS);
    const later = await tasks.start({
      checkNames: ['TEST_INACTIVE_CERTIFICATE_CHECK'],
      taskType: 'ON_DEMAND_AUDIT_TASK',
    });
    await tasks.finished(later.taskId);
    assert.deepEqual(
      (await store.getTask(later.taskId))?.checks['TEST_INACTIVE_CERTIFICATE_CHECK']
        ?.suppressedNonCompliantResourcesCount,
      1,
    );
  });

  test('suppressions need exactly one of expiry and indefinite', async () => {
    await enable('TEST_INACTIVE_CERTIFICATE_CHECK');
    const suppressions = new Suppressions(store, configurations, clock);
    const base = {
      checkName: 'TEST_INACTIVE_CERTIFICATE_CHECK',
      resourceIdentifier: { deviceCertificateId: 'b'.padEnd(64, '0') },
      clientRequestToken: 't',
    };
    await assert.rejects(suppressions.create(base), {
      message: 'Give exactly one of expirationDate and suppressIndefinitely=true',
    });
    await assert.rejects(suppressions.create({ ...base, expirationDate: clock.now() - 1 }), {
      message: 'Invalid expirationDate "2026-12-04T11:59:59.999Z": it must be in the future',
    });
    await suppressions.create({ ...base, suppressIndefinitely: true });
    await assert.rejects(
      suppressions.create({ ...base, suppressIndefinitely: true, clientRequestToken: 'other' }),
      (error: unknown) =>
        error instanceof WardenError && error.code === 'ResourceAlreadyExistsException',
    );
  });

  test('a canceled task cancels the checks it had not run', async () => {
    await enable('TEST_INACTIVE_CERTIFICATE_CHECK', 'TEST_BROKEN_CHECK');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    tasks = new AuditTasks(
      store,
      configurations,
      async (window) => {
        await gate;
        return { ...fleet, window };
      },
      clock,
      silentLogger(),
    );
    const task = await tasks.start({
      checkNames: ['TEST_INACTIVE_CERTIFICATE_CHECK', 'TEST_BROKEN_CHECK'],
      taskType: 'ON_DEMAND_AUDIT_TASK',
    });
    const canceled = tasks.cancel(task.taskId);
    release();
    await canceled;
    const stored = await store.getTask(task.taskId);
    assert.equal(stored?.taskStatus, 'CANCELED');
    assert.deepEqual(
      Object.values(stored?.checks ?? {}).map((check) => check.checkRunStatus),
      ['CANCELED', 'CANCELED'],
    );
    await assert.rejects(tasks.cancel(task.taskId), {
      message: `Cannot cancel audit task "${task.taskId}": it is CANCELED`,
    });
  });

  test('scheduled audits run when due with a window since the previous run', async () => {
    await enable('TEST_INACTIVE_CERTIFICATE_CHECK');
    const windows: { since: number; until: number }[] = [];
    tasks = new AuditTasks(
      store,
      configurations,
      async (window) => {
        windows.push(window);
        return { ...fleet, window };
      },
      clock,
      silentLogger(),
    );
    const schedules = new ScheduledAudits(store, configurations, tasks, clock, silentLogger());
    const audit = await schedules.create('daily', { frequency: 'DAILY' }, [
      'TEST_INACTIVE_CERTIFICATE_CHECK',
    ]);
    assert.equal(audit.nextRunAt, Date.UTC(2026, 11, 5));

    assert.deepEqual(await schedules.runDue(), []);
    clock.set(Date.UTC(2026, 11, 5, 0, 1));
    const [first] = await schedules.runDue();
    await tasks.finished(first ?? '');
    clock.set(Date.UTC(2026, 11, 6, 0, 1));
    const [second] = await schedules.runDue();
    await tasks.finished(second ?? '');

    assert.equal((await store.getTask(second ?? ''))?.scheduledAuditName, 'daily');
    assert.deepEqual(windows[1], {
      since: Date.UTC(2026, 11, 5, 0, 1),
      until: Date.UTC(2026, 11, 6, 0, 1),
    });
    await assert.rejects(
      configurations.update({
        auditCheckConfigurations: { TEST_INACTIVE_CERTIFICATE_CHECK: { enabled: false } },
      }),
      {
        message:
          'Cannot disable check "TEST_INACTIVE_CERTIFICATE_CHECK": a scheduled audit runs it; remove it from the scheduled audit first',
      },
    );
  });
});
