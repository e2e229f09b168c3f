import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeClock } from '../../core/clock.ts';
import { assertApiError, TestApi } from '../../registry/iam/test-api.ts';
import { MIGRATIONS } from '../../service/migrations.ts';
import { openSqlite } from '../../store/sqlite-database.ts';
import { SqliteMitigationStore } from '../../store/sqlite-mitigation-store.ts';
import { mitigationActionRoutes } from './actions-api.ts';
import { MitigationActions } from './mitigation-actions.ts';

const ROLE = 'arn:aws:iam::123456789012:role/mitigation';
const ARN = 'arn:aws:iot:us-east-1:123456789012:mitigationaction';

describe('mitigation action routes over HTTP', () => {
  const clock = new FakeClock();
  let api: TestApi;

  before(async () => {
    const store = new SqliteMitigationStore(openSqlite(':memory:', MIGRATIONS));
    const actions = new MitigationActions(store, clock, {
      region: 'us-east-1',
      accountId: '123456789012',
    });
    api = await TestApi.start(mitigationActionRoutes(actions));
  });

  after(async () => {
    await api?.close();
  });

  test('rejects bad definitions with the AWS validation wording', async () => {
    const ban = (banParams: unknown) => ({ roleArn: ROLE, actionParams: { banParams } });
    const throttle = (throttlePublishParams: unknown) => ({
      roleArn: ROLE,
      actionParams: { throttlePublishParams },
    });
    const cases: [string, unknown, string][] = [
      [
        'missing role',
        { actionParams: { disconnectClientParams: {} } },
        "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
      ],
      [
        'short role',
        { roleArn: 'arn:short', actionParams: { disconnectClientParams: {} } },
        "1 validation error detected: Value 'arn:short' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20",
      ],
      [
        'missing parameters',
        { roleArn: ROLE },
        "1 validation error detected: Value null at 'actionParams' failed to satisfy constraint: Member must not be null",
      ],
      [
        'no parameter member',
        { roleArn: ROLE, actionParams: {} },
        'Invalid actionParams: must set exactly one member, found none',
      ],
      [
        'two parameter members',
        {
          roleArn: ROLE,
          actionParams: {
            updateDeviceCertificateParams: { action: 'DEACTIVATE' },
            disconnectClientParams: {},
          },
        },
        'Invalid actionParams: must set exactly one member, found 2 ("updateDeviceCertificateParams", "disconnectClientParams")',
      ],
      [
        'eleven thing groups',
        {
          roleArn: ROLE,
          actionParams: {
            addThingsToThingGroupParams: {
              thingGroupNames: Array.from({ length: 11 }, (_, index) => `g${index}`),
            },
          },
        },
        `1 validation error detected: Value '["g0","g1","g2","g3","g4","g5","g6","g7","g8","g9","g10"]' at 'actionParams.addThingsToThingGroupParams.thingGroupNames' failed to satisfy constraint: Member must have length less than or equal to 10`,
      ],
      [
        'no thing group',
        { roleArn: ROLE, actionParams: { addThingsToThingGroupParams: { thingGroupNames: [] } } },
        "1 validation error detected: Value '[]' at 'actionParams.addThingsToThingGroupParams.thingGroupNames' failed to satisfy constraint: Member must have length greater than or equal to 1",
      ],
      [
        'logging disabled',
        {
          roleArn: ROLE,
          actionParams: {
            enableIoTLoggingParams: { roleArnForLogging: ROLE, logLevel: 'DISABLED' },
          },
        },
        'Invalid logLevel "DISABLED" at "actionParams.enableIoTLoggingParams.logLevel": ENABLE_IOT_LOGGING must set DEBUG, INFO, WARN or ERROR',
      ],
      [
        'topic ARN of 351 characters',
        {
          roleArn: ROLE,
          actionParams: { publishFindingToSnsParams: { topicArn: 't'.repeat(351) } },
        },
        `1 validation error detected: Value '${'t'.repeat(117)}...' at 'actionParams.publishFindingToSnsParams.topicArn' failed to satisfy constraint: Member must have length less than or equal to 350`,
      ],
      [
        'unknown policy template',
        {
          roleArn: ROLE,
          actionParams: { replaceDefaultPolicyVersionParams: { templateName: 'ALLOW_ALL' } },
        },
        "1 validation error detected: Value 'ALLOW_ALL' at 'actionParams.replaceDefaultPolicyVersionParams.templateName' failed to satisfy constraint: Member must satisfy enum value set: [BLANK_POLICY]",
      ],
      [
        'certificate activation',
        { roleArn: ROLE, actionParams: { updateDeviceCertificateParams: { action: 'ACTIVATE' } } },
        "1 validation error detected: Value 'ACTIVATE' at 'actionParams.updateDeviceCertificateParams.action' failed to satisfy constraint: Member must satisfy enum value set: [DEACTIVATE]",
      ],
      [
        'ban of 59 seconds',
        ban({ scope: 'CLIENT_ID', durationSeconds: 59 }),
        "1 validation error detected: Value '59' at 'actionParams.banParams.durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60",
      ],
      [
        'ban past 30 days',
        ban({ scope: 'CLIENT_ID', durationSeconds: 2_592_001 }),
        "1 validation error detected: Value '2592001' at 'actionParams.banParams.durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 2592000",
      ],
      [
        'ban of an unknown scope',
        ban({ scope: 'THING', durationSeconds: 60 }),
        "1 validation error detected: Value 'THING' at 'actionParams.banParams.scope' failed to satisfy constraint: Member must satisfy enum value set: [CLIENT_ID, CERTIFICATE, SOURCE_IP]",
      ],
      [
        'prefix of 15 bits',
        ban({ scope: 'SOURCE_IP', durationSeconds: 60, sourceIpPrefixLength: 15 }),
        "1 validation error detected: Value '15' at 'actionParams.banParams.sourceIpPrefixLength' failed to satisfy constraint: Member must have value greater than or equal to 16",
      ],
      [
        'prefix of 129 bits',
        ban({ scope: 'SOURCE_IP', durationSeconds: 60, sourceIpPrefixLength: 129 }),
        "1 validation error detected: Value '129' at 'actionParams.banParams.sourceIpPrefixLength' failed to satisfy constraint: Member must have value less than or equal to 128",
      ],
      [
        'prefix on a certificate ban',
        ban({ scope: 'CERTIFICATE', durationSeconds: 60, sourceIpPrefixLength: 24 }),
        'Invalid sourceIpPrefixLength "24" at "actionParams.banParams.sourceIpPrefixLength": only a SOURCE_IP ban takes a prefix length, this one has scope CERTIFICATE',
      ],
      [
        'no messages per minute',
        throttle({ messagesPerMinute: 0, durationSeconds: 60 }),
        "1 validation error detected: Value '0' at 'actionParams.throttlePublishParams.messagesPerMinute' failed to satisfy constraint: Member must have value greater than or equal to 1",
      ],
      [
        'over 60,000 messages per minute',
        throttle({ messagesPerMinute: 60_001, durationSeconds: 60 }),
        "1 validation error detected: Value '60001' at 'actionParams.throttlePublishParams.messagesPerMinute' failed to satisfy constraint: Member must have value less than or equal to 60000",
      ],
      [
        'fractional throttle duration',
        throttle({ messagesPerMinute: 10, durationSeconds: 60.5 }),
        "1 validation error detected: Value '60.5' at 'actionParams.throttlePublishParams.durationSeconds' failed to satisfy constraint: Member must be of type int",
      ],
      [
        'member inside disconnect parameters',
        { roleArn: ROLE, actionParams: { disconnectClientParams: { all: true } } },
        "1 validation error detected: Unknown field 'all' in 'actionParams.disconnectClientParams'",
      ],
      [
        'unknown parameter member',
        { roleArn: ROLE, actionParams: { rebootParams: {} } },
        "1 validation error detected: Unknown field 'rebootParams' in 'actionParams'",
      ],
    ];
    for (const [name, body, message] of cases) {
      const response = await api.call('POST', '/mitigationactions/actions/probe', body);
      assert.equal(response.status, 400, name);
      assertApiError(response, 'InvalidRequestException', message);
    }
    const listed = await api.call('GET', '/mitigationactions/actions');
    assert.deepEqual(listed.body.actionIdentifiers, []);
  });

  test('rejects an action name outside the model pattern', async () => {
    const response = await api.call('POST', '/mitigationactions/actions/bad%20name', {
      roleArn: ROLE,
      actionParams: { disconnectClientParams: {} },
    });
    assertApiError(
      response,
      'InvalidRequestException',
      "1 validation error detected: Value 'bad name' at 'actionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+",
    );
  });

  test("stores Warden's own parameters sent over REST", async () => {
    const created = await api.call('POST', '/mitigationactions/actions/ban-source', {
      roleArn: ROLE,
      actionParams: {
        banParams: {
          scope: 'SOURCE_IP',
          durationSeconds: 3600,
          sourceIpPrefixLength: 24,
          reason: 'credential stuffing',
        },
      },
    });
    assert.equal(created.status, 200);
    assert.equal(created.body.actionArn, `${ARN}/ban-source`);

    const described = await api.call('GET', '/mitigationactions/actions/ban-source');
    assert.equal(described.status, 200);
    assert.deepEqual(described.body, {
      actionName: 'ban-source',
      actionType: 'BAN',
      actionArn: `${ARN}/ban-source`,
      actionId: created.body.actionId,
      roleArn: ROLE,
      actionParams: {
        banParams: {
          scope: 'SOURCE_IP',
          durationSeconds: 3600,
          sourceIpPrefixLength: 24,
          reason: 'credential stuffing',
        },
      },
      creationDate: clock.now() / 1000,
      lastModifiedDate: clock.now() / 1000,
    });

    const updated = await api.call('PATCH', '/mitigationactions/actions/ban-source', {
      actionParams: { throttlePublishParams: { messagesPerMinute: 30, durationSeconds: 900 } },
    });
    assert.equal(updated.status, 200);
    const byType = await api.call('GET', '/mitigationactions/actions?actionType=THROTTLE_PUBLISH');
    assert.deepEqual(
      byType.body.actionIdentifiers.map((item: { actionName: string }) => item.actionName),
      ['ban-source'],
    );
    const bans = await api.call('GET', '/mitigationactions/actions?actionType=BAN');
    assert.deepEqual(bans.body.actionIdentifiers, []);
  });

  test('rejects an unknown actionType filter', async () => {
    const response = await api.call('GET', '/mitigationactions/actions?actionType=REBOOT');
    assertApiError(
      response,
      'InvalidRequestException',
      "1 validation error detected: Value 'REBOOT' at 'actionType' failed to satisfy constraint: Member must satisfy enum value set: [UPDATE_DEVICE_CERTIFICATE, UPDATE_CA_CERTIFICATE, ADD_THINGS_TO_THING_GROUP, REPLACE_DEFAULT_POLICY_VERSION, ENABLE_IOT_LOGGING, PUBLISH_FINDING_TO_SNS, DISCONNECT_CLIENT, BAN, THROTTLE_PUBLISH]",
    );
  });
});
