import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateMitigationActionCommand,
  DeleteMitigationActionCommand,
  DescribeMitigationActionCommand,
  ListMitigationActionsCommand,
  paginateListMitigationActions,
  UpdateMitigationActionCommand,
} from '@aws-sdk/client-iot';
import type { TestApi } from '../../registry/iam/test-api.ts';
import {
  createMitigationFixture,
  startMitigationApi,
  TEST_ROLE,
  type MitigationFixture,
} from '../../mitigate/tasks/test-mitigation.ts';
import { ContractClient } from './contract-client.ts';

const ARN = 'arn:aws:iot:us-east-1:123456789012:mitigationaction';
const QUARANTINE = { addThingsToThingGroupParams: { thingGroupNames: ['quarantine'] } };

// NOTE: the suite serves the mitigation routes from its own server, because the Warden service
// does not serve them yet.
describe('mitigation actions through the AWS SDK', () => {
  let fixture: MitigationFixture;
  let api: TestApi;
  let iot: ContractClient;

  before(async () => {
    fixture = await createMitigationFixture();
    api = await startMitigationApi(fixture);
    iot = new ContractClient(api.endpoint);
  });

  after(async () => {
    iot?.sdk.destroy();
    await api?.close();
  });

  test('creates, describes, updates and deletes an action', async () => {
    const created = await iot.send(
      new CreateMitigationActionCommand({
        actionName: 'quarantine',
        roleArn: TEST_ROLE,
        actionParams: QUARANTINE,
        tags: [{ Key: 'team', Value: 'security' }],
      }),
    );
    assert.equal(created.actionArn, `${ARN}/quarantine`);
    assert.match(created.actionId ?? '', /^[0-9a-f-]{36}$/);

    const described = await iot.send(
      new DescribeMitigationActionCommand({ actionName: 'quarantine' }),
    );
    assert.equal(described.actionName, 'quarantine');
    assert.equal(described.actionType, 'ADD_THINGS_TO_THING_GROUP');
    assert.equal(described.actionArn, `${ARN}/quarantine`);
    assert.equal(described.actionId, created.actionId);
    assert.equal(described.roleArn, TEST_ROLE);
    assert.deepEqual(described.actionParams, QUARANTINE);
    assert.equal(described.creationDate?.getTime(), fixture.clock.now());
    assert.equal(described.lastModifiedDate?.getTime(), fixture.clock.now());

    fixture.clock.advance(60_000);
    const updated = await iot.send(
      new UpdateMitigationActionCommand({
        actionName: 'quarantine',
        actionParams: {
          enableIoTLoggingParams: { roleArnForLogging: TEST_ROLE, logLevel: 'ERROR' },
        },
      }),
    );
    assert.equal(updated.actionId, created.actionId);
    assert.equal(updated.actionArn, `${ARN}/quarantine`);
    const after = await iot.send(new DescribeMitigationActionCommand({ actionName: 'quarantine' }));
    assert.equal(after.actionType, 'ENABLE_IOT_LOGGING');
    assert.equal(after.lastModifiedDate?.getTime(), fixture.clock.now());
    assert.equal(after.creationDate?.getTime(), fixture.clock.now() - 60_000);

    await iot.send(new DeleteMitigationActionCommand({ actionName: 'quarantine' }));
    await iot.expectError(
      iot.send(new DescribeMitigationActionCommand({ actionName: 'quarantine' })),
      'ResourceNotFoundException',
      'Mitigation action "quarantine" does not exist',
    );
    await iot.send(new DeleteMitigationActionCommand({ actionName: 'quarantine' }));
  });

  test('rejects a duplicate name with the existing ID and ARN', async () => {
    const created = await iot.send(
      new CreateMitigationActionCommand({
        actionName: 'twice',
        roleArn: TEST_ROLE,
        actionParams: { updateDeviceCertificateParams: { action: 'DEACTIVATE' } },
      }),
    );
    const error = await iot.expectError(
      iot.send(
        new CreateMitigationActionCommand({
          actionName: 'twice',
          roleArn: TEST_ROLE,
          actionParams: QUARANTINE,
        }),
      ),
      'ResourceAlreadyExistsException',
      'Mitigation action "twice" already exists',
    );
    assert.equal(error['resourceId'], created.actionId);
    assert.equal(error['resourceArn'], `${ARN}/twice`);
    await iot.send(new DeleteMitigationActionCommand({ actionName: 'twice' }));
  });

  test('rejects invalid parameters and unknown actions', async () => {
    await iot.expectError(
      iot.send(
        new CreateMitigationActionCommand({
          actionName: 'logging-off',
          roleArn: TEST_ROLE,
          actionParams: {
            enableIoTLoggingParams: { roleArnForLogging: TEST_ROLE, logLevel: 'DISABLED' },
          },
        }),
      ),
      'InvalidRequestException',
      'Invalid logLevel "DISABLED" at "actionParams.enableIoTLoggingParams.logLevel": ENABLE_IOT_LOGGING must set DEBUG, INFO, WARN or ERROR',
    );
    await iot.expectError(
      iot.send(
        new CreateMitigationActionCommand({
          actionName: 'double',
          roleArn: TEST_ROLE,
          actionParams: {
            ...QUARANTINE,
            publishFindingToSnsParams: { topicArn: 'arn:aws:sns:us-east-1:123456789012:t' },
          },
        }),
      ),
      'InvalidRequestException',
      'Invalid actionParams: must set exactly one member, found 2 ("addThingsToThingGroupParams", "publishFindingToSnsParams")',
    );
    await iot.expectError(
      iot.send(new UpdateMitigationActionCommand({ actionName: 'ghost', roleArn: TEST_ROLE })),
      'ResourceNotFoundException',
      'Mitigation action "ghost" does not exist',
    );
  });

  test("accepts Warden's own parameters over raw REST", async () => {
    const created = await iot.raw(
      'CreateMitigationAction',
      'POST',
      '/mitigationactions/actions/throttle',
      {
        roleArn: TEST_ROLE,
        actionParams: { throttlePublishParams: { messagesPerMinute: 60, durationSeconds: 3600 } },
      },
    );
    assert.equal(created.status, 200);
    assert.equal(created.body.actionArn, `${ARN}/throttle`);
    const listed = await iot.send(
      new ListMitigationActionsCommand({ actionType: 'ADD_THINGS_TO_THING_GROUP' }),
    );
    assert.deepEqual(listed.actionIdentifiers, []);
    await iot.send(new DeleteMitigationActionCommand({ actionName: 'throttle' }));
  });

  test('lists every action through the paginator and stops at 100', async () => {
    const names = Array.from(
      { length: 100 },
      (_, index) => `action-${String(index).padStart(3, '0')}`,
    );
    for (const [index, actionName] of names.entries()) {
      await iot.send(
        new CreateMitigationActionCommand({
          actionName,
          roleArn: TEST_ROLE,
          actionParams:
            index % 2 === 0
              ? QUARANTINE
              : { publishFindingToSnsParams: { topicArn: 'arn:aws:sns:us-east-1:123456789012:t' } },
        }),
      );
    }
    await iot.expectError(
      iot.send(
        new CreateMitigationActionCommand({
          actionName: 'action-100',
          roleArn: TEST_ROLE,
          actionParams: QUARANTINE,
        }),
      ),
      'LimitExceededException',
      'Cannot create mitigation action "action-100": 100 actions exist, the maximum; delete one first',
    );

    const seen: string[] = [];
    for await (const page of paginateListMitigationActions({ client: iot.sdk, pageSize: 30 }, {})) {
      for (const item of page.actionIdentifiers ?? []) {
        seen.push(item.actionName ?? '');
        assert.equal(item.actionArn, `${ARN}/${item.actionName}`);
        assert.ok(item.creationDate instanceof Date);
      }
    }
    assert.deepEqual(seen, names);
    const sns = await iot.send(
      new ListMitigationActionsCommand({ actionType: 'PUBLISH_FINDING_TO_SNS', maxResults: 250 }),
    );
    assert.equal(sns.actionIdentifiers?.length, 50);
    assert.equal(sns.nextToken, undefined);
    for (const actionName of names)
      await iot.send(new DeleteMitigationActionCommand({ actionName }));
  });
});
