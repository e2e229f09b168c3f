import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeClock } from '../../core/clock.ts';
import { MIGRATIONS } from '../../service/migrations.ts';
import { openSqlite } from '../../store/sqlite-database.ts';
import { iamRoutes } from '../api/iam-api.ts';
import type { RegistryState } from '../registry.ts';
import { deleteIamRole, listIamRoles, putIamRole, requireIamRole } from './iam-roles.ts';
import { assertApiError, freshRegistry, rejects, TestApi } from './test-api.ts';

const DEVICE_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::uploads/*' }],
};
const JUNE_FIRST = Date.UTC(2026, 5, 1);

describe('IAM role operations', () => {
  test('stores a role with the default ARN and compact documents', async () => {
    const registry = await freshRegistry();
    const record = await putIamRole(registry, 'uploader', {
      policyDocuments: [JSON.stringify(DEVICE_POLICY, null, 2)],
      serviceLastUsed: { s3: JUNE_FIRST, iot: JUNE_FIRST - 1000 },
    });
    assert.deepEqual(record, {
      roleArn: 'arn:aws:iam::123456789012:role/uploader',
      policyDocuments: [JSON.stringify(DEVICE_POLICY)],
      serviceLastUsed: { iot: JUNE_FIRST - 1000, s3: JUNE_FIRST },
    });
    assert.deepEqual(requireIamRole(registry, 'uploader'), record);
  });

  test('accepts an ARN with a path that ends in the role name', async () => {
    const registry = await freshRegistry();
    const roleArn = 'arn:aws:iam::210987654321:role/service-role/devices/uploader';
    const record = await putIamRole(registry, 'uploader', { roleArn, policyDocuments: [] });
    assert.equal(record.roleArn, roleArn);
    assert.deepEqual(listIamRoles(registry), [{ roleName: 'uploader', record }]);
  });

  test('rejects an ARN that names another role', async () => {
    const registry = await freshRegistry();
    await assert.rejects(
      putIamRole(registry, 'uploader', {
        roleArn: 'arn:aws:iam::123456789012:role/downloader',
        policyDocuments: [],
      }),
      rejects(
        'InvalidRequestException',
        'Invalid value "arn:aws:iam::123456789012:role/downloader" at "roleArn": it names role "downloader", not "uploader"',
      ),
    );
    assert.equal(registry.get('iamRole', 'uploader'), undefined);
  });

  test('rejects invalid documents with their place and reason', async () => {
    const registry = await freshRegistry();
    const bad = { Version: '2012-10-17', Statement: [{ Effect: 'Permit', Action: 'iot:*' }] };
    await assert.rejects(
      putIamRole(registry, 'uploader', { policyDocuments: [DEVICE_POLICY, bad, '{'] }),
      rejects(
        'MalformedPolicyException',
        'Invalid policy document at "policyDocuments[1]": Statement[0].Effect "Permit" is not "Allow" or "Deny"; ' +
          'Invalid policy document at "policyDocuments[1]": Statement[0] has no "Resource" or "NotResource"; ' +
          'Invalid policy document at "policyDocuments[2]": the document is not valid JSON',
      ),
    );
    assert.equal(registry.get('iamRole', 'uploader'), undefined);
  });

  test('replaces a role and deletes it', async () => {
    const db = openSqlite(':memory:', MIGRATIONS);
    const registry = await freshRegistry(new FakeClock(), db);
    await putIamRole(registry, 'uploader', { policyDocuments: [DEVICE_POLICY] });
    await putIamRole(registry, 'uploader', { policyDocuments: [], serviceLastUsed: { iot: 1 } });

    const reloaded = await freshRegistry(new FakeClock(), db);
    assert.deepEqual(requireIamRole(reloaded, 'uploader').policyDocuments, []);
    await deleteIamRole(reloaded, 'uploader');
    assert.throws(
      () => requireIamRole(reloaded, 'uploader'),
      rejects('ResourceNotFoundException', 'IAM role "uploader" does not exist'),
    );
    await assert.rejects(
      deleteIamRole(reloaded, 'uploader'),
      rejects('ResourceNotFoundException', 'IAM role "uploader" does not exist'),
    );
  });
});

describe('IAM role routes', () => {
  let registry: RegistryState;
  let api: TestApi;

  before(async () => {
    registry = await freshRegistry();
    api = await TestApi.start(iamRoutes(registry));
  });

  after(async () => {
    await api?.close();
  });

  test('puts, gets, lists and deletes a role', async () => {
    const put = await api.call('PUT', '/warden/iam/roles/uploader', {
      policyDocuments: [DEVICE_POLICY],
      serviceLastUsed: { s3: '2026-06-01T00:00:00Z', iot: 1780272000.5 },
    });
    const expected = {
      roleName: 'uploader',
      roleArn: 'arn:aws:iam::123456789012:role/uploader',
      policyDocuments: [DEVICE_POLICY],
      serviceLastUsed: { iot: 1780272000.5, s3: JUNE_FIRST / 1000 },
    };
    assert.equal(put.status, 200);
    assert.deepEqual(put.body, expected);
    assert.deepEqual((await api.call('GET', '/warden/iam/roles/uploader')).body, expected);
    assert.equal(requireIamRole(registry, 'uploader').serviceLastUsed['iot'], 1780272000500);

    await api.call('PUT', '/warden/iam/roles/auditor', { policyDocuments: [] });
    const listed = await api.call('GET', '/warden/iam/roles?maxResults=1');
    assert.deepEqual(
      listed.body.roles.map((role: { roleName: string }) => role.roleName),
      ['auditor'],
    );
    const next = await api.call('GET', `/warden/iam/roles?nextToken=${listed.body.nextToken}`);
    assert.deepEqual(next.body, { roles: [expected] });

    assert.equal((await api.call('DELETE', '/warden/iam/roles/auditor')).status, 200);
    const afterDelete = await api.call('GET', '/warden/iam/roles/auditor');
    assert.equal(afterDelete.status, 404);
    assertApiError(afterDelete, 'ResourceNotFoundException', 'IAM role "auditor" does not exist');
  });

  test('rejects invalid role bodies', async () => {
    const cases: [string, unknown, string, string][] = [
      [
        'bad%20name',
        { policyDocuments: [] },
        'InvalidRequestException',
        "1 validation error detected: Value 'bad name' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
      ],
      [
        'uploader',
        { policyDocuments: [], lastUsed: {} },
        'InvalidRequestException',
        "1 validation error detected: Unknown field 'lastUsed' in the request body",
      ],
      [
        'uploader',
        {},
        'InvalidRequestException',
        "1 validation error detected: Value null at 'policyDocuments' failed to satisfy constraint: Member must not be null",
      ],
      [
        'uploader',
        { roleArn: 'arn:aws:iot:us-east-1:123456789012:thing/uploader', policyDocuments: [] },
        'InvalidRequestException',
        "1 validation error detected: Value 'arn:aws:iot:us-east-1:123456789012:thing/uploader' at 'roleArn' failed to satisfy constraint: Member must be an IAM role ARN, arn:aws:iam::ACCOUNT:role/NAME",
      ],
      [
        'uploader',
        { policyDocuments: [], serviceLastUsed: { iot: 'yesterday' } },
        'InvalidRequestException',
        "1 validation error detected: Value 'yesterday' at 'serviceLastUsed.iot' failed to satisfy constraint: Member must be an ISO-8601 time with a zone, or epoch seconds",
      ],
      [
        'uploader',
        { policyDocuments: [], serviceLastUsed: { iot: '2026-06-01T00:00:00' } },
        'InvalidRequestException',
        "1 validation error detected: Value '2026-06-01T00:00:00' at 'serviceLastUsed.iot' failed to satisfy constraint: Member must be an ISO-8601 time with a zone, or epoch seconds",
      ],
      [
        'uploader',
        { policyDocuments: [{ Version: '2012-10-17', Statement: { Effect: 'Allow' } }] },
        'MalformedPolicyException',
        'Invalid policy document at "policyDocuments[0]": Statement has no "Action" or "NotAction"; Invalid policy document at "policyDocuments[0]": Statement has no "Resource" or "NotResource"',
      ],
    ];
    for (const [name, body, errorType, message] of cases) {
      const response = await api.call('PUT', `/warden/iam/roles/${name}`, body);
      assert.equal(response.status, 400, message);
      assertApiError(response, errorType, message);
    }
  });

  test('rejects a service namespace that is not one', async () => {
    const response = await api.call('PUT', '/warden/iam/roles/uploader', {
      policyDocuments: [],
      serviceLastUsed: { 'IoT Core': 0 },
    });
    assert.equal(response.status, 400);
    assertApiError(
      response,
      'InvalidRequestException',
      `1 validation error detected: Value '{"IoT Core":0}' at 'serviceLastUsed' failed to satisfy constraint: Member must use IAM service namespaces as keys (up to 64 lowercase letters, digits and hyphens, such as "iot"), not "IoT Core"`,
    );
  });
});
