import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { FakeClock } from '../../core/clock.ts';
import { MIGRATIONS } from '../../service/migrations.ts';
import { openSqlite } from '../../store/sqlite-database.ts';
import { createTestCa, type TestCertificate } from '../../testing/pki.ts';
import { crlRoutes } from '../api/crl-api.ts';
import { registerCaCertificate } from '../certificates.ts';
import type { RegistryState } from '../registry.ts';
import { normalizeSerialNumber, parseCrlPem } from './crl-pem.ts';
import { deleteCrl, describeCrl, putCrl, requireCrl } from './crls.ts';
import { assertApiError, freshRegistry, rejects, TestApi } from './test-api.ts';

const HOUR_MS = 3600 * 1000;

interface CrlOptions {
  thisUpdate?: Date;
  nextUpdate?: Date;
  serials?: string[];
  extensions?: x509.Extension[];
  /** The key and algorithm that sign, when not the issuer's own. */
  signer?: TestCertificate;
}

/** Makes a real CRL for `issuer` with @peculiar/x509. */
async function makeCrl(issuer: TestCertificate, options: CrlOptions = {}): Promise<string> {
  const signer = options.signer ?? issuer;
  const thisUpdate = options.thisUpdate ?? new Date(Date.now() - HOUR_MS);
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuer.certificate.subject,
    thisUpdate,
    nextUpdate: options.nextUpdate ?? new Date(thisUpdate.getTime() + 24 * HOUR_MS),
    signingAlgorithm: signer.algorithm,
    signingKey: signer.keys.privateKey,
    entries: (options.serials ?? []).map((serialNumber) => ({
      serialNumber,
      revocationDate: thisUpdate,
      reason: x509.X509CrlReason.keyCompromise,
    })),
    ...(options.extensions ? { extensions: options.extensions } : {}),
  });
  return `${crl.toString('pem')}\n`;
}

/** Creates a CA certificate whose key usage allows signing certificates but not CRLs. */
async function caWithoutCrlSign(): Promise<TestCertificate> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=Issuing Only CA',
    notBefore: new Date(Date.now() - 24 * HOUR_MS),
    notAfter: new Date(Date.now() + 24 * HOUR_MS),
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
    ],
  });
  return { certPem: certificate.toString('pem'), keyPem: '', keys, certificate, algorithm };
}

async function registerCa(registry: RegistryState, ca: TestCertificate): Promise<string> {
  const record = await registerCaCertificate(registry, {
    caCertificate: ca.certPem,
    setAsActive: true,
    allowAutoRegistration: false,
  });
  return record.certificateId;
}

describe('CRL registration', () => {
  let ca: TestCertificate;
  let sameNameCa: TestCertificate;
  let otherCa: TestCertificate;

  before(async () => {
    ca = await createTestCa('Fleet CA');
    sameNameCa = await createTestCa('Fleet CA');
    otherCa = await createTestCa('Other CA', { keyType: 'rsa-2048' });
  });

  test('stores a CRL signed by the CA and reads its facts', async () => {
    const clock = new FakeClock(Date.now());
    const registry = await freshRegistry(clock);
    const id = await registerCa(registry, ca);
    const thisUpdate = new Date(Math.floor(Date.now() / 1000) * 1000 - HOUR_MS);
    const nextUpdate = new Date(thisUpdate.getTime() + 7 * 24 * HOUR_MS);
    const pem = await makeCrl(ca, { thisUpdate, nextUpdate, serials: ['0a1b', '00ff', '7f'] });

    const record = await putCrl(registry, id.toUpperCase(), pem);
    assert.deepEqual(record, { caCertificateId: id, crlPem: pem, registeredAt: clock.now() });
    assert.deepEqual(describeCrl(requireCrl(registry, id)), {
      caCertificateId: id,
      crlPem: pem,
      issuer: 'CN=Fleet CA',
      thisUpdate: thisUpdate.getTime(),
      nextUpdate: nextUpdate.getTime(),
      revokedCertificateCount: 3,
      registeredAt: clock.now(),
    });
    assert.deepEqual(parseCrlPem(pem).revokedSerialNumbers, ['a1b', 'ff', '7f']);
  });

  test('accepts the RFC 7468 "X509 CRL" label and an RSA CA', async () => {
    const registry = await freshRegistry(new FakeClock(Date.now()));
    const id = await registerCa(registry, otherCa);
    const pem = (await makeCrl(otherCa)).replace(
      /-----(BEGIN|END) CRL-----/g,
      '-----$1 X509 CRL-----',
    );
    const record = await putCrl(registry, id, `Issued by Other CA\n${pem}`);
    assert.equal(record.crlPem, pem);
  });

  test('rejects a CRL that is not one PEM CRL', async () => {
    const registry = await freshRegistry(new FakeClock(Date.now()));
    const id = await registerCa(registry, ca);
    const crl = await makeCrl(ca);
    const certificateAsCrl = ca.certPem
      .replace('BEGIN CERTIFICATE', 'BEGIN CRL')
      .replace('END CERTIFICATE', 'END CRL');
    const cases: [string, string][] = [
      ['hello', 'Invalid CRL: expected one PEM "X509 CRL" block, found none'],
      [ca.certPem, 'Invalid CRL: expected one PEM "X509 CRL" block, found none'],
      [crl + crl, 'Invalid CRL: expected one PEM "X509 CRL" block, found 2 CRL blocks'],
      [
        '-----BEGIN X509 CRL-----\n%%%%\n-----END X509 CRL-----\n',
        'Invalid CRL: the PEM block does not decode as a CRL: its body is not base64',
      ],
      [
        certificateAsCrl,
        'Invalid CRL: the PEM block does not decode as a CRL: Data does not match to TBSCertList ASN1 schema',
      ],
    ];
    for (const [pem, message] of cases) {
      await assert.rejects(putCrl(registry, id, pem), rejects('InvalidRequestException', message));
    }
    assert.equal(registry.get('crl', id), undefined);
  });

  test('rejects a CRL the CA did not issue', async () => {
    const registry = await freshRegistry(new FakeClock(Date.now()));
    const id = await registerCa(registry, ca);
    // X.509 times hold whole seconds, so the test uses one to compare the messages exactly.
    const thisUpdate = new Date(Math.floor(Date.now() / 1000) * 1000 - HOUR_MS);
    const nextUpdate = new Date(thisUpdate.getTime() - HOUR_MS);
    const deltaIndicator = new x509.Extension('2.5.29.27', true, new Uint8Array([2, 1, 1]));
    const cases: [Promise<string>, string][] = [
      [
        makeCrl(ca, { signer: sameNameCa }),
        "its signature does not verify with the CA certificate's public key",
      ],
      [
        makeCrl(ca, { signer: otherCa }),
        "its signature does not verify with the CA certificate's public key",
      ],
      [makeCrl(otherCa), 'its issuer "CN=Other CA" is not the CA\'s subject "CN=Fleet CA"'],
      [makeCrl(ca, { extensions: [deltaIndicator] }), 'it is a delta CRL; register a complete CRL'],
      [
        makeCrl(ca, { thisUpdate, nextUpdate }),
        `its nextUpdate ${nextUpdate.toISOString()} is before its thisUpdate ${thisUpdate.toISOString()}`,
      ],
    ];
    for (const [pem, reason] of cases) {
      await assert.rejects(
        putCrl(registry, id, await pem),
        rejects('InvalidRequestException', `Invalid CRL for CA certificate "${id}": ${reason}`),
      );
    }
    assert.equal(registry.get('crl', id), undefined);
  });

  test('rejects a CRL from a CA whose key usage lacks cRLSign', async () => {
    const registry = await freshRegistry(new FakeClock(Date.now()));
    const issuingOnly = await caWithoutCrlSign();
    const id = await registerCa(registry, issuingOnly);
    await assert.rejects(
      putCrl(registry, id, await makeCrl(issuingOnly)),
      rejects(
        'InvalidRequestException',
        `Invalid CRL for CA certificate "${id}": the CA certificate's key usage does not include cRLSign`,
      ),
    );
  });

  test('replaces a CRL with a newer one but not with an older one', async () => {
    const registry = await freshRegistry(new FakeClock(Date.now()));
    const id = await registerCa(registry, ca);
    const base = Math.floor(Date.now() / 1000) * 1000;
    const older = await makeCrl(ca, { thisUpdate: new Date(base - 2 * HOUR_MS) });
    const newer = await makeCrl(ca, { thisUpdate: new Date(base - HOUR_MS), serials: ['01'] });

    await putCrl(registry, id, older);
    await putCrl(registry, id, newer);
    await assert.rejects(
      putCrl(registry, id, older),
      rejects(
        'InvalidRequestException',
        `Invalid CRL for CA certificate "${id}": its thisUpdate ${new Date(base - 2 * HOUR_MS).toISOString()} is before that of the registered CRL, ${new Date(base - HOUR_MS).toISOString()}; delete the registered CRL first to replace it with an older one`,
      ),
    );
    assert.equal(requireCrl(registry, id).crlPem, newer);

    await deleteCrl(registry, id);
    await putCrl(registry, id, older);
    assert.equal(requireCrl(registry, id).crlPem, older);
  });

  test('reports a missing CA and a missing CRL', async () => {
    const registry = await freshRegistry(new FakeClock(Date.now()));
    const unknown = 'ab'.repeat(32);
    const noCa = rejects('ResourceNotFoundException', `CA certificate "${unknown}" does not exist`);
    await assert.rejects(putCrl(registry, unknown, await makeCrl(ca)), noCa);
    assert.throws(() => requireCrl(registry, unknown), noCa);

    const id = await registerCa(registry, ca);
    const noCrl = rejects('ResourceNotFoundException', `CA certificate "${id}" has no CRL`);
    assert.throws(() => requireCrl(registry, id), noCrl);
    await assert.rejects(deleteCrl(registry, id), noCrl);
  });

  test('keeps a CRL across a reload of the store', async () => {
    const db = openSqlite(':memory:', MIGRATIONS);
    const clock = new FakeClock(Date.now());
    const first = await freshRegistry(clock, db);
    const id = await registerCa(first, ca);
    const pem = await makeCrl(ca, { serials: ['02'] });
    await putCrl(first, id, pem);

    const second = await freshRegistry(clock, db);
    assert.equal(requireCrl(second, id).crlPem, pem);
  });

  test('normalizes serial numbers as integers', () => {
    assert.equal(normalizeSerialNumber('00AB'), 'ab');
    assert.equal(normalizeSerialNumber('0000'), '0');
    assert.equal(normalizeSerialNumber('7f'), '7f');
  });
});

describe('CRL routes', () => {
  let ca: TestCertificate;
  let registry: RegistryState;
  let api: TestApi;
  let id: string;

  before(async () => {
    ca = await createTestCa('Route CA');
    registry = await freshRegistry(new FakeClock(Date.now()));
    id = await registerCa(registry, ca);
    api = await TestApi.start(crlRoutes(registry));
  });

  after(async () => {
    await api?.close();
  });

  test('puts, gets and deletes the CRL of a CA', async () => {
    const thisUpdate = new Date(Math.floor(Date.now() / 1000) * 1000 - HOUR_MS);
    const pem = await makeCrl(ca, { thisUpdate, serials: ['0c', '0d'] });
    const path = `/warden/ca-certificates/${id}/crl`;

    const put = await api.call('PUT', path, { crlPem: pem });
    assert.equal(put.status, 200);
    const expected = {
      caCertificateId: id,
      crlPem: pem,
      issuer: 'CN=Route CA',
      thisUpdate: thisUpdate.getTime() / 1000,
      nextUpdate: thisUpdate.getTime() / 1000 + 24 * 3600,
      revokedCertificateCount: 2,
      registeredAt: registry.clock.now() / 1000,
    };
    assert.deepEqual(put.body, expected);
    assert.deepEqual((await api.call('GET', path)).body, expected);

    assert.equal((await api.call('DELETE', path)).status, 200);
    const afterDelete = await api.call('GET', path);
    assert.equal(afterDelete.status, 404);
    assertApiError(afterDelete, 'ResourceNotFoundException', `CA certificate "${id}" has no CRL`);
  });

  test('rejects invalid CRL requests', async () => {
    const path = `/warden/ca-certificates/${id}/crl`;
    const cases: [string, unknown, string, string][] = [
      [
        path,
        { crlPem: await makeCrl(ca), format: 'pem' },
        'InvalidRequestException',
        "1 validation error detected: Unknown field 'format' in the request body",
      ],
      [
        path,
        {},
        'InvalidRequestException',
        "1 validation error detected: Value null at 'crlPem' failed to satisfy constraint: Member must not be null",
      ],
      [
        '/warden/ca-certificates/not-an-id/crl',
        { crlPem: 'x' },
        'InvalidRequestException',
        "2 validation errors detected: Value 'not-an-id' at 'caCertificateId' failed to satisfy constraint: Member must have length greater than or equal to 64; Value 'not-an-id' at 'caCertificateId' failed to satisfy constraint: Member must satisfy regular expression pattern: (0x)?[a-fA-F0-9]+",
      ],
      [
        path,
        { crlPem: 'not a CRL' },
        'InvalidRequestException',
        'Invalid CRL: expected one PEM "X509 CRL" block, found none',
      ],
      [
        `/warden/ca-certificates/${'cd'.repeat(32)}/crl`,
        { crlPem: await makeCrl(ca) },
        'ResourceNotFoundException',
        `CA certificate "${'cd'.repeat(32)}" does not exist`,
      ],
    ];
    for (const [url, body, errorType, message] of cases) {
      assertApiError(await api.call('PUT', url, body), errorType, message);
    }
    assert.equal(registry.get('crl', id), undefined);
  });
});
