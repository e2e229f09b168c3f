import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AttachSecurityProfileCommand,
  type Behavior,
  CreateDimensionCommand,
  CreateSecurityProfileCommand,
  CreateThingGroupCommand,
  DeleteSecurityProfileCommand,
  DescribeSecurityProfileCommand,
  DetachSecurityProfileCommand,
  ListSecurityProfilesCommand,
  ListSecurityProfilesForTargetCommand,
  ListTargetsForSecurityProfileCommand,
  UpdateSecurityProfileCommand,
  ValidateSecurityProfileBehaviorsCommand,
} from '@aws-sdk/client-iot';
import { TestWarden } from '../../testing/harness.ts';
import { ContractClient } from './contract-client.ts';

const ACCOUNT = 'arn:aws:iot:us-east-1:123456789012';
const ALL_THINGS = `${ACCOUNT}:all/things`;
const ROLE = 'arn:aws:iam::123456789012:role/defender-alerts';

const PORTS: Behavior = {
  name: 'few-listeners',
  metric: 'aws:num-listening-tcp-ports',
  criteria: {
    comparisonOperator: 'less-than-equals',
    value: { count: 5 },
    durationSeconds: 300,
    consecutiveDatapointsToAlarm: 2,
    consecutiveDatapointsToClear: 1,
  },
};
const BYTES: Behavior = {
  name: 'outbound-bytes',
  metric: 'aws:all-bytes-out',
  criteria: {
    comparisonOperator: 'greater-than',
    statisticalThreshold: { statistic: 'p90' },
    durationSeconds: 900,
    consecutiveDatapointsToAlarm: 1,
    consecutiveDatapointsToClear: 1,
  },
};
const ADDRESSES: Behavior = {
  name: 'known-hosts',
  metric: 'aws:destination-ip-addresses',
  criteria: { comparisonOperator: 'in-cidr-set', value: { cidrs: ['10.0.0.0/8'] } },
};

describe('security profiles through the AWS SDK', () => {
  let warden: TestWarden;
  let iot: ContractClient;

  before(async () => {
    warden = await TestWarden.start();
    iot = new ContractClient(warden.endpoints.http);
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'fleet' }));
    await iot.send(
      new CreateThingGroupCommand({ thingGroupName: 'fleet-a', parentGroupName: 'fleet' }),
    );
  });

  after(async () => {
    iot?.sdk.destroy();
    await warden?.stop();
  });

  test('creates a profile and describes every member', async () => {
    const created = await iot.send(
      new CreateSecurityProfileCommand({
        securityProfileName: 'baseline',
        securityProfileDescription: 'Ports and traffic',
        behaviors: [PORTS, BYTES],
        alertTargets: {
          SNS: { alertTargetArn: `arn:aws:sns:us-east-1:123456789012:alerts`, roleArn: ROLE },
        },
        additionalMetricsToRetainV2: [{ metric: 'aws:num-messages-sent' }],
        tags: [{ Key: 'team', Value: 'ops' }],
      }),
    );
    assert.equal(created.securityProfileArn, `${ACCOUNT}:securityprofile/baseline`);

    const profile = await iot.send(
      new DescribeSecurityProfileCommand({ securityProfileName: 'baseline' }),
    );
    assert.equal(profile.securityProfileDescription, 'Ports and traffic');
    assert.equal(profile.version, 1);
    assert.deepEqual(
      profile.behaviors?.map((behavior) => behavior.name),
      ['few-listeners', 'outbound-bytes'],
    );
    assert.deepEqual(profile.behaviors?.[0]?.criteria?.value, { count: 5 });
    assert.equal(profile.behaviors?.[1]?.criteria?.statisticalThreshold?.statistic, 'p90');
    assert.equal(profile.alertTargets?.SNS?.roleArn, ROLE);
    assert.deepEqual(profile.additionalMetricsToRetainV2, [{ metric: 'aws:num-messages-sent' }]);
    assert.ok(profile.creationDate instanceof Date);

    const error = await iot.expectError(
      iot.send(new CreateSecurityProfileCommand({ securityProfileName: 'baseline' })),
      'ResourceAlreadyExistsException',
      'Security profile "baseline" already exists',
    );
    assert.equal(error['resourceArn'], `${ACCOUNT}:securityprofile/baseline`);
  });

  test('accepts an empty alert target map', async () => {
    const created = await iot.send(
      new CreateSecurityProfileCommand({ securityProfileName: 'no-alerts', alertTargets: {} }),
    );
    assert.equal(created.securityProfileName, 'no-alerts');
    await iot.send(new DeleteSecurityProfileCommand({ securityProfileName: 'no-alerts' }));
  });

  test('describes rich behaviors in the model shape', async () => {
    await iot.send(
      new CreateDimensionCommand({
        name: 'commands',
        type: 'TOPIC_FILTER',
        stringValues: ['cmd/#'],
      }),
    );

    const behaviors: Behavior[] = [
      {
        name: 'command-flood',
        metric: 'aws:num-messages-received',
        metricDimension: { dimensionName: 'commands', operator: 'IN' },
        criteria: {
          comparisonOperator: 'greater-than',
          value: { count: 100 },
          durationSeconds: 300,
        },
        suppressAlerts: true,
        exportMetric: true,
      },
      {
        name: 'learned-traffic',
        metric: 'aws:all-bytes-out',
        criteria: { mlDetectionConfig: { confidenceLevel: 'HIGH' } },
      },
      {
        name: 'rare-ports',
        metric: 'aws:listening-tcp-ports',
        criteria: { comparisonOperator: 'in-port-set', value: { ports: [22, 443] } },
      },
    ];
    await iot.send(
      new CreateSecurityProfileCommand({
        securityProfileName: 'rich',
        behaviors,
        additionalMetricsToRetainV2: [
          {
            metric: 'aws:num-messages-sent',
            metricDimension: { dimensionName: 'commands' },
            exportMetric: true,
          },
        ],
        metricsExportConfig: { mqttTopic: '$aws/rules/export', roleArn: ROLE },
      }),
    );

    const profile = await iot.send(
      new DescribeSecurityProfileCommand({ securityProfileName: 'rich' }),
    );
    assert.equal(profile.behaviors?.[0]?.metricDimension?.dimensionName, 'commands');
    assert.equal(profile.behaviors?.[0]?.suppressAlerts, true);
    assert.equal(profile.behaviors?.[1]?.criteria?.mlDetectionConfig?.confidenceLevel, 'HIGH');
    assert.deepEqual(profile.behaviors?.[2]?.criteria?.value?.ports, [22, 443]);
    assert.equal(profile.additionalMetricsToRetainV2?.[0]?.exportMetric, true);
    assert.equal(profile.metricsExportConfig?.mqttTopic, '$aws/rules/export');

    const byDimension = await iot.send(
      new ListSecurityProfilesCommand({ dimensionName: 'commands' }),
    );
    assert.deepEqual(
      byDimension.securityProfileIdentifiers?.map((identifier) => identifier.name),
      ['rich'],
    );
  });

  test('updates with and without an expected version', async () => {
    await iot.send(
      new CreateSecurityProfileCommand({ securityProfileName: 'evolving', behaviors: [PORTS] }),
    );
    const updated = await iot.send(
      new UpdateSecurityProfileCommand({
        securityProfileName: 'evolving',
        behaviors: [PORTS, ADDRESSES],
        expectedVersion: 1,
      }),
    );
    assert.equal(updated.version, 2);
    assert.deepEqual(
      updated.behaviors?.map((behavior) => behavior.name),
      ['few-listeners', 'known-hosts'],
    );
    assert.ok(updated.lastModifiedDate instanceof Date);
    await iot.expectError(
      iot.send(
        new UpdateSecurityProfileCommand({ securityProfileName: 'evolving', expectedVersion: 1 }),
      ),
      'VersionConflictException',
      'Security profile "evolving" is at version 2, not the expected 1',
    );
    const cleared = await iot.send(
      new UpdateSecurityProfileCommand({ securityProfileName: 'evolving', deleteBehaviors: true }),
    );
    assert.deepEqual(cleared.behaviors, []);
    await iot.expectError(
      iot.send(
        new UpdateSecurityProfileCommand({
          securityProfileName: 'evolving',
          behaviors: [PORTS],
          deleteBehaviors: true,
        }),
      ),
      'InvalidRequestException',
    );
    await iot.expectError(
      iot.send(new UpdateSecurityProfileCommand({ securityProfileName: 'ghost' })),
      'ResourceNotFoundException',
      'Security profile "ghost" does not exist',
    );
  });

  test('attaches to targets and lists both ways', async () => {
    await iot.send(
      new CreateSecurityProfileCommand({ securityProfileName: 'targeted', behaviors: [PORTS] }),
    );
    const fleet = `${ACCOUNT}:thinggroup/fleet`;
    const child = `${ACCOUNT}:thinggroup/fleet-a`;
    await iot.send(
      new AttachSecurityProfileCommand({
        securityProfileName: 'targeted',
        securityProfileTargetArn: fleet,
      }),
    );
    await iot.send(
      new AttachSecurityProfileCommand({
        securityProfileName: 'targeted',
        securityProfileTargetArn: child,
      }),
    );
    await iot.send(
      new AttachSecurityProfileCommand({
        securityProfileName: 'targeted',
        securityProfileTargetArn: ALL_THINGS,
      }),
    );

    const targets = await iot.send(
      new ListTargetsForSecurityProfileCommand({ securityProfileName: 'targeted' }),
    );
    assert.deepEqual(
      targets.securityProfileTargets?.map((target) => target.arn),
      [ALL_THINGS, fleet, child],
    );
    const onFleet = await iot.send(
      new ListSecurityProfilesForTargetCommand({ securityProfileTargetArn: fleet }),
    );
    assert.deepEqual(
      onFleet.securityProfileTargetMappings?.map((mapping) => [
        mapping.securityProfileIdentifier?.name,
        mapping.target?.arn,
      ]),
      [['targeted', fleet]],
    );
    const recursive = await iot.send(
      new ListSecurityProfilesForTargetCommand({
        securityProfileTargetArn: fleet,
        recursive: true,
      }),
    );
    assert.deepEqual(
      recursive.securityProfileTargetMappings?.map((mapping) => mapping.target?.arn),
      [fleet, child],
    );

    await iot.send(
      new DetachSecurityProfileCommand({
        securityProfileName: 'targeted',
        securityProfileTargetArn: child,
      }),
    );
    const left = await iot.send(
      new ListTargetsForSecurityProfileCommand({ securityProfileName: 'targeted' }),
    );
    assert.deepEqual(
      left.securityProfileTargets?.map((target) => target.arn),
      [ALL_THINGS, fleet],
    );
    await iot.expectError(
      iot.send(
        new AttachSecurityProfileCommand({
          securityProfileName: 'targeted',
          securityProfileTargetArn: `${ACCOUNT}:thinggroup/none`,
        }),
      ),
      'ResourceNotFoundException',
      'Thing group "none" does not exist',
    );
    await iot.expectError(
      iot.send(
        new AttachSecurityProfileCommand({
          securityProfileName: 'targeted',
          securityProfileTargetArn: `${ACCOUNT}:thing/x`,
        }),
      ),
      'InvalidRequestException',
    );
    await iot.expectError(
      iot.send(new ListTargetsForSecurityProfileCommand({ securityProfileName: 'ghost' })),
      'ResourceNotFoundException',
    );
  });

  test('a sixth profile on one target is LimitExceededException', async () => {
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'crowded' }));
    const target = `${ACCOUNT}:thinggroup/crowded`;
    for (let index = 1; index <= 6; index++) {
      await iot.send(new CreateSecurityProfileCommand({ securityProfileName: `crowd-${index}` }));
    }
    for (let index = 1; index <= 5; index++) {
      await iot.send(
        new AttachSecurityProfileCommand({
          securityProfileName: `crowd-${index}`,
          securityProfileTargetArn: target,
        }),
      );
    }
    await iot.expectError(
      iot.send(
        new AttachSecurityProfileCommand({
          securityProfileName: 'crowd-6',
          securityProfileTargetArn: target,
        }),
      ),
      'LimitExceededException',
      `Target "${target}" already has 5 security profiles attached, the maximum`,
    );
    // Attaching a profile that is already attached is not a sixth profile.
    await iot.send(
      new AttachSecurityProfileCommand({
        securityProfileName: 'crowd-1',
        securityProfileTargetArn: target,
      }),
    );
  });

  test('lists profiles, filtered by metric or dimension', async () => {
    const all = await iot.send(new ListSecurityProfilesCommand({}));
    const names = all.securityProfileIdentifiers?.map((identifier) => identifier.name) ?? [];
    assert.ok(names.includes('baseline'));
    assert.deepEqual(names, [...names].sort());
    for (const identifier of all.securityProfileIdentifiers ?? [])
      assert.equal(identifier.arn, `${ACCOUNT}:securityprofile/${identifier.name}`);

    const bytes = await iot.send(
      new ListSecurityProfilesCommand({ metricName: 'aws:all-bytes-out' }),
    );
    assert.deepEqual(
      bytes.securityProfileIdentifiers?.map((identifier) => identifier.name),
      ['baseline', 'rich'],
    );
    await iot.expectError(
      iot.send(
        new ListSecurityProfilesCommand({
          metricName: 'aws:all-bytes-out',
          dimensionName: 'topics',
        }),
      ),
      'InvalidRequestException',
      'Give dimensionName or metricName, not both',
    );
  });

  test('validates behaviors without storing them', async () => {
    const valid = await iot.send(
      new ValidateSecurityProfileBehaviorsCommand({ behaviors: [PORTS, BYTES, ADDRESSES] }),
    );
    assert.equal(valid.valid, true);
    assert.deepEqual(valid.validationErrors, []);

    const invalid = await iot.send(
      new ValidateSecurityProfileBehaviorsCommand({
        behaviors: [
          {
            name: 'bad',
            metric: 'aws:no-such-metric',
            criteria: { comparisonOperator: 'less-than', value: { count: 1 } },
          },
          {
            name: 'worse',
            metric: 'aws:num-listening-tcp-ports',
            criteria: { comparisonOperator: 'in-cidr-set', value: { count: 1 } },
          },
        ],
      }),
    );
    assert.equal(invalid.valid, false);
    assert.equal(invalid.validationErrors?.length, 2);
    for (const error of invalid.validationErrors ?? [])
      assert.equal(typeof error.errorMessage, 'string');

    await iot.expectError(
      iot.send(
        new CreateSecurityProfileCommand({
          securityProfileName: 'rejected',
          behaviors: [
            {
              name: 'bad',
              metric: 'aws:no-such-metric',
              criteria: { comparisonOperator: 'less-than', value: { count: 1 } },
            },
          ],
        }),
      ),
      'InvalidRequestException',
    );
  });

  test('rejects unknown members', async () => {
    const response = await iot.raw('CreateSecurityProfile', 'POST', '/security-profiles/odd', {
      behaviours: [],
    });
    assert.equal(response.errorType, 'InvalidRequestException');
    assert.equal(
      response.body.message,
      "1 validation error detected: Unknown field 'behaviours' in the request body",
    );
  });

  test('deletes a profile with an expected version', async () => {
    await iot.send(new CreateSecurityProfileCommand({ securityProfileName: 'doomed' }));
    await iot.send(
      new AttachSecurityProfileCommand({
        securityProfileName: 'doomed',
        securityProfileTargetArn: ALL_THINGS,
      }),
    );
    await iot.expectError(
      iot.send(
        new DeleteSecurityProfileCommand({ securityProfileName: 'doomed', expectedVersion: 3 }),
      ),
      'VersionConflictException',
    );
    await iot.send(
      new DeleteSecurityProfileCommand({ securityProfileName: 'doomed', expectedVersion: 1 }),
    );
    await iot.expectError(
      iot.send(new DescribeSecurityProfileCommand({ securityProfileName: 'doomed' })),
      'ResourceNotFoundException',
      'Security profile "doomed" does not exist',
    );
    const onAll = await iot.send(
      new ListSecurityProfilesForTargetCommand({ securityProfileTargetArn: ALL_THINGS }),
    );
    assert.ok(
      !onAll.securityProfileTargetMappings?.some(
        (mapping) => mapping.securityProfileIdentifier?.name === 'doomed',
      ),
    );
  });
});
