import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateRoleAliasCommand,
  DeleteRoleAliasCommand,
  DescribeRoleAliasCommand,
  ListRoleAliasesCommand,
  UpdateRoleAliasCommand,
} from '@aws-sdk/client-iot';
import { TestWarden } from '../../testing/harness.ts';
import { ContractClient } from './contract-client.ts';

const ROLE = 'arn:aws:iam::123456789012:role/fleet-device';
const OTHER_ROLE = 'arn:aws:iam::123456789012:role/service-role/fleet-uploader';
const ALIAS_ARN = 'arn:aws:iot:us-east-1:123456789012:rolealias/uploader';

describe('role aliases through the AWS SDK', () => {
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

  test('serves the five operations', async () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const created = await iot.send(
      new CreateRoleAliasCommand({
        roleAlias: 'sdk-alias',
        roleArn: ROLE,
        credentialDurationSeconds: 1800,
        tags: [{ Key: 'team', Value: 'fleet' }],
      }),
    );
    assert.equal(created.roleAlias, 'sdk-alias');
    assert.equal(created.roleAliasArn, 'arn:aws:iot:us-east-1:123456789012:rolealias/sdk-alias');

    const described = await iot.send(new DescribeRoleAliasCommand({ roleAlias: 'sdk-alias' }));
    const { creationDate, lastModifiedDate, ...rest } = described.roleAliasDescription ?? {};
    assert.deepEqual(rest, {
      roleAlias: 'sdk-alias',
      roleAliasArn: 'arn:aws:iot:us-east-1:123456789012:rolealias/sdk-alias',
      roleArn: ROLE,
      owner: '123456789012',
      credentialDurationSeconds: 1800,
    });
    assert.ok(creationDate instanceof Date);
    assert.ok(creationDate.getTime() >= before, `created at ${creationDate.toISOString()}`);
    assert.ok(creationDate.getTime() <= Date.now(), `created at ${creationDate.toISOString()}`);
    assert.deepEqual(lastModifiedDate, creationDate);

    const moved = await iot.send(
      new UpdateRoleAliasCommand({ roleAlias: 'sdk-alias', roleArn: OTHER_ROLE }),
    );
    assert.equal(moved.roleAliasArn, created.roleAliasArn);
    await iot.send(
      new UpdateRoleAliasCommand({ roleAlias: 'sdk-alias', credentialDurationSeconds: 43200 }),
    );
    const updated = await iot.send(new DescribeRoleAliasCommand({ roleAlias: 'sdk-alias' }));
    assert.equal(updated.roleAliasDescription?.roleArn, OTHER_ROLE);
    assert.equal(updated.roleAliasDescription?.credentialDurationSeconds, 43200);
    assert.deepEqual(updated.roleAliasDescription?.creationDate, creationDate);

    const listed = await iot.send(new ListRoleAliasesCommand({ ascendingOrder: true }));
    assert.ok(listed.roleAliases?.includes('sdk-alias'));

    await iot.send(new DeleteRoleAliasCommand({ roleAlias: 'sdk-alias' }));
    await iot.expectError(
      iot.send(new DescribeRoleAliasCommand({ roleAlias: 'sdk-alias' })),
      'ResourceNotFoundException',
      'Role alias "sdk-alias" does not exist',
    );
  });

  test('a duplicate is ResourceAlreadyExistsException', async () => {
    await iot.send(new CreateRoleAliasCommand({ roleAlias: 'uploader', roleArn: ROLE }));
    const error = await iot.expectError(
      iot.send(new CreateRoleAliasCommand({ roleAlias: 'uploader', roleArn: ROLE })),
      'ResourceAlreadyExistsException',
      'Role alias "uploader" already exists',
    );
    assert.equal(error['resourceId'], 'uploader');
    assert.equal(error['resourceArn'], ALIAS_ARN);
  });

  test('lists descending by default and ascending on request', async () => {
    for (const name of ['order-b', 'order-a', 'order-c']) {
      await iot.send(new CreateRoleAliasCommand({ roleAlias: name, roleArn: ROLE }));
    }
    const ascending = await iot.send(new ListRoleAliasesCommand({ ascendingOrder: true }));
    const names = ascending.roleAliases?.filter((name) => name.startsWith('order-'));
    assert.deepEqual(names, ['order-a', 'order-b', 'order-c']);
    const descending = await iot.send(new ListRoleAliasesCommand({}));
    assert.deepEqual(descending.roleAliases, [...(ascending.roleAliases ?? [])].reverse());
  });

  test('pages the listing with pageSize and marker', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) {
      await iot.send(new CreateRoleAliasCommand({ roleAlias: name, roleArn: ROLE }));
    }
    const all = await iot.send(new ListRoleAliasesCommand({ ascendingOrder: true }));
    const expected = all.roleAliases ?? [];
    assert.ok(expected.length >= 3);

    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await iot.send(
        new ListRoleAliasesCommand({ pageSize: 2, ascendingOrder: true, marker }),
      );
      assert.ok((page.roleAliases?.length ?? 0) <= 2);
      seen.push(...(page.roleAliases ?? []));
      marker = page.nextMarker;
      pages++;
    } while (marker !== undefined && pages < 20);
    assert.deepEqual(seen, expected);
    assert.equal(pages, Math.ceil(expected.length / 2));

    await iot.expectError(
      iot.send(new ListRoleAliasesCommand({ marker: 'not-a-marker' })),
      'InvalidRequestException',
      'Invalid nextToken "not-a-marker": pass the token from the previous response',
    );
  });

  test('invalid requests get AWS validation messages', async () => {
    const cases: [string, string, unknown, string][] = [
      [
        'POST',
        '/role-aliases/bad%20name',
        { roleArn: ROLE },
        "1 validation error detected: Value 'bad name' at 'roleAlias' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w=,@-]+",
      ],
      [
        'POST',
        '/role-aliases/short-arn',
        { roleArn: 'arn:aws:iam::1:r' },
        "1 validation error detected: Value 'arn:aws:iam::1:r' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20",
      ],
      [
        'POST',
        '/role-aliases/bucket-arn',
        { roleArn: 'arn:aws:s3:::fleet-firmware-bucket' },
        "1 validation error detected: Value 'arn:aws:s3:::fleet-firmware-bucket' at 'roleArn' failed to satisfy constraint: Member must be an IAM role ARN, arn:aws:iam::ACCOUNT:role/NAME",
      ],
      [
        'POST',
        '/role-aliases/no-arn',
        {},
        "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
      ],
      [
        'POST',
        '/role-aliases/too-short',
        { roleArn: ROLE, credentialDurationSeconds: 899 },
        "1 validation error detected: Value '899' at 'credentialDurationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
      ],
      [
        'POST',
        '/role-aliases/too-long',
        { roleArn: ROLE, credentialDurationSeconds: 43201 },
        "1 validation error detected: Value '43201' at 'credentialDurationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200",
      ],
      [
        'POST',
        '/role-aliases/extra',
        { roleArn: ROLE, roleAliasArn: ALIAS_ARN },
        "1 validation error detected: Unknown field 'roleAliasArn' in the request body",
      ],
      [
        'POST',
        '/role-aliases/bad-tag',
        { roleArn: ROLE, tags: [{ Key: 'a*b' }] },
        "1 validation error detected: Value 'a*b' at 'tags.0.Key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*",
      ],
      [
        'PUT',
        '/role-aliases/anything',
        { roleArn: ROLE, tags: [] },
        "1 validation error detected: Unknown field 'tags' in the request body",
      ],
    ];
    for (const [method, path, body, message] of cases) {
      const operation = method === 'POST' ? 'CreateRoleAlias' : 'UpdateRoleAlias';
      const response = await iot.raw(operation, method, path, body);
      assert.equal(response.status, 400, path);
      assert.equal(response.errorType, 'InvalidRequestException', path);
      assert.equal(response.body.message, message, path);
    }
    await iot.expectError(
      iot.send(new DescribeRoleAliasCommand({ roleAlias: 'bucket-arn' })),
      'ResourceNotFoundException',
    );
  });

  test('missing alias is ResourceNotFoundException', async () => {
    const message = 'Role alias "ghost" does not exist';
    await iot.expectError(
      iot.send(new DescribeRoleAliasCommand({ roleAlias: 'ghost' })),
      'ResourceNotFoundException',
      message,
    );
    await iot.expectError(
      iot.send(new UpdateRoleAliasCommand({ roleAlias: 'ghost', roleArn: ROLE })),
      'ResourceNotFoundException',
      message,
    );
    await iot.expectError(
      iot.send(new DeleteRoleAliasCommand({ roleAlias: 'ghost' })),
      'ResourceNotFoundException',
      message,
    );
  });
});
