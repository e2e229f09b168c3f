import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreatePolicyCommand,
  CreateThingCommand,
  DeleteCACertificateCommand,
  DeleteCertificateCommand,
  DescribeCACertificateCommand,
  DescribeCertificateCommand,
  ListAttachedPoliciesCommand,
  ListCACertificatesCommand,
  ListCertificatesCommand,
  RegisterCACertificateCommand,
  RegisterCertificateCommand,
  RegisterCertificateWithoutCACommand,
  UpdateCACertificateCommand,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import { TestWarden, thingScopedPolicy } from '../../testing/harness.ts';
import {
  createSelfSignedTestCertificate,
  createTestCa,
  issueTestCertificate,
  type TestCertificate,
} from '../../testing/pki.ts';
import { ContractClient } from './contract-client.ts';

const ACCOUNT = 'arn:aws:iot:us-east-1:123456789012';
const DAY_MS = 24 * 3600 * 1000;

describe('certificates through the AWS SDK', () => {
  let warden: TestWarden;
  let iot: ContractClient;
  let ca: TestCertificate;
  let caId: string;

  before(async () => {
    warden = await TestWarden.start();
    iot = new ContractClient(warden.endpoints.http);
    ca = await createTestCa('Fleet CA');
    const verification = await issueTestCertificate(ca, 'verification');
    const registered = await iot.send(
      new RegisterCACertificateCommand({
        caCertificate: ca.certPem,
        verificationCertificate: verification.certPem,
        setAsActive: true,
        allowAutoRegistration: false,
      }),
    );
    caId = registered.certificateId ?? '';
    assert.equal(registered.certificateArn, `${ACCOUNT}:cacert/${caId}`);
  });

  after(async () => {
    iot?.sdk.destroy();
    await warden?.stop();
  });

  test('describes, lists and updates a CA certificate', async () => {
    const { certificateDescription: ca1 } = await iot.send(
      new DescribeCACertificateCommand({ certificateId: caId }),
    );
    assert.equal(ca1?.certificateId, caId);
    assert.equal(ca1?.status, 'ACTIVE');
    assert.equal(ca1?.autoRegistrationStatus, 'DISABLE');
    assert.equal(ca1?.certificateMode, 'DEFAULT');
    assert.equal(ca1?.ownedBy, '123456789012');
    assert.equal(ca1?.customerVersion, 1);
    assert.equal(ca1?.certificatePem, ca.certPem);
    assert.ok(ca1?.validity?.notAfter instanceof Date);
    assert.ok(
      Math.abs((ca1?.validity?.notAfter?.getTime() ?? 0) - ca.certificate.notAfter.getTime()) <
        1000,
    );

    await iot.send(
      new UpdateCACertificateCommand({
        certificateId: caId,
        newStatus: 'INACTIVE',
        newAutoRegistrationStatus: 'ENABLE',
      }),
    );
    const { certificates } = await iot.send(new ListCACertificatesCommand({}));
    assert.deepEqual(
      certificates?.map((entry) => [entry.certificateId, entry.status]),
      [[caId, 'INACTIVE']],
    );
    const { certificateDescription: ca2 } = await iot.send(
      new DescribeCACertificateCommand({ certificateId: caId }),
    );
    assert.equal(ca2?.autoRegistrationStatus, 'ENABLE');
    assert.equal(ca2?.customerVersion, 2);
    await iot.send(new UpdateCACertificateCommand({ certificateId: caId, newStatus: 'ACTIVE' }));
  });

  test('registers a chained certificate once', async () => {
    const device = await issueTestCertificate(ca, 'device-1');
    const registered = await iot.send(
      new RegisterCertificateCommand({
        certificatePem: device.certPem,
        caCertificatePem: ca.certPem,
        status: 'ACTIVE',
      }),
    );
    const id = registered.certificateId ?? '';
    assert.match(id, /^[0-9a-f]{64}$/);
    assert.equal(registered.certificateArn, `${ACCOUNT}:cert/${id}`);

    const { certificateDescription } = await iot.send(
      new DescribeCertificateCommand({ certificateId: id }),
    );
    assert.equal(certificateDescription?.status, 'ACTIVE');
    assert.equal(certificateDescription?.caCertificateId, caId);
    assert.equal(certificateDescription?.certificateMode, 'DEFAULT');
    assert.equal(certificateDescription?.certificatePem, device.certPem);
    assert.ok(certificateDescription?.creationDate instanceof Date);

    const error = await iot.expectError(
      iot.send(new RegisterCertificateCommand({ certificatePem: device.certPem })),
      'ResourceAlreadyExistsException',
      `Certificate "${id}" is already registered`,
    );
    assert.equal(error['resourceId'], id);
    assert.equal(error['resourceArn'], `${ACCOUNT}:cert/${id}`);
  });

  test('rejects certificates that do not chain or are expired', async () => {
    const stranger = await issueTestCertificate(await createTestCa('Other CA'), 'stranger');
    await iot.expectError(
      iot.send(new RegisterCertificateCommand({ certificatePem: stranger.certPem })),
      'CertificateValidationException',
      /^Cannot register certificate "[0-9a-f]{64}": it is not signed by a registered CA certificate/,
    );
    const expired = await issueTestCertificate(ca, 'expired', {
      notBefore: new Date(Date.now() - 10 * DAY_MS),
      notAfter: new Date(Date.now() - DAY_MS),
    });
    await iot.expectError(
      iot.send(new RegisterCertificateCommand({ certificatePem: expired.certPem })),
      'CertificateValidationException',
      /it expired on/,
    );
    await iot.expectError(
      iot.send(
        new RegisterCertificateCommand({ certificatePem: '-----BEGIN CERTIFICATE-----\nAAAA\n' }),
      ),
      'CertificateValidationException',
    );
  });

  test('registers a certificate without a CA as SNI_ONLY', async () => {
    const device = await createSelfSignedTestCertificate('no-ca');
    const { certificateId } = await iot.send(
      new RegisterCertificateWithoutCACommand({
        certificatePem: device.certPem,
        status: 'INACTIVE',
      }),
    );
    const { certificateDescription } = await iot.send(
      new DescribeCertificateCommand({ certificateId }),
    );
    assert.equal(certificateDescription?.certificateMode, 'SNI_ONLY');
    assert.equal(certificateDescription?.status, 'INACTIVE');
    assert.equal(certificateDescription?.caCertificateId, undefined);
    await iot.expectError(
      iot.send(new RegisterCertificateWithoutCACommand({ certificatePem: device.certPem })),
      'ResourceAlreadyExistsException',
    );
  });

  test('lists certificates newest first unless ascending', async () => {
    const { certificates: newest } = await iot.send(new ListCertificatesCommand({}));
    const { certificates: oldest } = await iot.send(
      new ListCertificatesCommand({ ascendingOrder: true }),
    );
    assert.ok((newest?.length ?? 0) >= 2);
    assert.deepEqual(
      oldest?.map((entry) => entry.certificateId),
      newest?.map((entry) => entry.certificateId).reverse(),
    );
    for (const entry of newest ?? []) assert.ok(entry.creationDate instanceof Date);
  });

  test('enforces status rules on update and delete', async () => {
    const device = await issueTestCertificate(ca, 'device-2');
    const { certificateId, certificateArn } = await iot.send(
      new RegisterCertificateCommand({ certificatePem: device.certPem, setAsActive: true }),
    );
    await iot.expectError(
      iot.send(new DeleteCertificateCommand({ certificateId })),
      'CertificateStateException',
      `Cannot delete certificate "${certificateId}": it is ACTIVE; deactivate it first`,
    );
    await iot.send(new UpdateCertificateCommand({ certificateId, newStatus: 'REVOKED' }));
    await iot.expectError(
      iot.send(new UpdateCertificateCommand({ certificateId, newStatus: 'ACTIVE' })),
      'CertificateStateException',
      `Cannot activate certificate "${certificateId}": it is revoked`,
    );
    await iot.expectError(
      iot.send(new UpdateCertificateCommand({ certificateId, newStatus: 'PENDING_TRANSFER' })),
      'CertificateStateException',
    );

    await iot.send(new CreateThingCommand({ thingName: 'device-2' }));
    await iot.send(
      new AttachThingPrincipalCommand({ thingName: 'device-2', principal: certificateArn }),
    );
    await iot.expectError(
      iot.send(new DeleteCertificateCommand({ certificateId })),
      'DeleteConflictException',
      `Cannot delete certificate "${certificateId}": it is attached to thing(s) device-2`,
    );
  });

  test('forceDelete detaches policies from an inactive certificate', async () => {
    const device = await issueTestCertificate(ca, 'device-3');
    const { certificateId, certificateArn } = await iot.send(
      new RegisterCertificateCommand({ certificatePem: device.certPem, status: 'INACTIVE' }),
    );
    await iot.send(
      new CreatePolicyCommand({
        policyName: 'cert-policy',
        policyDocument: JSON.stringify(thingScopedPolicy()),
      }),
    );
    await iot.send(new AttachPolicyCommand({ policyName: 'cert-policy', target: certificateArn }));
    await iot.expectError(
      iot.send(new DeleteCertificateCommand({ certificateId })),
      'DeleteConflictException',
    );
    await iot.send(new DeleteCertificateCommand({ certificateId, forceDelete: true }));
    await iot.expectError(
      iot.send(new DescribeCertificateCommand({ certificateId })),
      'ResourceNotFoundException',
      `Certificate "${certificateId}" does not exist`,
    );
    await iot.expectError(
      iot.send(new ListAttachedPoliciesCommand({ target: certificateArn })),
      'ResourceNotFoundException',
    );
  });

  test('deletes a CA certificate only when inactive', async () => {
    const other = await createTestCa('Short-lived CA');
    const { certificateId } = await iot.send(
      new RegisterCACertificateCommand({ caCertificate: other.certPem, setAsActive: true }),
    );
    await iot.expectError(
      iot.send(new RegisterCACertificateCommand({ caCertificate: other.certPem })),
      'ResourceAlreadyExistsException',
    );
    await iot.expectError(
      iot.send(new DeleteCACertificateCommand({ certificateId })),
      'CertificateStateException',
      `Cannot delete CA certificate "${certificateId}": it is ACTIVE; deactivate it first`,
    );
    await iot.send(new UpdateCACertificateCommand({ certificateId, newStatus: 'INACTIVE' }));
    await iot.send(new DeleteCACertificateCommand({ certificateId }));
    await iot.expectError(
      iot.send(new DescribeCACertificateCommand({ certificateId })),
      'ResourceNotFoundException',
      `CA certificate "${certificateId}" does not exist`,
    );
  });

  test('rejects a non-CA or unverified CA certificate', async () => {
    const leaf = await createSelfSignedTestCertificate('not-a-ca');
    await iot.expectError(
      iot.send(new RegisterCACertificateCommand({ caCertificate: leaf.certPem })),
      'CertificateValidationException',
      /its basic constraints do not mark it as a CA$/,
    );
    const other = await createTestCa('Unproven CA');
    const foreign = await issueTestCertificate(ca, 'foreign-verification');
    await iot.expectError(
      iot.send(
        new RegisterCACertificateCommand({
          caCertificate: other.certPem,
          verificationCertificate: foreign.certPem,
        }),
      ),
      'CertificateValidationException',
      /the verification certificate is not signed by it$/,
    );
  });

  test('rejects malformed ids and unknown members', async () => {
    await iot.expectError(
      iot.send(new DescribeCertificateCommand({ certificateId: 'abc' })),
      'InvalidRequestException',
      "1 validation error detected: Value 'abc' at 'certificateId' failed to satisfy constraint: Member must have length greater than or equal to 64",
    );
    const unknown = await iot.raw('RegisterCertificate', 'POST', '/certificate/register', {
      certificatePem: 'x',
      ownerId: 'me',
    });
    assert.equal(unknown.errorType, 'InvalidRequestException');
    assert.equal(
      unknown.body.message,
      "1 validation error detected: Unknown field 'ownerId' in the request body",
    );
  });
});
