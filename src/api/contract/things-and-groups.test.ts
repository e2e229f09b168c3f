import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AddThingToThingGroupCommand,
  AttachThingPrincipalCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DeleteThingCommand,
  DeleteThingGroupCommand,
  DescribeThingCommand,
  DescribeThingGroupCommand,
  DetachThingPrincipalCommand,
  ListThingGroupsCommand,
  ListThingsCommand,
  ListThingsInThingGroupCommand,
  RegisterCertificateWithoutCACommand,
  RemoveThingFromThingGroupCommand,
  UpdateThingGroupCommand,
} from '@aws-sdk/client-iot';
import { TestWarden } from '../../testing/harness.ts';
import { createSelfSignedTestCertificate } from '../../testing/pki.ts';
import { ContractClient } from './contract-client.ts';

const ACCOUNT = 'arn:aws:iot:us-east-1:123456789012';

describe('things and thing groups through the AWS SDK', () => {
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

  test('creates, describes, lists and deletes a thing', async () => {
    const created = await iot.send(
      new CreateThingCommand({
        thingName: 'sensor-1',
        attributePayload: { attributes: { model: 'x1', site: 'north' } },
      }),
    );
    assert.equal(created.thingName, 'sensor-1');
    assert.equal(created.thingArn, `${ACCOUNT}:thing/sensor-1`);
    assert.match(created.thingId ?? '', /^[0-9a-f-]{36}$/);

    const described = await iot.send(new DescribeThingCommand({ thingName: 'sensor-1' }));
    assert.equal(described.thingName, 'sensor-1');
    assert.equal(described.defaultClientId, 'sensor-1');
    assert.equal(described.thingId, created.thingId);
    assert.equal(described.version, 1);
    assert.deepEqual(described.attributes, { model: 'x1', site: 'north' });

    await iot.send(new CreateThingCommand({ thingName: 'sensor-2' }));
    const filtered = await iot.send(
      new ListThingsCommand({
        attributeName: 'site',
        attributeValue: 'nor',
        usePrefixAttributeValue: true,
      }),
    );
    assert.deepEqual(
      filtered.things?.map((thing) => thing.thingName),
      ['sensor-1'],
    );

    await iot.send(new DeleteThingCommand({ thingName: 'sensor-2' }));
    const all = await iot.send(new ListThingsCommand({}));
    assert.deepEqual(
      all.things?.map((thing) => thing.thingName),
      ['sensor-1'],
    );
  });

  test('repeated CreateThing returns the thing or conflicts', async () => {
    const first = await iot.send(new CreateThingCommand({ thingName: 'twin' }));
    const again = await iot.send(new CreateThingCommand({ thingName: 'twin' }));
    assert.equal(again.thingId, first.thingId);

    const error = await iot.expectError(
      iot.send(
        new CreateThingCommand({ thingName: 'twin', attributePayload: { attributes: { a: 'b' } } }),
      ),
      'ResourceAlreadyExistsException',
      'Thing "twin" already exists with different attributes',
    );
    assert.equal(error['resourceId'], first.thingId);
    assert.equal(error['resourceArn'], `${ACCOUNT}:thing/twin`);
  });

  test('describing a missing thing is ResourceNotFoundException', async () => {
    await iot.expectError(
      iot.send(new DescribeThingCommand({ thingName: 'ghost' })),
      'ResourceNotFoundException',
      'Thing "ghost" does not exist',
    );
  });

  test('rejects deleting a thing at another version', async () => {
    await iot.send(new CreateThingCommand({ thingName: 'versioned' }));
    await iot.expectError(
      iot.send(new DeleteThingCommand({ thingName: 'versioned', expectedVersion: 7 })),
      'VersionConflictException',
      'Thing "versioned" is at version 1, not the expected 7',
    );
    await iot.send(new DeleteThingCommand({ thingName: 'versioned', expectedVersion: 1 }));
    await iot.expectError(
      iot.send(new DescribeThingCommand({ thingName: 'versioned' })),
      'ResourceNotFoundException',
    );
  });

  test('rejects deleting a thing with a certificate', async () => {
    const device = await createSelfSignedTestCertificate('held');
    const { certificateArn } = await iot.send(
      new RegisterCertificateWithoutCACommand({ certificatePem: device.certPem, status: 'ACTIVE' }),
    );
    await iot.send(new CreateThingCommand({ thingName: 'held' }));
    await iot.send(
      new AttachThingPrincipalCommand({ thingName: 'held', principal: certificateArn }),
    );
    await iot.expectError(
      iot.send(new DeleteThingCommand({ thingName: 'held' })),
      'InvalidRequestException',
      'Cannot delete thing "held": 1 principal(s) are still attached; detach them first',
    );
    await iot.send(
      new DetachThingPrincipalCommand({ thingName: 'held', principal: certificateArn }),
    );
    await iot.send(new DeleteThingCommand({ thingName: 'held' }));
  });

  test('rejects unknown members and bad names', async () => {
    const unknown = await iot.raw('CreateThing', 'POST', '/things/odd', { thingColour: 'red' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.errorType, 'InvalidRequestException');
    assert.equal(
      unknown.body.message,
      "1 validation error detected: Unknown field 'thingColour' in the request body",
    );

    await iot.expectError(
      iot.send(new CreateThingCommand({ thingName: 'bad name' })),
      'InvalidRequestException',
      "1 validation error detected: Value 'bad name' at 'thingName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9:_-]+",
    );
  });

  test('round-trips names with colons through the path', async () => {
    await iot.send(new CreateThingCommand({ thingName: 'plant:line-1:sensor_7' }));
    const thing = await iot.send(new DescribeThingCommand({ thingName: 'plant:line-1:sensor_7' }));
    assert.equal(thing.thingArn, `${ACCOUNT}:thing/plant:line-1:sensor_7`);
    assert.match(iot.last.path, /plant%3Aline-1%3Asensor_7$/);

    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'plant:line-1' }));
    await iot.send(
      new AddThingToThingGroupCommand({
        thingGroupName: 'plant:line-1',
        thingName: 'plant:line-1:sensor_7',
      }),
    );
    const members = await iot.send(
      new ListThingsInThingGroupCommand({ thingGroupName: 'plant:line-1' }),
    );
    assert.deepEqual(members.things, ['plant:line-1:sensor_7']);
  });

  test('builds a group hierarchy and lists it', async () => {
    const parent = await iot.send(
      new CreateThingGroupCommand({
        thingGroupName: 'fleet',
        thingGroupProperties: {
          thingGroupDescription: 'All devices',
          attributePayload: { attributes: { owner: 'ops' } },
        },
      }),
    );
    assert.equal(parent.thingGroupArn, `${ACCOUNT}:thinggroup/fleet`);
    await iot.send(
      new CreateThingGroupCommand({ thingGroupName: 'fleet-north', parentGroupName: 'fleet' }),
    );
    await iot.send(
      new CreateThingGroupCommand({
        thingGroupName: 'fleet-north-a',
        parentGroupName: 'fleet-north',
      }),
    );

    const described = await iot.send(
      new DescribeThingGroupCommand({ thingGroupName: 'fleet-north-a' }),
    );
    assert.equal(described.version, 1);
    assert.equal(described.thingGroupMetadata?.parentGroupName, 'fleet-north');
    assert.deepEqual(
      described.thingGroupMetadata?.rootToParentThingGroups?.map((group) => group.groupName),
      ['fleet', 'fleet-north'],
    );
    assert.ok(described.thingGroupMetadata?.creationDate instanceof Date);
    const root = await iot.send(new DescribeThingGroupCommand({ thingGroupName: 'fleet' }));
    assert.equal(root.thingGroupProperties?.thingGroupDescription, 'All devices');
    assert.deepEqual(root.thingGroupProperties?.attributePayload?.attributes, { owner: 'ops' });

    const below = await iot.send(
      new ListThingGroupsCommand({ parentGroup: 'fleet', recursive: true }),
    );
    assert.deepEqual(
      below.thingGroups?.map((group) => group.groupName),
      ['fleet-north', 'fleet-north-a'],
    );
    const direct = await iot.send(
      new ListThingGroupsCommand({ parentGroup: 'fleet', recursive: false }),
    );
    assert.deepEqual(
      direct.thingGroups?.map((group) => group.groupName),
      ['fleet-north'],
    );
    const prefixed = await iot.send(
      new ListThingGroupsCommand({ namePrefixFilter: 'fleet-north' }),
    );
    assert.deepEqual(
      prefixed.thingGroups?.map((group) => group.groupArn),
      [`${ACCOUNT}:thinggroup/fleet-north`, `${ACCOUNT}:thinggroup/fleet-north-a`],
    );
  });

  test('updates a group description and attributes, replacing or merging', async () => {
    await iot.send(
      new CreateThingGroupCommand({
        thingGroupName: 'editable',
        thingGroupProperties: {
          thingGroupDescription: 'First',
          attributePayload: { attributes: { site: 'north', rack: '1' } },
        },
      }),
    );
    const merged = await iot.send(
      new UpdateThingGroupCommand({
        thingGroupName: 'editable',
        expectedVersion: 1,
        thingGroupProperties: {
          thingGroupDescription: 'Second',
          attributePayload: { attributes: { rack: '', floor: '3' }, merge: true },
        },
      }),
    );
    assert.equal(merged.version, 2);
    const described = await iot.send(new DescribeThingGroupCommand({ thingGroupName: 'editable' }));
    assert.equal(described.version, 2);
    assert.equal(described.thingGroupProperties?.thingGroupDescription, 'Second');
    assert.deepEqual(described.thingGroupProperties?.attributePayload?.attributes, {
      site: 'north',
      floor: '3',
    });

    await iot.send(
      new UpdateThingGroupCommand({
        thingGroupName: 'editable',
        thingGroupProperties: { attributePayload: { attributes: { owner: 'ops' } } },
      }),
    );
    const replaced = await iot.send(new DescribeThingGroupCommand({ thingGroupName: 'editable' }));
    assert.deepEqual(replaced.thingGroupProperties?.attributePayload?.attributes, { owner: 'ops' });

    await iot.expectError(
      iot.send(
        new UpdateThingGroupCommand({
          thingGroupName: 'editable',
          expectedVersion: 1,
          thingGroupProperties: { thingGroupDescription: 'Stale' },
        }),
      ),
      'VersionConflictException',
      'Thing group "editable" is at version 3, not the expected 1',
    );
    await iot.expectError(
      iot.send(
        new UpdateThingGroupCommand({ thingGroupName: 'nowhere', thingGroupProperties: {} }),
      ),
      'ResourceNotFoundException',
      'Thing group "nowhere" does not exist',
    );
  });

  test('adds and removes things by name and by ARN', async () => {
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'site' }));
    await iot.send(
      new CreateThingGroupCommand({ thingGroupName: 'site-room', parentGroupName: 'site' }),
    );
    await iot.send(new CreateThingCommand({ thingName: 'lamp-1' }));
    await iot.send(new CreateThingCommand({ thingName: 'lamp-2' }));

    await iot.send(
      new AddThingToThingGroupCommand({ thingGroupName: 'site', thingName: 'lamp-1' }),
    );
    await iot.send(
      new AddThingToThingGroupCommand({
        thingGroupArn: `${ACCOUNT}:thinggroup/site-room`,
        thingArn: `${ACCOUNT}:thing/lamp-2`,
      }),
    );
    const direct = await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'site' }));
    assert.deepEqual(direct.things, ['lamp-1']);
    const recursive = await iot.send(
      new ListThingsInThingGroupCommand({ thingGroupName: 'site', recursive: true }),
    );
    assert.deepEqual(recursive.things, ['lamp-1', 'lamp-2']);

    await iot.send(
      new RemoveThingFromThingGroupCommand({ thingGroupName: 'site-room', thingName: 'lamp-2' }),
    );
    const after = await iot.send(
      new ListThingsInThingGroupCommand({ thingGroupName: 'site', recursive: true }),
    );
    assert.deepEqual(after.things, ['lamp-1']);

    await iot.expectError(
      iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'site', thingName: 'ghost' })),
      'ResourceNotFoundException',
      'Thing "ghost" does not exist',
    );
    await iot.expectError(
      iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'nowhere' })),
      'ResourceNotFoundException',
      'Thing group "nowhere" does not exist',
    );
  });

  test('group errors use the types the model lists', async () => {
    await iot.expectError(
      iot.send(new DescribeThingGroupCommand({ thingGroupName: 'nowhere' })),
      'ResourceNotFoundException',
      'Thing group "nowhere" does not exist',
    );
    await iot.expectError(
      iot.send(
        new CreateThingGroupCommand({ thingGroupName: 'orphan', parentGroupName: 'nowhere' }),
      ),
      'InvalidRequestException',
      'Parent thing group "nowhere" does not exist',
    );
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'top' }));
    await iot.send(
      new CreateThingGroupCommand({ thingGroupName: 'top-child', parentGroupName: 'top' }),
    );
    await iot.expectError(
      iot.send(new CreateThingGroupCommand({ thingGroupName: 'top-child' })),
      'ResourceAlreadyExistsException',
      'Thing group "top-child" already exists with a different parent',
    );
    await iot.expectError(
      iot.send(new DeleteThingGroupCommand({ thingGroupName: 'top' })),
      'InvalidRequestException',
      'Cannot delete thing group "top": it has child groups (top-child)',
    );
    await iot.expectError(
      iot.send(new DeleteThingGroupCommand({ thingGroupName: 'top-child', expectedVersion: 2 })),
      'VersionConflictException',
      'Thing group "top-child" is at version 1, not the expected 2',
    );
    await iot.send(
      new DeleteThingGroupCommand({ thingGroupName: 'top-child', expectedVersion: 1 }),
    );
    await iot.send(new DeleteThingGroupCommand({ thingGroupName: 'top' }));
    const left = await iot.send(new ListThingGroupsCommand({ namePrefixFilter: 'top' }));
    assert.deepEqual(left.thingGroups, []);
  });
});
