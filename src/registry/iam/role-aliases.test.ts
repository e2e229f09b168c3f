import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateRoleAliasCommand,
  DeleteRoleAliasCommand,
  DescribeRoleAliasCommand,
  ListRoleAliasesCommand,
  UpdateRoleAliasCommand,
} from '@aws-sdk/client-iot';
import { ContractClient } from '../../api/contract/contract-client.ts';
import { FakeClock } from '../../core/clock.ts';
import { MIGRATIONS } from '../../service/migrations.ts';
import { openSqlite } from '../../store/sqlite-database.ts';
import { roleAliasRoutes } from '../api/role-aliases-api.ts';
import type { RegistryState } from '../registry.ts';
import {
  createRoleAlias,
  deleteRoleAlias,
  listRoleAliases,
  requireRoleAlias,
  updateRoleAlias,
} from './role-aliases.ts';
import { assertApiError, freshRegistry, rejects, TestApi } from './test-api.ts';

const ROLE = 'arn:aws:iam::123456789012:role/fleet-device';
const OTHER_ROLE = 'arn:aws:iam::123456789012:role/service-role/fleet-uploader';
const ALIAS_ARN = 'arn:aws:iot:us-east-1:123456789012:rolealias/uploader';

describe('role alias operations', () => {
  test('creates an alias with the default credential duration', async () => {
    const clock = new FakeClock();
    const registry = await freshRegistry(clock);
    const record = await createRoleAlias(registry, { roleAlias: 'uploader', roleArn: ROLE });
    assert.deepEqual(record, {
      roleAlias: 'uploader',
      roleAliasArn: ALIAS_ARN,
      roleArn: ROLE,
      credentialDurationSeconds: 3600,
      createdAt: clock.now(),
      lastModifiedAt: clock.now(),
      tags: [],
    });
  });

  test('rejects a second alias with the same name', async () => {
    const registry = await freshRegistry();
    await createRoleAlias(registry, { roleAlias: 'uploader', roleArn: ROLE });
    await assert.rejects(
      createRoleAlias(registry, { roleAlias: 'uploader', roleArn: ROLE }),
      (error: unknown) => {
        rejects('ResourceAlreadyExistsException', 'Role alias "uploader" already exists')(error);
        assert.deepEqual((error as { fields: unknown }).fields, {
          resourceId: 'uploader',
          resourceArn: ALIAS_ARN,
        });
        return true;
      },
    );
  });

  test('reports a missing alias on describe, update and delete', async () => {
    const registry = await freshRegistry();
    const missing = rejects('ResourceNotFoundException', 'Role alias "ghost" does not exist');
    assert.throws(() => requireRoleAlias(registry, 'ghost'), missing);
    await assert.rejects(updateRoleAlias(registry, 'ghost', { roleArn: ROLE }), missing);
    await assert.rejects(deleteRoleAlias(registry, 'ghost'), missing);
  });

  test('update keeps the creation time and changes only what it sets', async () => {
    const clock = new FakeClock();
    const registry = await freshRegistry(clock);
    const created = await createRoleAlias(registry, {
      roleAlias: 'uploader',
      roleArn: ROLE,
      credentialDurationSeconds: 900,
      tags: [{ Key: 'team', Value: 'fleet' }],
    });
    clock.advance(60_000);

    const moved = await updateRoleAlias(registry, 'uploader', { roleArn: OTHER_ROLE });
    assert.equal(moved.roleArn, OTHER_ROLE);
    assert.equal(moved.credentialDurationSeconds, 900);
    assert.equal(moved.createdAt, created.createdAt);
    assert.equal(moved.lastModifiedAt, created.createdAt + 60_000);
    assert.deepEqual(moved.tags, [{ Key: 'team', Value: 'fleet' }]);

    const longer = await updateRoleAlias(registry, 'uploader', { credentialDurationSeconds: 7200 });
    assert.equal(longer.roleArn, OTHER_ROLE);
    assert.equal(longer.credentialDurationSeconds, 7200);
  });

  test('lists names descending by default and ascending on request', async () => {
    const registry = await freshRegistry();
    for (const name of ['beta', 'Alpha', 'gamma', 'alpha']) {
      await createRoleAlias(registry, { roleAlias: name, roleArn: ROLE });
    }
    const names = (ascending: boolean) =>
      listRoleAliases(registry, ascending).map((record) => record.roleAlias);
    assert.deepEqual(names(true), ['Alpha', 'alpha', 'beta', 'gamma']);
    assert.deepEqual(names(false), ['gamma', 'beta', 'alpha', 'Alpha']);
  });

  test('keeps aliases across a reload of the store', async () => {
    const db = openSqlite(':memory:', MIGRATIONS);
    const first = await freshRegistry(new FakeClock(), db);
    await createRoleAlias(first, { roleAlias: 'uploader', roleArn: ROLE });
    const second = await freshRegistry(new FakeClock(), db);
    assert.equal(requireRoleAlias(second, 'uploader').roleArn, ROLE);
    await deleteRoleAlias(second, 'uploader');
    const third = await freshRegistry(new FakeClock(), db);
    assert.equal(third.get('roleAlias', 'uploader'), undefined);
  });
});

describe('role alias routes', () => {
  let clock: FakeClock;
  let registry: RegistryState;
  let api: TestApi;
  let iot: ContractClient;

  before(async () => {
    clock = new FakeClock();
    registry = await freshRegistry(clock);
    api = await TestApi.start(roleAliasRoutes(registry));
    iot = new ContractClient(api.endpoint);
  });

  after(async () => {
    iot?.sdk.destroy();
    await api?.close();
  });

  test('serves the five operations through the AWS SDK', async () => {
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
    assert.deepEqual(described.roleAliasDescription, {
      roleAlias: 'sdk-alias',
      roleAliasArn: 'arn:aws:iot:us-east-1:123456789012:rolealias/sdk-alias',
      roleArn: ROLE,
      owner: '123456789012',
      credentialDurationSeconds: 1800,
      creationDate: new Date(clock.now()),
      lastModifiedDate: new Date(clock.now()),
    });

    await iot.send(
      new UpdateRoleAliasCommand({ roleAlias: 'sdk-alias', credentialDurationSeconds: 43200 }),
    );
    const updated = await iot.send(new DescribeRoleAliasCommand({ roleAlias: 'sdk-alias' }));
    assert.equal(updated.roleAliasDescription?.credentialDurationSeconds, 43200);

    const listed = await iot.send(new ListRoleAliasesCommand({ ascendingOrder: true }));
    assert.ok(listed.roleAliases?.includes('sdk-alias'));

    await iot.send(new DeleteRoleAliasCommand({ roleAlias: 'sdk-alias' }));
    await iot.expectError(
      iot.send(new DescribeRoleAliasCommand({ roleAlias: 'sdk-alias' })),
      'ResourceNotFoundException',
      'Role alias "sdk-alias" does not exist',
    );
  });

  test('answers a duplicate with ResourceAlreadyExistsException', async () => {
    await iot.send(new CreateRoleAliasCommand({ roleAlias: 'twice', roleArn: ROLE }));
    const error = await iot.expectError(
      iot.send(new CreateRoleAliasCommand({ roleAlias: 'twice', roleArn: ROLE })),
      'ResourceAlreadyExistsException',
      'Role alias "twice" already exists',
    );
    assert.equal(error['resourceId'], 'twice');
  });

  test('pages the listing with pageSize and marker', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) {
      await iot.send(new CreateRoleAliasCommand({ roleAlias: name, roleArn: ROLE }));
    }
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await iot.send(
        new ListRoleAliasesCommand({ pageSize: 2, ascendingOrder: true, marker }),
      );
      seen.push(...(page.roleAliases ?? []));
      marker = page.nextMarker;
      pages++;
    } while (marker !== undefined && pages < 10);
    const expected = listRoleAliases(registry, true).map((record) => record.roleAlias);
    assert.deepEqual(seen, expected);
    assert.equal(pages, Math.ceil(expected.length / 2));
  });

  test('rejects invalid requests with the AWS validation wording', async () => {
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
      const response = await api.call(method, path, body);
      assert.equal(response.status, 400, path);
      assertApiError(response, 'InvalidRequestException', message);
    }
    assert.equal(registry.get('roleAlias', 'bucket-arn'), undefined);
  });

  test('answers a missing alias with ResourceNotFoundException', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const response = await api.call(
        method,
        '/role-aliases/ghost',
        method === 'PUT' ? {} : undefined,
      );
      assert.equal(response.status, 404);
      assertApiError(response, 'ResourceNotFoundException', 'Role alias "ghost" does not exist');
    }
  });
});
