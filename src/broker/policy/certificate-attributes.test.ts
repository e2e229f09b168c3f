import 'reflect-metadata';

import assert from 'node:assert/strict';
import { createHash, webcrypto } from 'node:crypto';
import { test } from 'node:test';

import * as x509 from '@peculiar/x509';

import { certificateAttributesFromX509 } from './certificate-attributes.ts';
import { compilePolicy } from './compiled-policy.ts';
import { evaluate } from './evaluate.ts';
import { lookupContextKey, type PolicyContext } from './policy-context.ts';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

async function issueDeviceCertificate(): Promise<x509.X509Certificate> {
  const notBefore = new Date(Date.UTC(2026, 0, 1));
  const notAfter = new Date(Date.UTC(2027, 0, 1));
  const caKeys = (await webcrypto.subtle.generateKey(ALGORITHM, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=Example Device CA, O=Example Corp, C=DE',
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: ALGORITHM,
  });
  const deviceKeys = (await webcrypto.subtle.generateKey(ALGORITHM, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  return x509.X509CertificateGenerator.create({
    serialNumber: '0a1b2c3d',
    subject: 'CN=sensor-1, O=Example Corp, OU=Plant 7, OU=Line 2, C=DE, ST=Bavaria',
    issuer: ca.subject,
    notBefore,
    notAfter,
    publicKey: deviceKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'sensor-1.example.com' },
        { type: 'dns', value: 'sensor-1.local' },
        { type: 'ip', value: '192.0.2.44' },
        { type: 'email', value: 'ops@example.com' },
      ]),
    ],
  });
}

test('certificateAttributesFromX509 reads subject, issuer and alternative names', async () => {
  const certificate = await issueDeviceCertificate();
  const attributes = certificateAttributesFromX509(certificate);

  const fingerprint = createHash('sha256').update(Buffer.from(certificate.rawData)).digest('hex');
  assert.equal(attributes.certificateId, fingerprint);
  assert.equal(attributes.serialNumber, '0a1b2c3d');
  assert.deepEqual(attributes.subject, {
    CommonName: ['sensor-1'],
    Organization: ['Example Corp'],
    OrganizationalUnit: ['Plant 7', 'Line 2'],
    Country: ['DE'],
    State: ['Bavaria'],
  });
  assert.deepEqual(attributes.issuer, {
    CommonName: ['Example Device CA'],
    Organization: ['Example Corp'],
    Country: ['DE'],
  });
  assert.deepEqual(attributes.subjectAlternativeNames, {
    DNSName: ['sensor-1.example.com', 'sensor-1.local'],
    IPAddress: ['192.0.2.44'],
    RFC822Name: ['ops@example.com'],
  });
  assert.equal(attributes.issuerAlternativeNames, undefined);
});

test('certificate keys select the first value, an index or the list', async () => {
  const certificate = certificateAttributesFromX509(await issueDeviceCertificate());
  const context: PolicyContext = {
    clientId: 'sensor-1',
    isAttached: false,
    certificate,
    region: 'eu-central-1',
    accountId: '123456789012',
    now: 0,
  };
  const lookup = (key: string): unknown => lookupContextKey(context, key, 0);

  assert.equal(lookup('iot:Certificate.Subject.OrganizationalUnit'), 'Plant 7');
  assert.equal(lookup('iot:certificate.subject.organizationalunit.1'), 'Line 2');
  assert.equal(lookup('iot:Certificate.Subject.OrganizationalUnit.2'), undefined);
  assert.deepEqual(lookup('iot:Certificate.Subject.OrganizationalUnit.List'), [
    'Plant 7',
    'Line 2',
  ]);
  assert.equal(lookup('iot:Certificate.Issuer.CommonName'), 'Example Device CA');
  assert.equal(lookup('iot:Certificate.Subject.AlternativeName.DNSName.1'), 'sensor-1.local');
  assert.equal(lookup('iot:Certificate.Issuer.AlternativeName.DNSName'), undefined);
  assert.equal(lookup('iot:Certificate.SerialNumber'), '0a1b2c3d');
  assert.equal(lookup('iot:CertificateId'), certificate.certificateId);
  assert.equal(lookup('iot:Certificate.Subject.Title'), undefined);
  const availableKeys = lookup('iot:Certificate.AvailableKeys');
  assert.ok(Array.isArray(availableKeys));
  assert.deepEqual([...availableKeys].sort(), [
    'iot:Certificate.Issuer.CommonName',
    'iot:Certificate.Issuer.Country',
    'iot:Certificate.Issuer.Organization',
    'iot:Certificate.SerialNumber',
    'iot:Certificate.Subject.AlternativeName.DNSName',
    'iot:Certificate.Subject.AlternativeName.IPAddress',
    'iot:Certificate.Subject.AlternativeName.RFC822Name',
    'iot:Certificate.Subject.CommonName',
    'iot:Certificate.Subject.Country',
    'iot:Certificate.Subject.Organization',
    'iot:Certificate.Subject.OrganizationalUnit',
    'iot:Certificate.Subject.State',
  ]);
});

test('certificate variables authorize a device by its certificate', async () => {
  const certificate = certificateAttributesFromX509(await issueDeviceCertificate());
  const arn = 'arn:aws:iot:eu-central-1:123456789012:';
  const policy = compilePolicy(
    'by-certificate',
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'iot:Publish',
          Resource: `${arn}topic/\${iot:Certificate.Subject.CommonName}/\${iot:CertificateId}`,
          Condition: {
            'ForAnyValue:StringEquals': {
              'iot:Certificate.Subject.OrganizationalUnit.List': 'Line 2',
            },
          },
        },
      ],
    }),
  );
  const context: PolicyContext = {
    clientId: 'sensor-1',
    isAttached: false,
    certificate,
    region: 'eu-central-1',
    accountId: '123456789012',
    now: 0,
  };
  const own = `${arn}topic/sensor-1/${certificate.certificateId ?? ''}`;
  assert.equal(
    evaluate([policy], { action: 'iot:Publish', resource: own }, context).decision,
    'allow',
  );
  const other = `${arn}topic/sensor-2/${certificate.certificateId ?? ''}`;
  assert.equal(
    evaluate([policy], { action: 'iot:Publish', resource: other }, context).decision,
    'implicit-deny',
  );
});
