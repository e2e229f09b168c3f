import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { FakeClock } from '../core/clock.ts';
import { WardenError } from '../core/errors.ts';
import { MIGRATIONS } from '../service/migrations.ts';
import { openSqlite } from '../store/sqlite-database.ts';
import { SqliteRegistryStore } from '../store/sqlite-registry-store.ts';
import {
  createSelfSignedTestCertificate,
  createTestCa,
  issueTestCertificate,
  type TestCertificate,
} from '../testing/pki.ts';
import {
  deleteCertificate,
  registerCaCertificate,
  registerCertificate,
  updateCertificateStatus,
} from './certificates.ts';
import { RegistryState } from './registry.ts';

async function freshRegistry(clock = new FakeClock(Date.now())): Promise<RegistryState> {
  const registry = new RegistryState(
    new SqliteRegistryStore(openSqlite(':memory:', MIGRATIONS)),
    clock,
    { region: 'us-east-1', accountId: '123456789012' },
  );
  await registry.load();
  return registry;
}

function rejects(code: string, message: string | RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof WardenError, `expected a WardenError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  };
}

describe('certificate registration', () => {
  let ca: TestCertificate;
  let otherCa: TestCertificate;
  let device: TestCertificate;

  before(async () => {
    ca = await createTestCa('Fleet CA');
    otherCa = await createTestCa('Other CA');
    device = await issueTestCertificate(ca, 'sensor-1', { keyType: 'rsa-2048' });
  });

  test('records the fingerprint, validity and CA of a chained certificate', async () => {
    const registry = await freshRegistry();
    const caRecord = await registerCaCertificate(registry, {
      caCertificate: ca.certPem,
      setAsActive: true,
      allowAutoRegistration: false,
    });
    const record = await registerCertificate(registry, {
      certificatePem: device.certPem,
      status: 'ACTIVE',
      withoutCa: false,
    });

    assert.match(record.certificateId, /^[0-9a-f]{64}$/);
    assert.equal(record.caCertificateId, caRecord.certificateId);
    assert.equal(record.mode, 'DEFAULT');
    assert.equal(record.notAfter, device.certificate.notAfter.getTime());
  });

  test('rejects a certificate signed by an unregistered CA', async () => {
    const registry = await freshRegistry();
    await registerCaCertificate(registry, {
      caCertificate: otherCa.certPem,
      setAsActive: true,
      allowAutoRegistration: false,
    });
    await assert.rejects(
      registerCertificate(registry, { certificatePem: device.certPem, withoutCa: false }),
      rejects(
        'CertificateValidationException',
        /it is not signed by a registered CA certificate; register its CA first or use RegisterCertificateWithoutCA$/,
      ),
    );
  });

  test('rejects a caCertificatePem that did not sign the certificate', async () => {
    const registry = await freshRegistry();
    const other = await registerCaCertificate(registry, {
      caCertificate: otherCa.certPem,
      setAsActive: true,
      allowAutoRegistration: false,
    });
    await assert.rejects(
      registerCertificate(registry, {
        certificatePem: device.certPem,
        caCertificatePem: otherCa.certPem,
        withoutCa: false,
      }),
      rejects(
        'CertificateValidationException',
        new RegExp(`is not signed by CA certificate "${other.certificateId}"$`),
      ),
    );
  });

  test('registers a self-signed certificate without a CA', async () => {
    const registry = await freshRegistry();
    const selfSigned = await createSelfSignedTestCertificate('gateway-1');
    const record = await registerCertificate(registry, {
      certificatePem: selfSigned.certPem,
      withoutCa: true,
    });
    assert.equal(record.mode, 'SNI_ONLY');
    assert.equal(record.status, 'INACTIVE');
    assert.equal(record.caCertificateId, undefined);
  });

  test('rejects an expired certificate and one not yet valid', async () => {
    const registry = await freshRegistry();
    const expired = await createSelfSignedTestCertificate('old', {
      notBefore: new Date(Date.now() - 10 * 86400000),
      notAfter: new Date(Date.now() - 86400000),
    });
    const future = await createSelfSignedTestCertificate('new', {
      notBefore: new Date(Date.now() + 86400000),
    });
    await assert.rejects(
      registerCertificate(registry, { certificatePem: expired.certPem, withoutCa: true }),
      rejects('CertificateValidationException', /: it expired on \d{4}-/),
    );
    await assert.rejects(
      registerCertificate(registry, { certificatePem: future.certPem, withoutCa: true }),
      rejects('CertificateValidationException', /: it is not valid before \d{4}-/),
    );
  });

  test('rejects text that is not one PEM certificate', async () => {
    const registry = await freshRegistry();
    const cases: [string, string | RegExp][] = [
      [
        'hello',
        'Invalid certificate: expected one PEM certificate, found no PEM certificate block',
      ],
      [
        device.certPem + device.certPem,
        'Invalid certificate: expected one PEM certificate, found 2 certificate blocks',
      ],
      ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', /^Invalid certificate: /],
    ];
    for (const [pem, message] of cases) {
      await assert.rejects(
        registerCertificate(registry, { certificatePem: pem, withoutCa: true }),
        rejects('CertificateValidationException', message),
      );
    }
  });

  test('rejects a second registration of the same certificate', async () => {
    const registry = await freshRegistry();
    const record = await registerCertificate(registry, {
      certificatePem: device.certPem,
      withoutCa: true,
    });
    await assert.rejects(
      registerCertificate(registry, { certificatePem: device.certPem, withoutCa: true }),
      rejects(
        'ResourceAlreadyExistsException',
        `Certificate "${record.certificateId}" is already registered`,
      ),
    );
  });

  test('rejects a CA certificate registered as a device certificate', async () => {
    const registry = await freshRegistry();
    await registerCaCertificate(registry, {
      caCertificate: ca.certPem,
      setAsActive: true,
      allowAutoRegistration: false,
    });
    await assert.rejects(
      registerCertificate(registry, { certificatePem: ca.certPem, withoutCa: false }),
      rejects(
        'CertificateValidationException',
        /: its basic constraints mark it as a CA; register it with RegisterCACertificate$/,
      ),
    );
    await assert.rejects(
      registerCertificate(registry, { certificatePem: ca.certPem, withoutCa: true }),
      rejects(
        'CertificateValidationException',
        /: its basic constraints mark it as a CA; register it with RegisterCACertificate$/,
      ),
    );
  });

  test('rejects a CA certificate without the CA basic constraint', async () => {
    const registry = await freshRegistry();
    await assert.rejects(
      registerCaCertificate(registry, {
        caCertificate: device.certPem,
        setAsActive: true,
        allowAutoRegistration: false,
      }),
      rejects('CertificateValidationException', /: its basic constraints do not mark it as a CA$/),
    );
  });

  test('keeps a revoked certificate from becoming active again', async () => {
    const registry = await freshRegistry();
    const record = await registerCertificate(registry, {
      certificatePem: device.certPem,
      withoutCa: true,
      status: 'ACTIVE',
    });
    await updateCertificateStatus(registry, record.certificateId, 'REVOKED');
    await assert.rejects(
      updateCertificateStatus(registry, record.certificateId, 'ACTIVE'),
      rejects(
        'CertificateStateException',
        `Cannot activate certificate "${record.certificateId}": it is revoked`,
      ),
    );
  });

  test('refuses to delete an active certificate', async () => {
    const registry = await freshRegistry();
    const record = await registerCertificate(registry, {
      certificatePem: device.certPem,
      withoutCa: true,
      status: 'ACTIVE',
    });
    await assert.rejects(
      deleteCertificate(registry, record.certificateId, false),
      rejects(
        'CertificateStateException',
        `Cannot delete certificate "${record.certificateId}": it is ACTIVE; deactivate it first`,
      ),
    );
  });

  test('keeps registrations across a reload of the store', async () => {
    const db = openSqlite(':memory:', MIGRATIONS);
    const clock = new FakeClock(Date.now());
    const first = new RegistryState(new SqliteRegistryStore(db), clock, {
      region: 'us-east-1',
      accountId: '123456789012',
    });
    await first.load();
    const record = await registerCertificate(first, {
      certificatePem: device.certPem,
      withoutCa: true,
      status: 'ACTIVE',
    });

    const second = new RegistryState(new SqliteRegistryStore(db), clock, {
      region: 'us-east-1',
      accountId: '123456789012',
    });
    await second.load();
    assert.equal(second.get('certificate', record.certificateId)?.status, 'ACTIVE');
  });
});
