import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GetV2LoggingOptionsCommand, SetV2LoggingOptionsCommand } from '@aws-sdk/client-iot';
import { TestWarden } from '../../testing/harness.ts';
import { ContractClient } from './contract-client.ts';

const ROLE = 'arn:aws:iam::123456789012:role/iot-logging';

describe('v2 logging options through the AWS SDK', () => {
  let warden: TestWarden;
  let iot: ContractClient;

  before(async () => {
    warden = await TestWarden.start();
    iot = new ContractClient(warden.endpoints.http);
  });

  after(async () => {
    iot?.sdk.destroy();
    await warden?.stop();
  });

  test('reports logging as disabled before it is set', async () => {
    const options = await iot.send(new GetV2LoggingOptionsCommand({}));
    assert.equal(options.defaultLogLevel, 'DISABLED');
    assert.equal(options.disableAllLogs, false);
    assert.equal(options.roleArn, undefined);
  });

  test('returns every option stored, event overrides included', async () => {
    await iot.send(
      new SetV2LoggingOptionsCommand({
        roleArn: ROLE,
        defaultLogLevel: 'WARN',
        disableAllLogs: false,
        eventConfigurations: [
          { eventType: 'Connect', logLevel: 'DEBUG' },
          { eventType: 'Publish-In', logDestination: 'iot/publish' },
        ],
      }),
    );
    const options = await iot.send(new GetV2LoggingOptionsCommand({}));
    assert.equal(options.roleArn, ROLE);
    assert.equal(options.defaultLogLevel, 'WARN');
    assert.equal(options.disableAllLogs, false);
    assert.deepEqual(options.eventConfigurations, [
      { eventType: 'Connect', logLevel: 'DEBUG' },
      { eventType: 'Publish-In', logDestination: 'iot/publish' },
    ]);

    await iot.send(new SetV2LoggingOptionsCommand({ disableAllLogs: true }));
    const replaced = await iot.send(new GetV2LoggingOptionsCommand({}));
    assert.equal(replaced.disableAllLogs, true);
    assert.equal(replaced.defaultLogLevel, 'ERROR');
    assert.equal(replaced.eventConfigurations, undefined);
  });

  test('keeps the options across a restart', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'warden-logging-'));
    try {
      const first = await TestWarden.start({ dataDir });
      const firstClient = new ContractClient(first.endpoints.http);
      await firstClient.send(
        new SetV2LoggingOptionsCommand({ roleArn: ROLE, defaultLogLevel: 'INFO' }),
      );
      firstClient.sdk.destroy();
      await first.stop();

      const second = await TestWarden.start({ dataDir });
      const secondClient = new ContractClient(second.endpoints.http);
      const options = await secondClient.send(new GetV2LoggingOptionsCommand({}));
      secondClient.sdk.destroy();
      await second.stop();
      assert.equal(options.defaultLogLevel, 'INFO');
      assert.equal(options.roleArn, ROLE);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('rejects invalid logging options', async () => {
    const cases: [unknown, string][] = [
      [
        { defaultLogLevel: 'VERBOSE' },
        "1 validation error detected: Value 'VERBOSE' at 'defaultLogLevel' failed to satisfy constraint: Member must satisfy enum value set: [DEBUG, INFO, ERROR, WARN, DISABLED]",
      ],
      [
        { eventConfigurations: [{ logLevel: 'INFO' }] },
        "1 validation error detected: Value null at 'eventConfigurations.0.eventType' failed to satisfy constraint: Member must not be null",
      ],
      [
        { eventConfigurations: [{ eventType: 'Connect', colour: 'red' }] },
        "1 validation error detected: Unknown field 'colour' in 'eventConfigurations.0'",
      ],
      [
        { logLevel: 'INFO' },
        "1 validation error detected: Unknown field 'logLevel' in the request body",
      ],
    ];
    for (const [body, message] of cases) {
      const response = await iot.raw('SetV2LoggingOptions', 'POST', '/v2LoggingOptions', body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(response.errorType, 'InvalidRequestException');
      assert.equal(response.body.message, message);
    }
    await iot.expectError(
      iot.send(new SetV2LoggingOptionsCommand({ defaultLogLevel: 'LOUD' as never })),
      'InvalidRequestException',
    );
  });
});
