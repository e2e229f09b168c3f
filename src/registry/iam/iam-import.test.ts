import assert from 'node:assert/strict';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FakeClock } from '../../core/clock.ts';
import { MIGRATIONS } from '../../service/migrations.ts';
import { openSqlite } from '../../store/sqlite-database.ts';
import { SqliteRegistryStore } from '../../store/sqlite-registry-store.ts';
import { iamRoutes } from '../api/iam-api.ts';
import type { RegistryChange } from '../registry-store.ts';
import { RegistryState } from '../registry.ts';
import {
  importIamFile,
  MAX_IMPORT_FILE_BYTES,
  readIamFile,
  validateIamImport,
} from './iam-import.ts';
import { assertApiError, freshRegistry, rejects, TEST_ACCOUNT, TestApi } from './test-api.ts';

const POOL = 'us-east-1:4f0b7f25-3c8a-4e55-9d1e-0c6f2a9b8e11';
const UPLOADER_ARN = 'arn:aws:iam::123456789012:role/uploader';
const UPLOAD_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::uploads/*' }],
};

interface FleetDocument {
  roles: { roleName: string; policyDocuments: unknown[]; serviceLastUsed?: object }[];
  identityPools: object[];
  roleAliases: { roleAlias: string; roleArn: string }[];
}

function fleetDocument(): FleetDocument {
  return {
    roles: [
      {
        roleName: 'uploader',
        policyDocuments: [UPLOAD_POLICY],
        serviceLastUsed: { s3: '2026-11-01T00:00:00Z' },
      },
      { roleName: 'guest', policyDocuments: [] },
    ],
    identityPools: [{ identityPoolId: POOL, unauthenticatedRoleArn: UPLOADER_ARN }],
    roleAliases: [{ roleAlias: 'uploader-alias', roleArn: UPLOADER_ARN }],
  };
}

/** Creates a registry whose store records the batches it commits. */
async function countingRegistry(clock = new FakeClock()) {
  const store = new SqliteRegistryStore(openSqlite(':memory:', MIGRATIONS));
  const batches: RegistryChange[][] = [];
  const apply = store.apply.bind(store);
  store.apply = async (changes) => {
    batches.push(changes);
    await apply(changes);
  };
  const registry = new RegistryState(store, clock, TEST_ACCOUNT);
  await registry.load();
  return { registry, batches };
}

describe('IAM import', () => {
  test('applies a document in one commit', async () => {
    const clock = new FakeClock();
    const { registry, batches } = await countingRegistry(clock);
    const result = await importIamFile(registry, fleetDocument());

    assert.deepEqual(result, {
      roles: { created: 2, updated: 0, unchanged: 0 },
      identityPools: { created: 1, updated: 0, unchanged: 0 },
      roleAliases: { created: 1, updated: 0, unchanged: 0 },
    });
    assert.equal(batches.length, 1);
    assert.equal(batches[0]?.length, 4);
    assert.deepEqual(registry.get('iamRole', 'uploader'), {
      roleArn: UPLOADER_ARN,
      policyDocuments: [JSON.stringify(UPLOAD_POLICY)],
      serviceLastUsed: { s3: Date.UTC(2026, 10, 1) },
    });
    assert.deepEqual(registry.get('roleAlias', 'uploader-alias'), {
      roleAlias: 'uploader-alias',
      roleAliasArn: 'arn:aws:iot:us-east-1:123456789012:rolealias/uploader-alias',
      roleArn: UPLOADER_ARN,
      credentialDurationSeconds: 3600,
      createdAt: clock.now(),
      lastModifiedAt: clock.now(),
      tags: [],
    });
    assert.deepEqual(registry.get('identityPool', POOL), {
      identityPoolId: POOL,
      unauthenticatedRoleArn: UPLOADER_ARN,
    });
  });

  test('counts unchanged records and keeps alias creation times', async () => {
    const clock = new FakeClock();
    const { registry, batches } = await countingRegistry(clock);
    await importIamFile(registry, fleetDocument());
    const createdAt = clock.now();
    clock.advance(3_600_000);

    const again = await importIamFile(registry, fleetDocument());
    assert.deepEqual(again, {
      roles: { created: 0, updated: 0, unchanged: 2 },
      identityPools: { created: 0, updated: 0, unchanged: 1 },
      roleAliases: { created: 0, updated: 0, unchanged: 1 },
    });
    assert.equal(batches.length, 1);

    const changed = fleetDocument();
    changed.roleAliases = [
      { roleAlias: 'uploader-alias', roleArn: 'arn:aws:iam::123456789012:role/guest' },
    ];
    changed.roles = [{ roleName: 'guest', policyDocuments: [UPLOAD_POLICY] }];
    const result = await importIamFile(registry, changed);
    assert.deepEqual(result.roles, { created: 0, updated: 1, unchanged: 0 });
    assert.deepEqual(result.roleAliases, { created: 0, updated: 1, unchanged: 0 });
    const alias = registry.get('roleAlias', 'uploader-alias');
    assert.equal(alias?.createdAt, createdAt);
    assert.equal(alias?.lastModifiedAt, createdAt + 3_600_000);
    assert.ok(registry.get('iamRole', 'uploader'), 'a role the document leaves out stays');
  });

  test('accepts an empty document without committing', async () => {
    const { registry, batches } = await countingRegistry();
    const empty = { created: 0, updated: 0, unchanged: 0 };
    assert.deepEqual(await importIamFile(registry, {}), {
      roles: empty,
      identityPools: empty,
      roleAliases: empty,
    });
    assert.equal(batches.length, 0);
  });

  test('lists every problem with its path in the document', () => {
    const document = {
      roles: [
        { roleName: 'uploader', policyDocuments: [UPLOAD_POLICY] },
        {
          roleName: 'spoof',
          roleArn: UPLOADER_ARN,
          policyDocuments: [{ Version: '2012-10-17', Statement: [{ Effect: 'Permit' }] }],
        },
        { roleName: 'uploader', policyDocuments: [] },
        { policyDocuments: [], servicesLastUsed: {} },
        'guest',
      ],
      identityPools: [{ identityPoolId: POOL, lastUsedAt: 'last week' }],
      roleAliases: [
        { roleAlias: 'a', roleArn: UPLOADER_ARN, credentialDurationSeconds: 60 },
        { roleAlias: 'b', roleArn: UPLOADER_ARN },
        { roleAlias: 'b', roleArn: UPLOADER_ARN },
        { roleAlias: 'c d', roleArn: 'arn:aws:iam::123456789012:user/bob' },
      ],
    };
    const { plan, problems } = validateIamImport(
      new RegistryState(
        new SqliteRegistryStore(openSqlite(':memory:', MIGRATIONS)),
        new FakeClock(),
        TEST_ACCOUNT,
      ).arns,
      document,
    );
    assert.equal(plan, undefined);
    assert.deepEqual(problems, [
      {
        code: 'role-name-mismatch',
        path: 'roles[1].roleArn',
        message: `Invalid value "${UPLOADER_ARN}" at "roles[1].roleArn": it names role "uploader", not "spoof"`,
      },
      {
        code: 'invalid-value',
        path: 'roles[1].policyDocuments[0].Statement[0].Effect',
        message:
          'Invalid policy document at "roles[1].policyDocuments[0]": Statement[0].Effect "Permit" is not "Allow" or "Deny"',
      },
      {
        code: 'missing',
        path: 'roles[1].policyDocuments[0].Statement[0]',
        message:
          'Invalid policy document at "roles[1].policyDocuments[0]": Statement[0] has no "Action" or "NotAction"',
      },
      {
        code: 'missing',
        path: 'roles[1].policyDocuments[0].Statement[0]',
        message:
          'Invalid policy document at "roles[1].policyDocuments[0]": Statement[0] has no "Resource" or "NotResource"',
      },
      {
        code: 'duplicate',
        path: 'roles[2].roleName',
        message: 'Duplicate role name "uploader" at "roles[2].roleName": roles[0] has it already',
      },
      {
        code: 'missing',
        path: 'roles[3].roleName',
        message: 'Missing required field "roles[3].roleName"',
      },
      {
        code: 'unknown-field',
        path: 'roles[3]',
        message: 'Unknown field "servicesLastUsed" at "roles[3]"',
      },
      {
        code: 'invalid-value',
        path: 'roles[4]',
        message: 'Invalid value "guest" at "roles[4]": must be of type object',
      },
      {
        code: 'invalid-value',
        path: 'identityPools[0].lastUsedAt',
        message:
          'Invalid value "last week" at "identityPools[0].lastUsedAt": must be an ISO-8601 time with a zone, or epoch seconds',
      },
      {
        code: 'invalid-value',
        path: 'roleAliases[0].credentialDurationSeconds',
        message:
          'Invalid value 60 at "roleAliases[0].credentialDurationSeconds": must be at least 900',
      },
      {
        code: 'duplicate',
        path: 'roleAliases[2].roleAlias',
        message:
          'Duplicate role alias "b" at "roleAliases[2].roleAlias": roleAliases[1] has it already',
      },
      {
        code: 'invalid-value',
        path: 'roleAliases[3].roleAlias',
        message:
          'Invalid value "c d" at "roleAliases[3].roleAlias": must match the regular expression /^[\\w=,@-]+$/',
      },
      {
        code: 'invalid-value',
        path: 'roleAliases[3].roleArn',
        message:
          'Invalid value "arn:aws:iam::123456789012:user/bob" at "roleAliases[3].roleArn": must be an IAM role ARN, arn:aws:iam::ACCOUNT:role/NAME',
      },
    ]);
  });

  test('rejects documents that are not of the import shape', () => {
    const arns = new RegistryState(
      new SqliteRegistryStore(openSqlite(':memory:', MIGRATIONS)),
      new FakeClock(),
      TEST_ACCOUNT,
    ).arns;
    const cases: [unknown, { code: string; path: string; message: string }[]][] = [
      [[], [{ code: 'invalid-type', path: '', message: 'The document is not a JSON object' }]],
      [null, [{ code: 'invalid-type', path: '', message: 'The document is not a JSON object' }]],
      [
        { Roles: [] },
        [{ code: 'unknown-field', path: '', message: 'Unknown field "Roles" at the top level' }],
      ],
      [
        { roleAliases: {} },
        [
          {
            code: 'invalid-value',
            path: 'roleAliases',
            message: 'Invalid value {} at "roleAliases": must be of type array',
          },
        ],
      ],
    ];
    for (const [document, expected] of cases) {
      assert.deepEqual(validateIamImport(arns, document).problems, expected);
    }
  });

  test('changes nothing when any entry is invalid', async () => {
    const { registry, batches } = await countingRegistry();
    const document = fleetDocument();
    document.roleAliases.push({ roleAlias: 'late', roleArn: 'not-an-arn-at-all-really' });
    await assert.rejects(
      importIamFile(registry, document, { source: 'fleet-iam.json' }),
      rejects(
        'InvalidRequestException',
        'Invalid IAM import file "fleet-iam.json", 1 problem: Invalid value "not-an-arn-at-all-really" at "roleAliases[1].roleArn": must be an IAM role ARN, arn:aws:iam::ACCOUNT:role/NAME',
      ),
    );
    assert.equal(batches.length, 0);
    assert.equal(registry.all('iamRole').length, 0);
    assert.equal(registry.all('identityPool').length, 0);
    assert.equal(registry.all('roleAlias').length, 0);
  });

  test('shows the first ten problems and counts the rest', async () => {
    const registry = await freshRegistry();
    const roleAliases = Array.from({ length: 12 }, (_, i) => ({ roleAlias: `alias-${i}` }));
    const missing = (i: number) => `Missing required field "roleAliases[${i}].roleArn"`;
    const listed = Array.from({ length: 10 }, (_, i) => missing(i)).join('; ');
    await assert.rejects(
      importIamFile(registry, { roleAliases }),
      rejects(
        'InvalidRequestException',
        `Invalid IAM import document, 12 problems: ${listed}; and 2 more`,
      ),
    );
  });
});

describe('IAM import file', () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'warden-iam-import-'));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('reads a JSON document from a file', async () => {
    const file = path.join(dir, 'fleet-iam.json');
    await writeFile(file, JSON.stringify(fleetDocument(), null, 2));
    assert.deepEqual(await readIamFile(file), fleetDocument());
  });

  test('rejects a file that is not JSON', async () => {
    const file = path.join(dir, 'fleet-iam.yaml');
    await writeFile(file, 'roles:\n  - roleName: uploader\n');
    await assert.rejects(
      readIamFile(file),
      rejects(
        'InvalidRequestException',
        new RegExp(`^Invalid IAM import file "${file}": not valid JSON: `),
      ),
    );
  });

  test('rejects a file past the size limit without reading it', async () => {
    const file = path.join(dir, 'huge.json');
    await writeFile(file, '');
    await truncate(file, MAX_IMPORT_FILE_BYTES + 1);
    await assert.rejects(readIamFile(file), {
      message: `IAM import file "${file}" has ${MAX_IMPORT_FILE_BYTES + 1} bytes, more than the maximum of ${MAX_IMPORT_FILE_BYTES}`,
    });
  });

  test('passes on the error of a missing file', async () => {
    await assert.rejects(readIamFile(path.join(dir, 'absent.json')), { code: 'ENOENT' });
  });
});

describe('IAM import route', () => {
  let api: TestApi;
  let registry: RegistryState;

  before(async () => {
    registry = await freshRegistry();
    api = await TestApi.start(iamRoutes(registry));
  });

  after(async () => {
    await api?.close();
  });

  test('imports a document and returns the counts', async () => {
    const response = await api.call('POST', '/warden/iam/import', fleetDocument());
    assert.equal(response.status, 200);
    assert.deepEqual(response.body.roles, { created: 2, updated: 0, unchanged: 0 });
    const role = await api.call('GET', '/warden/iam/roles/uploader');
    assert.deepEqual(role.body.policyDocuments, [UPLOAD_POLICY]);
  });

  test('rejects an invalid document with the problems', async () => {
    const response = await api.call('POST', '/warden/iam/import', { roles: [{ roleName: 'x' }] });
    assert.equal(response.status, 400);
    assertApiError(
      response,
      'InvalidRequestException',
      'Invalid IAM import document, 1 problem: Missing required field "roles[0].policyDocuments"',
    );
    const empty = await api.call('POST', '/warden/iam/import');
    assertApiError(
      empty,
      'InvalidRequestException',
      'Invalid IAM import document, 1 problem: The document is not a JSON object',
    );
  });
});
