import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { parseCertificatePem } from '../../registry/x509.ts';
import { revokedCaCertificateStillActiveCheck as check } from './revoked-ca-certificate-still-active.ts';
import { DAY, NOW, reasonCodes, runCheck, TestFleet } from './test-fleet.ts';

describe('REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK', () => {
  test('finds nothing in a clean chain', async () => {
    const test = new TestFleet();
    const root = await test.addCa('Root CA');
    const intermediate = await test.addCa('Issuing CA', { parent: root });
    await test.addDevice(intermediate, 'sensor-1');
    await test.addCrl(root, []);

    const result = await runCheck(check, test.fleet);

    assert.equal(result.totalResourcesCount, 2);
    assert.deepEqual(result.nonCompliant, []);
  });

  test('reports an active CA on the CRL of the CA that issued it', async () => {
    const test = new TestFleet();
    const root = await test.addCa('Root CA');
    const intermediate = await test.addCa('Issuing CA', { parent: root });
    await test.addCrl(root, [intermediate]);

    const result = await runCheck(check, test.fleet);

    const rootId = root.record.certificateId;
    const serial = parseCertificatePem(intermediate.record.pem).serialNumber;
    assert.deepEqual(result.nonCompliant, [
      {
        resource: {
          resourceType: 'CA_CERTIFICATE',
          resourceIdentifier: { caCertificateId: intermediate.record.certificateId },
          additionalInfo: { REVOCATION_TIME: String(NOW - 2 * DAY) },
        },
        relatedResources: [
          { resourceType: 'CA_CERTIFICATE', resourceIdentifier: { caCertificateId: rootId } },
        ],
        reasonForNonCompliance: `CA certificate is revoked by its issuer but still active: serial number ${serial}, revoked on ${new Date(NOW - 2 * DAY).toISOString()} by the CRL of CA "${rootId}" issued ${new Date(NOW - DAY).toISOString()}.`,
        reasonForNonComplianceCode: 'CERTIFICATE_REVOKED_BY_ISSUER',
      },
    ]);
  });

  test('ignores an INACTIVE CA and a root listed on its own CRL', async () => {
    const test = new TestFleet();
    const root = await test.addCa('Root CA');
    const retired = await test.addCa('Retired CA', { parent: root, status: 'INACTIVE' });
    await test.addCrl(root, [retired, root]);

    const result = await runCheck(check, test.fleet);

    assert.equal(result.totalResourcesCount, 1);
    assert.deepEqual(result.nonCompliant, []);
  });

  test('ignores a revocation on a CRL whose signature does not verify', async () => {
    const test = new TestFleet();
    const root = await test.addCa('Root CA');
    const other = await test.addCa('Other CA');
    const intermediate = await test.addCa('Issuing CA', { parent: root });
    await test.addCrl(root, [intermediate], { signWith: other.pki });

    const result = await runCheck(check, test.fleet);

    assert.deepEqual(reasonCodes(result), ['CRL_SIGNATURE_INVALID']);
    assert.deepEqual(result.nonCompliant[0]?.resource.resourceIdentifier, {
      caCertificateId: root.record.certificateId,
    });
  });

  test('takes no configuration', () => {
    assert.equal(check.name, 'REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK');
    assert.equal(check.severity, 'CRITICAL');
    assert.equal(check.enabledByDefault, true);
    assert.match(check.validateConfiguration?.({ X: '1' }) ?? '', /takes no configuration$/);
  });
});
