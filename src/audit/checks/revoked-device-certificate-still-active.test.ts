import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { parseCertificatePem } from '../../registry/x509.ts';
import { revokedDeviceCertificateStillActiveCheck as check } from './revoked-device-certificate-still-active.ts';
import { DAY, NOW, reasonCodes, runCheck, TestFleet, type TestDevice } from './test-fleet.ts';

const REVOKED_ON = new Date(NOW - 2 * DAY).toISOString();
const CRL_ISSUED = new Date(NOW - DAY).toISOString();

function serialOf(device: TestDevice): string {
  return parseCertificatePem(device.record.pem).serialNumber;
}

describe('REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK', () => {
  test('finds nothing when the CRL lists only certificates revoked in the registry', async () => {
    const test = new TestFleet();
    const ca = await test.addCa('Fleet CA');
    await test.addDevice(ca, 'sensor-1');
    const retired = await test.addDevice(ca, 'retired-1', { status: 'REVOKED' });
    const parked = await test.addDevice(ca, 'parked-1', { status: 'INACTIVE' });
    await test.addCrl(ca, [retired, parked]);

    const result = await runCheck(check, test.fleet);

    assert.equal(result.totalResourcesCount, 1);
    assert.deepEqual(result.nonCompliant, []);
  });

  test('reports an active certificate on its CA CRL', async () => {
    const test = new TestFleet();
    const ca = await test.addCa('Fleet CA');
    const device = await test.addDevice(ca, 'stolen-1');
    await test.addDevice(ca, 'sensor-2');
    await test.addCrl(ca, [device]);

    const result = await runCheck(check, test.fleet);

    const caId = ca.record.certificateId;
    assert.equal(result.totalResourcesCount, 2);
    assert.deepEqual(result.nonCompliant, [
      {
        resource: {
          resourceType: 'DEVICE_CERTIFICATE',
          resourceIdentifier: { deviceCertificateId: device.record.certificateId },
          additionalInfo: { REVOCATION_TIME: String(NOW - 2 * DAY) },
        },
        relatedResources: [
          { resourceType: 'CA_CERTIFICATE', resourceIdentifier: { caCertificateId: caId } },
        ],
        reasonForNonCompliance: `Certificate is revoked by its issuer but still active: serial number ${serialOf(device)}, revoked on ${REVOKED_ON} by the CRL of CA "${caId}" issued ${CRL_ISSUED}.`,
        reasonForNonComplianceCode: 'CERTIFICATE_REVOKED_BY_ISSUER',
      },
    ]);
  });

  test('reports a PENDING_TRANSFER certificate and an RSA CA CRL', async () => {
    const test = new TestFleet();
    const ca = await test.addCa('RSA Fleet CA', { keyType: 'rsa-2048' });
    const device = await test.addDevice(ca, 'moving-1', { status: 'PENDING_TRANSFER' });
    await test.addCrl(ca, [device]);

    const result = await runCheck(check, test.fleet);

    assert.deepEqual(reasonCodes(result), ['CERTIFICATE_REVOKED_BY_ISSUER']);
  });

  test('finds the issuer by signature when the registry records no CA', async () => {
    const test = new TestFleet();
    const ca = await test.addCa('Fleet CA');
    const device = await test.addDevice(ca, 'orphan-1', { caCertificateId: null });
    await test.addCrl(ca, [device]);

    const result = await runCheck(check, test.fleet);

    assert.deepEqual(
      result.nonCompliant.map((item) => item.resource.resourceIdentifier.deviceCertificateId),
      [device.record.certificateId],
    );
  });

  test('still counts a CRL past its nextUpdate and says so', async () => {
    const test = new TestFleet();
    const ca = await test.addCa('Fleet CA');
    const device = await test.addDevice(ca, 'stolen-1');
    await test.addCrl(ca, [device], { thisUpdate: NOW - 20 * DAY, nextUpdate: NOW - 10 * DAY });

    const result = await runCheck(check, test.fleet);

    const [finding] = result.nonCompliant;
    assert.deepEqual(finding?.resource.additionalInfo, {
      REVOCATION_TIME: String(NOW - 2 * DAY),
      CRL_NEXT_UPDATE: String(NOW - 10 * DAY),
    });
    assert.match(
      finding?.reasonForNonCompliance ?? '',
      new RegExp(`, which is past its nextUpdate of ${new Date(NOW - 10 * DAY).toISOString()}\\.$`),
    );
  });

  test('uses the newest CRL of a CA when several are registered', async () => {
    const test = new TestFleet();
    const ca = await test.addCa('Fleet CA');
    const device = await test.addDevice(ca, 'held-1');
    await test.addCrl(ca, [device], { thisUpdate: NOW - 5 * DAY });
    await test.addCrl(ca, [], { thisUpdate: NOW - DAY });

    const result = await runCheck(check, test.fleet);

    assert.deepEqual(result.nonCompliant, []);
  });

  test('ignores and reports CRLs it cannot trust', async () => {
    const test = new TestFleet();
    const ca = await test.addCa('Fleet CA');
    const impostor = await test.addCa('Impostor CA');
    const device = await test.addDevice(ca, 'sensor-1');
    await test.addCrl(ca, [device], { signWith: impostor.pki });
    await test.addCrl(impostor, [device], { registerFor: ca.record.certificateId });
    test.fleet.crls.push({
      caCertificateId: ca.record.certificateId,
      crlPem: 'not a CRL',
      registeredAt: NOW,
    });
    await test.addCrl(ca, [device], { registerFor: 'f'.repeat(64) });

    const result = await runCheck(check, test.fleet);

    const caId = ca.record.certificateId;
    const registered = new Date(NOW - DAY).toISOString();
    assert.equal(result.totalResourcesCount, 5);
    assert.deepEqual(
      result.nonCompliant.map((item) => [
        item.resource,
        item.reasonForNonComplianceCode,
        item.reasonForNonCompliance,
      ]),
      [
        [
          { resourceType: 'CA_CERTIFICATE', resourceIdentifier: { caCertificateId: caId } },
          'CRL_SIGNATURE_INVALID',
          `CRL registered for CA "${caId}" on ${registered} was ignored: its signature does not verify with the CA's public key.`,
        ],
        [
          { resourceType: 'CA_CERTIFICATE', resourceIdentifier: { caCertificateId: caId } },
          'CRL_ISSUER_MISMATCH',
          `CRL registered for CA "${caId}" on ${registered} was ignored: its issuer "CN=Impostor CA" is not the CA's subject "CN=Fleet CA".`,
        ],
        [
          { resourceType: 'CA_CERTIFICATE', resourceIdentifier: { caCertificateId: caId } },
          'CRL_UNREADABLE',
          result.nonCompliant[2]?.reasonForNonCompliance ?? '',
        ],
        [
          {
            resourceType: 'CA_CERTIFICATE',
            resourceIdentifier: { caCertificateId: 'f'.repeat(64) },
          },
          'CRL_CA_NOT_REGISTERED',
          `CRL registered for CA "${'f'.repeat(64)}" on ${registered} was ignored: no CA certificate with that ID is registered.`,
        ],
      ],
    );
    assert.match(
      result.nonCompliant[2]?.reasonForNonCompliance ?? '',
      new RegExp(
        `^CRL registered for CA "${caId}" on ${new Date(NOW).toISOString()} was ignored: it is not a valid X\\.509 CRL \\(.+[^.]\\)\\.$`,
      ),
    );
  });

  test('takes no configuration', () => {
    assert.equal(check.name, 'REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK');
    assert.equal(check.severity, 'MEDIUM');
    assert.equal(check.enabledByDefault, true);
    assert.match(check.validateConfiguration?.({ X: '1' }) ?? '', /takes no configuration$/);
  });
});
