import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { parseCertificatePem } from '../../registry/x509.ts';
import { intermediateCaRevokedForActiveDeviceCertificatesCheck as check } from './intermediate-ca-revoked-for-active-device-certificates.ts';
import { ARNS, DAY, NOW, reasonCodes, runCheck, TestFleet, type TestDevice } from './test-fleet.ts';

function related(device: TestDevice) {
  const id = device.record.certificateId;
  return {
    resourceType: 'DEVICE_CERTIFICATE',
    resourceIdentifier: { deviceCertificateId: id, deviceCertificateArn: ARNS.certificate(id) },
  };
}

describe('INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK', () => {
  test('finds nothing when only a device certificate is revoked', async () => {
    const test = new TestFleet();
    const root = await test.addCa('Root CA');
    const intermediate = await test.addCa('Issuing CA', { parent: root });
    const device = await test.addDevice(intermediate, 'sensor-1');
    await test.addCrl(root, []);
    await test.addCrl(intermediate, [device]);

    const result = await runCheck(check, test.fleet);

    assert.equal(result.totalResourcesCount, 1);
    assert.deepEqual(result.nonCompliant, []);
  });

  test('reports a revoked intermediate with the active devices it issued', async () => {
    const test = new TestFleet();
    const root = await test.addCa('Root CA');
    const intermediate = await test.addCa('Issuing CA', { parent: root });
    const first = await test.addDevice(intermediate, 'sensor-1');
    const second = await test.addDevice(intermediate, 'sensor-2', { status: 'PENDING_TRANSFER' });
    await test.addDevice(intermediate, 'retired-1', { status: 'REVOKED' });
    await test.addDevice(root, 'direct-1');
    await test.addCrl(root, [intermediate]);

    const result = await runCheck(check, test.fleet);

    const id = intermediate.record.certificateId;
    const serial = parseCertificatePem(intermediate.record.pem).serialNumber;
    assert.deepEqual(result.nonCompliant, [
      {
        resource: {
          resourceType: 'ISSUER_CERTIFICATE',
          resourceIdentifier: {
            issuerCertificateIdentifier: {
              issuerCertificateSubject: 'CN=Issuing CA',
              issuerId: id,
              issuerCertificateSerialNumber: serial,
            },
          },
          additionalInfo: { REVOCATION_TIME: String(NOW - 2 * DAY) },
        },
        relatedResources: [related(first), related(second)],
        reasonForNonCompliance: `Intermediate CA "${id}" is revoked by its issuer while 2 active device certificates chain through it: serial number ${serial}, revoked on ${new Date(NOW - 2 * DAY).toISOString()} by the CRL of CA "${root.record.certificateId}" issued ${new Date(NOW - DAY).toISOString()}.`,
        reasonForNonComplianceCode: 'INTERMEDIATE_CA_REVOKED_BY_ISSUER',
      },
    ]);
  });

  test('follows the chain through a lower intermediate and an inactive revoked CA', async () => {
    const test = new TestFleet();
    const root = await test.addCa('Root CA');
    const upper = await test.addCa('Upper CA', { parent: root, status: 'INACTIVE' });
    const lower = await test.addCa('Lower CA', { parent: upper });
    const device = await test.addDevice(lower, 'sensor-1');
    await test.addCrl(root, [upper]);

    const result = await runCheck(check, test.fleet);

    assert.equal(result.totalResourcesCount, 2);
    assert.deepEqual(reasonCodes(result), ['INTERMEDIATE_CA_REVOKED_BY_ISSUER']);
    const [finding] = result.nonCompliant;
    assert.equal(
      finding?.resource.resourceIdentifier.issuerCertificateIdentifier?.issuerId,
      upper.record.certificateId,
    );
    assert.deepEqual(finding?.relatedResources, [related(device)]);
  });

  test('finds nothing when no active device chains through the revoked intermediate', async () => {
    const test = new TestFleet();
    const root = await test.addCa('Root CA');
    const intermediate = await test.addCa('Issuing CA', { parent: root });
    await test.addDevice(intermediate, 'retired-1', { status: 'INACTIVE' });
    await test.addCrl(root, [intermediate]);

    const result = await runCheck(check, test.fleet);

    assert.deepEqual(result.nonCompliant, []);
  });

  test('reports a CRL from another issuer instead of trusting it', async () => {
    const test = new TestFleet();
    const root = await test.addCa('Root CA');
    const other = await test.addCa('Other CA');
    const intermediate = await test.addCa('Issuing CA', { parent: root });
    await test.addDevice(intermediate, 'sensor-1');
    await test.addCrl(other, [intermediate], { registerFor: root.record.certificateId });

    const result = await runCheck(check, test.fleet);

    assert.deepEqual(reasonCodes(result), ['CRL_ISSUER_MISMATCH']);
    assert.equal(result.totalResourcesCount, 2);
  });

  test('takes no configuration', () => {
    assert.equal(check.severity, 'CRITICAL');
    assert.equal(check.enabledByDefault, true);
    assert.match(check.validateConfiguration?.({ X: '1' }) ?? '', /takes no configuration$/);
  });
});
