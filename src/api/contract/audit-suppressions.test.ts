import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type AuditSuppression,
  type CreateAuditSuppressionCommandInput,
  CreateAuditSuppressionCommand,
  DeleteAuditSuppressionCommand,
  DescribeAuditSuppressionCommand,
  DescribeAuditTaskCommand,
  ListAuditFindingsCommand,
  ListAuditSuppressionsCommand,
  type ListAuditSuppressionsCommandInput,
  StartOnDemandAuditTaskCommand,
  UpdateAccountAuditConfigurationCommand,
  UpdateAuditSuppressionCommand,
} from '@aws-sdk/client-iot';
import { TestWarden } from '../../testing/harness.ts';
import { createTestCa, issueTestCertificate } from '../../testing/pki.ts';
import { ContractClient } from './contract-client.ts';

const DAY_MS = 24 * 3600 * 1000;
const EXPIRING = 'DEVICE_CERTIFICATE_EXPIRING_CHECK';
const LOGGING = 'LOGGING_DISABLED_CHECK';
const ACCOUNT = { account: '123456789012' };

/** A date `days` from now, in whole seconds, since the wire carries epoch seconds. */
const inDays = (days: number) => new Date(Math.floor((Date.now() + days * DAY_MS) / 1000) * 1000);
/** A certificate ID of no registered certificate, for suppressions the audit never matches. */
const fakeCertificate = (digit: string) => ({ deviceCertificateId: digit.repeat(64) });
const resourceOf = (suppression: AuditSuppression) =>
  JSON.stringify(suppression.resourceIdentifier);

describe('audit suppressions through the AWS SDK', () => {
  let warden: TestWarden;
  let iot: ContractClient;
  let expiringId = '';

  before(async () => {
    warden = await TestWarden.start();
    iot = new ContractClient(warden.endpoints.http);
    const ca = await createTestCa('Suppression CA');
    await warden.registerCa(ca);
    const device = await issueTestCertificate(ca, 'expiring', { notAfter: inDays(3) });
    const arn = await warden.registerDevice('expiring', device);
    expiringId = arn.split('/')[1] ?? '';
    await iot.send(
      new UpdateAccountAuditConfigurationCommand({
        roleArn: 'arn:aws:iam::123456789012:role/audit',
        auditCheckConfigurations: { [EXPIRING]: { enabled: true }, [LOGGING]: { enabled: true } },
      }),
    );
  });

  after(async () => {
    iot?.sdk.destroy();
    await warden?.stop();
  });

  test('CreateAuditSuppression needs exactly one expiry', async () => {
    const past = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    const exactlyOne = 'Give exactly one of expirationDate and suppressIndefinitely=true';
    const cases: [Partial<CreateAuditSuppressionCommandInput>, string][] = [
      [
        { expirationDate: past },
        `Invalid expirationDate "${past.toISOString()}": it must be in the future`,
      ],
      [{ expirationDate: inDays(1), suppressIndefinitely: true }, exactlyOne],
      [{}, exactlyOne],
      [{ suppressIndefinitely: false }, exactlyOne],
    ];
    for (const [input, message] of cases) {
      await iot.expectError(
        iot.send(
          new CreateAuditSuppressionCommand({
            checkName: EXPIRING,
            resourceIdentifier: { deviceCertificateId: expiringId },
            ...input,
          }),
        ),
        'InvalidRequestException',
        message,
      );
    }
    await iot.expectError(
      iot.send(
        new CreateAuditSuppressionCommand({
          checkName: 'NO_SUCH_CHECK',
          resourceIdentifier: ACCOUNT,
          suppressIndefinitely: true,
        }),
      ),
      'InvalidRequestException',
      /^Unknown audit check "NO_SUCH_CHECK"; known checks: /,
    );
    const listed = await iot.send(new ListAuditSuppressionsCommand({}));
    assert.deepEqual(listed.suppressions, []);
  });

  test('creates, describes, updates and deletes a suppression', async () => {
    const key = { checkName: LOGGING, resourceIdentifier: ACCOUNT };
    const expirationDate = inDays(7);
    await iot.send(
      new CreateAuditSuppressionCommand({ ...key, expirationDate, description: 'Lab account' }),
    );
    const described = await iot.send(new DescribeAuditSuppressionCommand(key));
    assert.equal(described.checkName, LOGGING);
    assert.deepEqual(described.resourceIdentifier, ACCOUNT);
    assert.deepEqual(described.expirationDate, expirationDate);
    assert.equal(described.suppressIndefinitely, undefined);
    assert.equal(described.description, 'Lab account');

    await iot.send(new UpdateAuditSuppressionCommand({ ...key, suppressIndefinitely: true }));
    const indefinite = await iot.send(new DescribeAuditSuppressionCommand(key));
    assert.equal(indefinite.suppressIndefinitely, true);
    assert.equal(indefinite.expirationDate, undefined);
    assert.equal(indefinite.description, 'Lab account');

    await iot.send(new UpdateAuditSuppressionCommand({ ...key, description: 'Still a lab' }));
    const redescribed = await iot.send(new DescribeAuditSuppressionCommand(key));
    assert.equal(redescribed.suppressIndefinitely, true);
    assert.equal(redescribed.description, 'Still a lab');
    await iot.expectError(
      iot.send(
        new UpdateAuditSuppressionCommand({
          ...key,
          expirationDate: inDays(1),
          suppressIndefinitely: true,
        }),
      ),
      'InvalidRequestException',
      'Give exactly one of expirationDate and suppressIndefinitely=true',
    );

    await iot.send(new DeleteAuditSuppressionCommand(key));
    await iot.expectError(
      iot.send(new DescribeAuditSuppressionCommand(key)),
      'ResourceNotFoundException',
      'No suppression for check "LOGGING_DISABLED_CHECK" and resource {"account":"123456789012"}',
    );
    await iot.expectError(
      iot.send(new UpdateAuditSuppressionCommand({ ...key, description: 'gone' })),
      'ResourceNotFoundException',
      'No suppression for check "LOGGING_DISABLED_CHECK" and resource {"account":"123456789012"}',
    );
    // The model lists no ResourceNotFoundException for DeleteAuditSuppression.
    await iot.send(new DeleteAuditSuppressionCommand(key));
  });

  test('duplicate suppression, retry with same token', async () => {
    const input = {
      checkName: EXPIRING,
      resourceIdentifier: fakeCertificate('a'),
      suppressIndefinitely: true,
      clientRequestToken: 'retry-1',
    };
    await iot.send(new CreateAuditSuppressionCommand(input));
    await iot.send(new CreateAuditSuppressionCommand(input));
    await iot.expectError(
      iot.send(new CreateAuditSuppressionCommand({ ...input, clientRequestToken: 'retry-2' })),
      'ResourceAlreadyExistsException',
      'A suppression for check "DEVICE_CERTIFICATE_EXPIRING_CHECK" and this resource already exists',
    );
    // The SDK fills in a fresh token when none is given.
    const { clientRequestToken: _, ...withoutToken } = input;
    await iot.expectError(
      iot.send(new CreateAuditSuppressionCommand(withoutToken)),
      'ResourceAlreadyExistsException',
    );
    await iot.send(
      new DeleteAuditSuppressionCommand({
        checkName: EXPIRING,
        resourceIdentifier: fakeCertificate('a'),
      }),
    );
  });

  test('ListAuditSuppressions order and filters', async () => {
    const planted: [
      string,
      { deviceCertificateId?: string; account?: string },
      Date | undefined,
    ][] = [
      [EXPIRING, fakeCertificate('1'), inDays(10)],
      [EXPIRING, fakeCertificate('2'), inDays(2)],
      [LOGGING, ACCOUNT, undefined],
      [EXPIRING, fakeCertificate('3'), inDays(5)],
    ];
    for (const [checkName, resourceIdentifier, expirationDate] of planted) {
      await iot.send(
        new CreateAuditSuppressionCommand({
          checkName,
          resourceIdentifier,
          ...(expirationDate ? { expirationDate } : { suppressIndefinitely: true }),
        }),
      );
    }
    const order = async (input: ListAuditSuppressionsCommandInput) => {
      const listed = await iot.send(new ListAuditSuppressionsCommand(input));
      return (listed.suppressions ?? []).map(resourceOf);
    };
    const [one, two, account, three] = planted.map(([, identifier]) => JSON.stringify(identifier));
    // Suppressions without an expiration date sort after every dated one.
    assert.deepEqual(await order({}), [two, three, one, account]);
    assert.deepEqual(await order({ ascendingOrder: true }), [two, three, one, account]);
    assert.deepEqual(await order({ ascendingOrder: false }), [account, one, three, two]);
    assert.deepEqual(await order({ checkName: LOGGING }), [account]);
    assert.deepEqual(await order({ resourceIdentifier: fakeCertificate('3') }), [three]);
    assert.deepEqual(
      await order({ checkName: LOGGING, resourceIdentifier: fakeCertificate('3') }),
      [],
    );

    const listed = await iot.send(new ListAuditSuppressionsCommand({ checkName: EXPIRING }));
    assert.deepEqual(listed.suppressions?.[0], {
      checkName: EXPIRING,
      resourceIdentifier: fakeCertificate('2'),
      expirationDate: planted[1]?.[2],
    });
    for (const [checkName, resourceIdentifier] of planted)
      await iot.send(new DeleteAuditSuppressionCommand({ checkName, resourceIdentifier }));
    assert.deepEqual(await order({}), []);
  });

  test('suppressed finding keeps its check compliant', async () => {
    await iot.send(
      new CreateAuditSuppressionCommand({
        checkName: EXPIRING,
        resourceIdentifier: { deviceCertificateId: expiringId },
        expirationDate: inDays(1),
        description: 'Replacement scheduled',
      }),
    );
    const { taskId } = await iot.send(
      new StartOnDemandAuditTaskCommand({ targetCheckNames: [EXPIRING, LOGGING] }),
    );
    await warden.service.audit.tasks.finished(taskId ?? '');

    const task = await iot.send(new DescribeAuditTaskCommand({ taskId }));
    assert.deepEqual(task.auditDetails?.[EXPIRING], {
      checkRunStatus: 'COMPLETED_COMPLIANT',
      checkCompliant: true,
      totalResourcesCount: 1,
      nonCompliantResourcesCount: 1,
      suppressedNonCompliantResourcesCount: 1,
    });
    assert.equal(task.auditDetails?.[LOGGING]?.checkRunStatus, 'COMPLETED_NON_COMPLIANT');
    assert.equal(task.taskStatistics?.compliantChecks, 1);
    assert.equal(task.taskStatistics?.nonCompliantChecks, 1);

    const listed = async (listSuppressedFindings: boolean | undefined) => {
      const page = await iot.send(
        new ListAuditFindingsCommand({
          taskId,
          ...(listSuppressedFindings === undefined ? {} : { listSuppressedFindings }),
        }),
      );
      return (page.findings ?? []).map((finding) => `${finding.checkName}=${finding.isSuppressed}`);
    };
    assert.deepEqual(await listed(true), [`${EXPIRING}=true`]);
    assert.deepEqual(await listed(false), [`${LOGGING}=false`]);
    assert.deepEqual((await listed(undefined)).sort(), [`${EXPIRING}=true`, `${LOGGING}=false`]);
  });
});
