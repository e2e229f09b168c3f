import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateCustomMetricCommand,
  CreateDimensionCommand,
  CreateSecurityProfileCommand,
  DeleteCustomMetricCommand,
  DeleteDimensionCommand,
  DeleteSecurityProfileCommand,
  DescribeCustomMetricCommand,
  DescribeDimensionCommand,
  ListCustomMetricsCommand,
  ListDimensionsCommand,
  UpdateCustomMetricCommand,
  UpdateDimensionCommand,
} from '@aws-sdk/client-iot';
import { TestWarden } from '../../testing/harness.ts';
import { ContractClient } from './contract-client.ts';

const ACCOUNT = 'arn:aws:iot:us-east-1:123456789012';

describe('custom metrics and dimensions through the AWS SDK', () => {
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

  test('creates, updates and deletes a custom metric', async () => {
    const created = await iot.send(
      new CreateCustomMetricCommand({
        metricName: 'battery_level',
        metricType: 'number',
        displayName: 'Battery level',
        clientRequestToken: 'token-1',
      }),
    );
    assert.equal(created.metricArn, `${ACCOUNT}:custommetric/battery_level`);
    // The SDK fills clientRequestToken itself when it is left out, as the model marks it an
    // idempotency token.
    await iot.send(
      new CreateCustomMetricCommand({ metricName: 'open_ports', metricType: 'number-list' }),
    );

    const described = await iot.send(
      new DescribeCustomMetricCommand({ metricName: 'battery_level' }),
    );
    assert.equal(described.metricType, 'number');
    assert.equal(described.displayName, 'Battery level');
    assert.ok(described.creationDate instanceof Date);

    const updated = await iot.send(
      new UpdateCustomMetricCommand({ metricName: 'battery_level', displayName: 'Battery %' }),
    );
    assert.equal(updated.displayName, 'Battery %');
    assert.equal(updated.metricType, 'number');

    const listed = await iot.send(new ListCustomMetricsCommand({}));
    assert.deepEqual(listed.metricNames, ['battery_level', 'open_ports']);

    await iot.send(new DeleteCustomMetricCommand({ metricName: 'open_ports' }));
    await iot.expectError(
      iot.send(new DescribeCustomMetricCommand({ metricName: 'open_ports' })),
      'ResourceNotFoundException',
      'Custom metric "open_ports" does not exist',
    );
  });

  test('repeats a creation only with the same token', async () => {
    const input = {
      metricName: 'temperature',
      metricType: 'number',
      clientRequestToken: 't-7',
    } as const;
    await iot.send(new CreateCustomMetricCommand(input));
    await iot.send(new CreateCustomMetricCommand(input));
    const error = await iot.expectError(
      iot.send(new CreateCustomMetricCommand({ ...input, clientRequestToken: 't-8' })),
      'ResourceAlreadyExistsException',
      'Custom metric "temperature" already exists',
    );
    assert.equal(error['resourceArn'], `${ACCOUNT}:custommetric/temperature`);
    await iot.expectError(
      iot.send(new CreateCustomMetricCommand({ metricName: 'aws:mine', metricType: 'number' })),
      'InvalidRequestException',
      'Invalid custom metric name "aws:mine": names beginning with "aws:" are reserved',
    );
    await iot.expectError(
      iot.send(new UpdateCustomMetricCommand({ metricName: 'ghost', displayName: 'x' })),
      'ResourceNotFoundException',
    );
  });

  test('creates, updates and deletes a dimension', async () => {
    const created = await iot.send(
      new CreateDimensionCommand({
        name: 'telemetry-topics',
        type: 'TOPIC_FILTER',
        stringValues: ['telemetry/#'],
        clientRequestToken: 'dimension-1',
      }),
    );
    assert.equal(created.arn, `${ACCOUNT}:dimension/telemetry-topics`);

    const described = await iot.send(new DescribeDimensionCommand({ name: 'telemetry-topics' }));
    assert.equal(described.type, 'TOPIC_FILTER');
    assert.deepEqual(described.stringValues, ['telemetry/#']);
    assert.ok(described.lastModifiedDate instanceof Date);

    const updated = await iot.send(
      new UpdateDimensionCommand({
        name: 'telemetry-topics',
        stringValues: ['telemetry/+/state', 'cmd/#'],
      }),
    );
    assert.deepEqual(updated.stringValues, ['telemetry/+/state', 'cmd/#']);

    await iot.send(
      new CreateDimensionCommand({
        name: 'alarm-topics',
        type: 'TOPIC_FILTER',
        stringValues: ['alarm/#'],
      }),
    );
    const listed = await iot.send(new ListDimensionsCommand({}));
    assert.deepEqual(listed.dimensionNames, ['alarm-topics', 'telemetry-topics']);

    await iot.send(new DeleteDimensionCommand({ name: 'alarm-topics' }));
    await iot.expectError(
      iot.send(new DescribeDimensionCommand({ name: 'alarm-topics' })),
      'ResourceNotFoundException',
      'Dimension "alarm-topics" does not exist',
    );
  });

  test('rejects bad topic filters and duplicate dimensions', async () => {
    await iot.expectError(
      iot.send(
        new CreateDimensionCommand({ name: 'bad', type: 'TOPIC_FILTER', stringValues: ['a/#/b'] }),
      ),
      'InvalidRequestException',
      'Invalid topic filter "a/#/b" in stringValues: "+" and "#" must fill a whole level and "#" must be last',
    );
    await iot.send(
      new CreateDimensionCommand({
        name: 'twice',
        type: 'TOPIC_FILTER',
        stringValues: ['x'],
        clientRequestToken: 'a',
      }),
    );
    await iot.expectError(
      iot.send(
        new CreateDimensionCommand({
          name: 'twice',
          type: 'TOPIC_FILTER',
          stringValues: ['y'],
          clientRequestToken: 'a',
        }),
      ),
      'ResourceAlreadyExistsException',
    );
    await iot.expectError(
      iot.send(new UpdateDimensionCommand({ name: 'ghost', stringValues: ['x'] })),
      'ResourceNotFoundException',
    );
    const unknown = await iot.raw('CreateDimension', 'POST', '/dimensions/odd', {
      type: 'TOPIC_FILTER',
      stringValues: ['x'],
      clientRequestToken: 'b',
      kind: 'topic',
    });
    assert.equal(unknown.errorType, 'InvalidRequestException');
    assert.equal(
      unknown.body.message,
      "1 validation error detected: Unknown field 'kind' in the request body",
    );
  });

  test('a metric or dimension in use cannot be deleted', async () => {
    await iot.send(
      new CreateCustomMetricCommand({ metricName: 'queue_depth', metricType: 'number' }),
    );
    await iot.send(
      new CreateDimensionCommand({
        name: 'command-topics',
        type: 'TOPIC_FILTER',
        stringValues: ['cmd/#'],
      }),
    );
    await iot.send(
      new CreateSecurityProfileCommand({
        securityProfileName: 'uses-both',
        behaviors: [
          {
            name: 'deep-queue',
            metric: 'queue_depth',
            criteria: { comparisonOperator: 'greater-than', value: { number: 100 } },
          },
          {
            name: 'few-commands',
            metric: 'aws:num-messages-received',
            metricDimension: { dimensionName: 'command-topics' },
            criteria: {
              comparisonOperator: 'less-than',
              value: { count: 50 },
              durationSeconds: 300,
            },
          },
        ],
      }),
    );
    await iot.expectError(
      iot.send(new DeleteCustomMetricCommand({ metricName: 'queue_depth' })),
      'InvalidRequestException',
      'Cannot delete custom metric "queue_depth": security profile(s) uses-both use it; remove it from them first',
    );
    await iot.expectError(
      iot.send(new DeleteDimensionCommand({ name: 'command-topics' })),
      'InvalidRequestException',
      'Cannot delete dimension "command-topics": security profile(s) uses-both use it; remove it from them first',
    );
    await iot.send(new DeleteSecurityProfileCommand({ securityProfileName: 'uses-both' }));
    await iot.send(new DeleteCustomMetricCommand({ metricName: 'queue_depth' }));
    await iot.send(new DeleteDimensionCommand({ name: 'command-topics' }));
  });
});
