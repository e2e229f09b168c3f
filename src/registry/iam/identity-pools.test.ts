import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeClock } from '../../core/clock.ts';
import { MIGRATIONS } from '../../service/migrations.ts';
import { openSqlite } from '../../store/sqlite-database.ts';
import { iamRoutes } from '../api/iam-api.ts';
import type { RegistryState } from '../registry.ts';
import {
  deleteIdentityPool,
  listIdentityPools,
  putIdentityPool,
  requireIdentityPool,
} from './identity-pools.ts';
import { assertApiError, freshRegistry, rejects, TestApi } from './test-api.ts';

const POOL = 'us-east-1:4f0b7f25-3c8a-4e55-9d1e-0c6f2a9b8e11';
const AUTH_ROLE = 'arn:aws:iam::123456789012:role/Cognito_FleetAuth_Role';
const UNAUTH_ROLE = 'arn:aws:iam::123456789012:role/Cognito_FleetUnauth_Role';

describe('identity pool operations', () => {
  test('stores only the members it is given', async () => {
    const registry = await freshRegistry();
    const record = await putIdentityPool(registry, POOL, { unauthenticatedRoleArn: UNAUTH_ROLE });
    assert.deepEqual(record, { identityPoolId: POOL, unauthenticatedRoleArn: UNAUTH_ROLE });
    assert.deepEqual(Object.keys(requireIdentityPool(registry, POOL)), [
      'identityPoolId',
      'unauthenticatedRoleArn',
    ]);
  });

  test('replaces, lists, reloads and deletes pools', async () => {
    const db = openSqlite(':memory:', MIGRATIONS);
    const registry = await freshRegistry(new FakeClock(), db);
    await putIdentityPool(registry, POOL, { authenticatedRoleArn: AUTH_ROLE });
    await putIdentityPool(registry, POOL, { unauthenticatedRoleArn: UNAUTH_ROLE, lastUsedAt: 5 });
    await putIdentityPool(registry, 'eu-west-1:00aa', {});

    const reloaded = await freshRegistry(new FakeClock(), db);
    assert.deepEqual(
      listIdentityPools(reloaded).map((pool) => pool.identityPoolId),
      ['eu-west-1:00aa', POOL],
    );
    assert.deepEqual(requireIdentityPool(reloaded, POOL), {
      identityPoolId: POOL,
      unauthenticatedRoleArn: UNAUTH_ROLE,
      lastUsedAt: 5,
    });

    await deleteIdentityPool(reloaded, POOL);
    const missing = rejects('ResourceNotFoundException', `Identity pool "${POOL}" does not exist`);
    assert.throws(() => requireIdentityPool(reloaded, POOL), missing);
    await assert.rejects(deleteIdentityPool(reloaded, POOL), missing);
  });
});

describe('identity pool routes', () => {
  let registry: RegistryState;
  let api: TestApi;
  const path = `/warden/iam/identity-pools/${encodeURIComponent(POOL)}`;

  before(async () => {
    registry = await freshRegistry();
    api = await TestApi.start(iamRoutes(registry));
  });

  after(async () => {
    await api?.close();
  });

  test('puts, gets, lists and deletes a pool', async () => {
    const put = await api.call('PUT', path, {
      authenticatedRoleArn: AUTH_ROLE,
      unauthenticatedRoleArn: UNAUTH_ROLE,
      lastUsedAt: '2026-11-30T08:00:00.250+01:00',
    });
    const expected = {
      identityPoolId: POOL,
      authenticatedRoleArn: AUTH_ROLE,
      unauthenticatedRoleArn: UNAUTH_ROLE,
      lastUsedAt: Date.UTC(2026, 10, 30, 7, 0, 0, 250) / 1000,
    };
    assert.equal(put.status, 200);
    assert.deepEqual(put.body, expected);
    assert.deepEqual((await api.call('GET', path)).body, expected);
    assert.deepEqual((await api.call('GET', '/warden/iam/identity-pools')).body, {
      identityPools: [expected],
    });

    assert.equal((await api.call('DELETE', path)).status, 200);
    const afterDelete = await api.call('GET', path);
    assert.equal(afterDelete.status, 404);
    assertApiError(
      afterDelete,
      'ResourceNotFoundException',
      `Identity pool "${POOL}" does not exist`,
    );
  });

  test('rejects invalid pool ids and bodies', async () => {
    const cases: [string, unknown, string][] = [
      [
        '/warden/iam/identity-pools/no-colon',
        {},
        "1 validation error detected: Value 'no-colon' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+",
      ],
      [
        path,
        { authenticatedRole: AUTH_ROLE },
        "1 validation error detected: Unknown field 'authenticatedRole' in the request body",
      ],
      [
        path,
        { unauthenticatedRoleArn: 'Cognito_FleetUnauth_Role' },
        "1 validation error detected: Value 'Cognito_FleetUnauth_Role' at 'unauthenticatedRoleArn' failed to satisfy constraint: Member must be an IAM role ARN, arn:aws:iam::ACCOUNT:role/NAME",
      ],
      [
        path,
        { lastUsedAt: -1 },
        "1 validation error detected: Value '-1' at 'lastUsedAt' failed to satisfy constraint: Member must be an ISO-8601 time with a zone, or epoch seconds",
      ],
      [
        path,
        { lastUsedAt: 1780272000000 },
        "1 validation error detected: Value '1780272000000' at 'lastUsedAt' failed to satisfy constraint: Member must be an ISO-8601 time with a zone, or epoch seconds",
      ],
      [
        path,
        { lastUsedAt: '2026-02-30T00:00:00Z' },
        "1 validation error detected: Value '2026-02-30T00:00:00Z' at 'lastUsedAt' failed to satisfy constraint: Member must be an ISO-8601 time with a zone, or epoch seconds",
      ],
    ];
    for (const [url, body, message] of cases) {
      const response = await api.call('PUT', url, body);
      assert.equal(response.status, 400, message);
      assertApiError(response, 'InvalidRequestException', message);
    }
    assert.equal(registry.get('identityPool', POOL), undefined);
  });
});
