import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestCa, issueTestCertificate } from '../../testing/pki.ts';
import { loadOfflineFleet, type OfflineFleet } from './load-offline-fleet.ts';
import { formatProblem } from './offline-inputs.ts';
import { ASSUMED_TARGET } from './offline-policies.ts';
import {
  EXPORT_ACCOUNT,
  EXPORT_REGION,
  idOf,
  ROLE_ALIAS_ARN,
  ROLE_ARN,
  writeTestExport,
  type TestExport,
} from './test-export.ts';

async function folderWith(files: Record<string, string>): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'warden-offline-'));
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(folder, file)), { recursive: true });
    await writeFile(path.join(folder, file), text);
  }
  return folder;
}

describe('offline folder of an exported fleet', () => {
  let exported: TestExport;
  let fleet: OfflineFleet;

  before(async () => {
    exported = await writeTestExport();
    fleet = await loadOfflineFleet(exported.folder);
  });
  after(() => rm(exported.folder, { recursive: true, force: true }));

  test('reads every certificate once and sorts CAs by basic constraints', () => {
    const ids = fleet.snapshot.certificates.map((record) => record.certificateId).sort();
    const expected = [
      exported.goodId,
      exported.expiredId,
      exported.rsa1024Id,
      exported.revokedId,
      exported.inactiveId,
    ].sort();
    assert.deepEqual(ids, expected);
    assert.deepEqual(
      fleet.snapshot.caCertificates.map((record) => record.certificateId),
      [exported.caId],
    );
  });

  test('takes statuses from certificates.json and makes the rest ACTIVE', () => {
    const byId = new Map(
      fleet.snapshot.certificates.map((record) => [record.certificateId, record]),
    );
    assert.equal(byId.get(exported.inactiveId)?.status, 'INACTIVE');
    assert.equal(byId.get(exported.inactiveId)?.createdAt, Date.parse('2026-01-05T10:00:00.123Z'));
    assert.equal(byId.get(exported.goodId)?.status, 'ACTIVE');
    assert.equal(byId.get(exported.goodId)?.createdAt, byId.get(exported.goodId)?.notBefore);
    assert.equal(fleet.snapshot.caCertificates[0]?.status, 'ACTIVE');
  });

  test('links device certificates to the CA that issued them', () => {
    for (const record of fleet.snapshot.certificates) {
      assert.equal(record.caCertificateId, exported.caId, record.certificateId);
      assert.equal(record.mode, 'DEFAULT');
    }
  });

  test('assigns the CRL to its CA', () => {
    assert.equal(fleet.snapshot.crls.length, 1);
    assert.equal(fleet.snapshot.crls[0]?.caCertificateId, exported.caId);
    assert.match(fleet.snapshot.crls[0]?.crlPem ?? '', /^-----BEGIN (X509 )?CRL-----/);
  });

  test('reads bare policy documents and get-policy output', () => {
    const policies = fleet.snapshot.policies.map((policy) => [
      policy.policyName,
      policy.defaultVersionId,
      policy.versions.map((version) => version.versionId),
    ]);
    assert.deepEqual(policies, [
      ['open-policy', '1', ['1']],
      ['thing-scoped', '3', ['3']],
    ]);
    assert.deepEqual(fleet.snapshot.policyTargets, {
      'open-policy': [ASSUMED_TARGET],
      'thing-scoped': [ASSUMED_TARGET],
    });
  });

  test('reads the role document and the describe-role-alias output', () => {
    assert.deepEqual(
      fleet.snapshot.roleAliases.map((alias) => [
        alias.roleAlias,
        alias.roleAliasArn,
        alias.roleArn,
      ]),
      [['device-credentials', ROLE_ALIAS_ARN, ROLE_ARN]],
    );
    assert.equal(fleet.snapshot.roles.length, 1);
    assert.equal(fleet.snapshot.roles[0]?.roleArn, ROLE_ARN);
    assert.deepEqual(Object.keys(fleet.snapshot.roles[0]?.serviceLastUsed ?? {}), ['dynamodb']);
  });

  test('reads the logging options and the account from the ARNs', () => {
    assert.deepEqual(fleet.snapshot.logging, {
      defaultLogLevel: 'DISABLED',
      disableAllLogs: false,
      roleArn: `arn:aws:iam::${EXPORT_ACCOUNT}:role/iot-logging`,
    });
    assert.equal(fleet.snapshot.accountId, EXPORT_ACCOUNT);
    assert.equal(fleet.snapshot.region, EXPORT_REGION);
  });

  test('reports each bad file with its name and reason', () => {
    assert.deepEqual(fleet.problems.map(formatProblem), [
      'certs/broken.pem:1: Invalid certificate: error:0680009B:asn1 encoding routines::too long',
      'certs/device-good.key.pem: Holds only a private key, which the audit does not read; expected a "CERTIFICATE" PEM block',
      'notes.json: Not an audit input: expected certificates.json, logging.json, or a JSON file under certificates/, policies/, roles/ or identity-pools/',
      'policies/broken.json: Not valid JSON: Unexpected end of JSON input',
    ]);
    assert.equal(fleet.fileCount, 15);
  });

  test('locates resources in their files', () => {
    const locate = (resourceIdentifier: object) =>
      fleet.sources.locate({ resourceType: 'DEVICE_CERTIFICATE', resourceIdentifier });
    assert.deepEqual(locate({ deviceCertificateId: exported.revokedId }), {
      file: 'certs/bundle.pem',
      line: 1,
    });
    assert.deepEqual(locate({ deviceCertificateId: exported.inactiveId }), {
      file: 'certs/bundle.pem',
      line: 12,
    });
    assert.deepEqual(locate({ caCertificateId: exported.caId }), { file: 'certs/ca.pem', line: 1 });
    assert.deepEqual(
      locate({ policyVersionIdentifier: { policyName: 'thing-scoped', policyVersionId: '3' } }),
      { file: 'policies/thing-scoped.json' },
    );
    assert.deepEqual(locate({ roleAliasArn: ROLE_ALIAS_ARN }), {
      file: 'roles/device-credentials-alias.json',
    });
    assert.deepEqual(locate({ account: EXPORT_ACCOUNT }), { file: 'logging.json' });
  });

  test('lists the inputs the folder provided', () => {
    assert.deepEqual([...fleet.provided].sort(), [
      'caCertificates',
      'certificates',
      'crls',
      'logging',
      'policies',
      'roleAliases',
      'roles',
    ]);
  });
});

describe('offline certificate lists', () => {
  test('reads describe-certificate output with its PEM and statuses by kind', async () => {
    const ca = await createTestCa('Lists CA');
    const device = await issueTestCertificate(ca, 'described');
    const folder = await folderWith({
      'ca.pem': ca.certPem,
      'certificates/described.json': JSON.stringify({
        certificateDescription: {
          certificateArn: `arn:aws:iot:ap-south-1:111122223333:cert/${idOf(device)}`,
          certificateId: idOf(device),
          caCertificateId: idOf(ca),
          status: 'REVOKED',
          certificatePem: device.certPem,
          ownedBy: '111122223333',
          creationDate: 1767225600,
          transferData: null,
        },
      }),
      'certificates/cas.json': JSON.stringify({
        certificates: [{ certificateId: idOf(ca), status: 'INACTIVE', creationDate: 1767225600 }],
      }),
    });
    try {
      const fleet = await loadOfflineFleet(folder);
      assert.deepEqual(fleet.problems, []);
      assert.equal(fleet.snapshot.certificates[0]?.status, 'REVOKED');
      assert.equal(fleet.snapshot.certificates[0]?.createdAt, 1767225600 * 1000);
      assert.equal(fleet.snapshot.caCertificates[0]?.status, 'INACTIVE');
      assert.equal(fleet.snapshot.accountId, '111122223333');
      assert.equal(fleet.snapshot.region, 'ap-south-1');
      assert.deepEqual(
        fleet.sources.locate({
          resourceType: 'DEVICE_CERTIFICATE',
          resourceIdentifier: { deviceCertificateId: idOf(device) },
        }),
        { file: 'certificates/described.json' },
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  test('reports entries it cannot use', async () => {
    const ca = await createTestCa('Bad lists CA');
    const device = await issueTestCertificate(ca, 'listed');
    const other = await issueTestCertificate(ca, 'other');
    const missing = 'ab'.repeat(32);
    const folder = await folderWith({
      'ca.pem': ca.certPem,
      'device.pem': device.certPem,
      'certificates.json': JSON.stringify({
        certificates: [
          { certificateId: idOf(ca), status: 'REVOKED' },
          { certificateId: idOf(device), status: 'ACTIVE' },
          { certificateId: missing, status: 'ACTIVE' },
          { certificateId: 'short', status: 'ACTIVE' },
          { certificateId: idOf(device), status: 'INACTIVE' },
        ],
      }),
      'certificates/wrong-pem.json': JSON.stringify({
        certificateDescription: {
          certificateId: idOf(device),
          status: 'ACTIVE',
          certificatePem: other.certPem,
        },
      }),
      'certificates/other.json': JSON.stringify({ things: [] }),
    });
    try {
      const fleet = await loadOfflineFleet(folder);
      assert.deepEqual(fleet.problems.map(formatProblem), [
        'certificates.json: Invalid value "short" at "certificates[3].certificateId": must match the regular expression /^[0-9a-fA-F]{64}$/',
        `certificates.json: Certificate "${idOf(device)}" at "certificates[4]" has status "INACTIVE", but certificates.json gives "ACTIVE"; the first is used`,
        `certificates.json: Invalid status "REVOKED" at "certificates[0]" for CA certificate "${idOf(ca)}": must be one of ACTIVE, INACTIVE; the certificate is audited as ACTIVE`,
        `certificates.json: Certificate "${missing}" at "certificates[2]" has no PEM in the folder, so it is not audited; add its PEM file or the describe-certificate output`,
        'certificates/other.json: Not a certificate list: expected the output of aws iot list-certificates, list-ca-certificates, describe-certificate or describe-ca-certificate, or a JSON array of their entries',
        `certificates/wrong-pem.json: The certificatePem at "certificateDescription" has id "${idOf(other)}", not the certificateId "${idOf(device)}"; it is not audited`,
      ]);
      assert.equal(fleet.snapshot.caCertificates[0]?.status, 'ACTIVE');
      assert.deepEqual(
        fleet.snapshot.certificates.map((record) => [record.certificateId, record.status]),
        [[idOf(device), 'ACTIVE']],
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('offline policies, roles, identity pools and logging', () => {
  test('merges policy versions and honours a target list', async () => {
    const document = (action: string) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }],
      });
    const folder = await folderWith({
      'policies/versions.json': JSON.stringify([
        {
          policyName: 'fleet',
          policyDocument: document('iot:Connect'),
          policyVersionId: '1',
          isDefaultVersion: false,
        },
        {
          policyName: 'fleet',
          policyDocument: document('iot:Publish'),
          policyVersionId: '2',
          isDefaultVersion: true,
        },
      ]),
      'policies/fleet.targets.json': JSON.stringify({ targets: [] }),
      'policies/ghost.targets.json': JSON.stringify({
        targets: ['arn:aws:iot:us-east-1:123456789012:cert/ab'],
      }),
      'policies/bad name!.json': JSON.stringify({ Statement: [] }),
      'policies/invalid.json': JSON.stringify({
        policyName: 'invalid',
        policyDocument: '{"Statement":[{"Effect":"Maybe","Action":"iot:*","Resource":"*"}]}',
      }),
    });
    try {
      const fleet = await loadOfflineFleet(folder);
      const policy = fleet.snapshot.policies[0];
      assert.equal(fleet.snapshot.policies.length, 1);
      assert.equal(policy?.defaultVersionId, '2');
      assert.equal(policy?.nextVersion, 3);
      assert.deepEqual(fleet.snapshot.policyTargets, { fleet: [] });
      assert.deepEqual(fleet.problems.map(formatProblem), [
        'policies/bad name!.json: Invalid policy name "bad name!" from the file name: must be 1-128 characters of letters, digits and _+=,.@-',
        'policies/ghost.targets.json: Lists the targets of policy "ghost", but the folder has no readable policy of that name',
        `policies/invalid.json: Invalid document of policy "invalid" version 1: ${invalidEffectMessage()}`,
      ]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  test('reads identity pools in both shapes and reports bad role files', async () => {
    const folder = await folderWith({
      'identity-pools/pools.json': JSON.stringify([
        {
          IdentityPoolId: 'us-east-1:0f3e8c1a-0000-4000-8000-000000000001',
          Roles: { authenticated: ROLE_ARN },
        },
        {
          identityPoolId: 'us-east-1:0f3e8c1a-0000-4000-8000-000000000002',
          unauthenticatedRoleArn: ROLE_ARN,
          lastUsedAt: '2026-11-30T00:00:00Z',
        },
      ]),
      'roles/bad.json': JSON.stringify([
        { roleArn: 'arn:aws:iam::123456789012:role/x', policyDocuments: ['{'] },
        { roleName: 'y', roleArn: 'arn:aws:iam::123456789012:role/z', policyDocuments: [] },
        42,
      ]),
      'logging.json': JSON.stringify({ logLevel: 'INFO' }),
    });
    try {
      const fleet = await loadOfflineFleet(folder, { now: 1_000 });
      assert.deepEqual(fleet.snapshot.identityPools, [
        {
          identityPoolId: 'us-east-1:0f3e8c1a-0000-4000-8000-000000000001',
          lastUsedAt: 1_000,
          authenticatedRoleArn: ROLE_ARN,
        },
        {
          identityPoolId: 'us-east-1:0f3e8c1a-0000-4000-8000-000000000002',
          lastUsedAt: Date.parse('2026-11-30T00:00:00Z'),
          unauthenticatedRoleArn: ROLE_ARN,
        },
      ]);
      assert.deepEqual(fleet.snapshot.logging, { defaultLogLevel: 'INFO', disableAllLogs: false });
      assert.deepEqual(fleet.problems.map(formatProblem), [
        'roles/bad.json: Invalid policy document at "[0].policyDocuments[0]": the document is not valid JSON',
        'roles/bad.json: Invalid value "arn:aws:iam::123456789012:role/z" at "[1].roleArn": it names role "z", not "y"',
        'roles/bad.json: Not a role at "[2]": expected a role document { roleArn, policyDocuments, serviceLastUsed } or aws iot describe-role-alias output',
      ]);
      assert.deepEqual(fleet.snapshot.roles, []);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  test('reports a CRL that no CA in the folder issued', async () => {
    const exported = await writeTestExport();
    const stranger = await createTestCa('Stranger CA');
    const other = await folderWith({ 'x.pem': stranger.certPem });
    try {
      await rm(path.join(exported.folder, 'certs', 'ca.pem'));
      await rm(path.join(exported.folder, 'certs', 'device-good.pem'));
      await writeFile(path.join(exported.folder, 'certs', 'stranger.pem'), stranger.certPem);
      const fleet = await loadOfflineFleet(exported.folder);
      const crlProblem = fleet.problems.find((problem) => problem.file === 'crls/fleet-root.crl');
      assert.equal(
        crlProblem?.message,
        'No CA certificate in the folder issued this CRL (issuer "CN=Fleet Root CA")',
      );
      assert.deepEqual(fleet.snapshot.crls, []);
    } finally {
      await rm(exported.folder, { recursive: true, force: true });
      await rm(other, { recursive: true, force: true });
    }
  });

  test('finds nothing readable in a folder of bad files', async () => {
    const folder = await folderWith({
      'a.pem': 'hello',
      'b.crl': Buffer.from([0x30, 0x82, 0x01]).toString('latin1'),
      'logging.json': JSON.stringify({ defaultLogLevel: 'LOUD' }),
    });
    try {
      const fleet = await loadOfflineFleet(folder);
      assert.equal(fleet.provided.size, 0);
      assert.deepEqual(fleet.problems.map(formatProblem), [
        'a.pem: No PEM block found, expected a "CERTIFICATE" PEM block',
        'b.crl: No PEM block found, expected an "X509 CRL" PEM block; convert a DER CRL with "openssl crl -inform DER"',
        'logging.json: Invalid value "LOUD" at "defaultLogLevel": must be one of "DEBUG", "INFO", "ERROR", "WARN", "DISABLED"',
      ]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  test('rejects a path that is not a folder', async () => {
    const folder = await folderWith({ 'file.pem': '' });
    try {
      await assert.rejects(loadOfflineFleet(path.join(folder, 'file.pem')), {
        message: `Cannot read folder "${path.join(folder, 'file.pem')}": it is not a folder`,
      });
      await assert.rejects(loadOfflineFleet(path.join(folder, 'none')), {
        message: `Cannot read folder "${path.join(folder, 'none')}": ENOENT`,
      });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

function invalidEffectMessage(): string {
  return 'the document has no "Version"; Statement[0].Effect "Maybe" is not "Allow" or "Deny"';
}
