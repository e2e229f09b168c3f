import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { MqttClient } from 'mqtt';
import type { StoredFinding } from '../audit/audit-records.ts';
import type { AuditResource } from '../audit/audit-types.ts';
import type { TestCertificate } from '../testing/pki.ts';
import { MitigationFixture, targetOf } from './mitigation-fixture.ts';

const ALLOW_ALL = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }],
};

function idOf(certificate: TestCertificate): string {
  return createHash('sha256').update(Buffer.from(certificate.certificate.rawData)).digest('hex');
}

function findingAbout(resource: AuditResource, related: AuditResource[] = []): StoredFinding {
  return {
    findingId: 'finding-9',
    taskId: 'audit-9',
    checkName: 'SOME_CHECK',
    taskStartTime: 1_500,
    findingTime: 2_500,
    severity: 'HIGH',
    nonCompliantResource: resource,
    relatedResources: related,
    reasonForNonCompliance: 'Something is wrong',
    reasonForNonComplianceCode: 'SOMETHING_WRONG',
    isSuppressed: false,
  };
}

function deviceCertificate(certificateId: string): AuditResource {
  return {
    resourceType: 'DEVICE_CERTIFICATE',
    resourceIdentifier: { deviceCertificateId: certificateId },
  };
}

describe('target resolver', () => {
  let fixture: MitigationFixture;
  let first: TestCertificate;
  let second: TestCertificate;
  let client: MqttClient;

  before(async () => {
    fixture = await MitigationFixture.start();
    await fixture.warden.createPolicy('allow-all', ALLOW_ALL);
    first = await fixture.device('robot-1', 'allow-all');
    second = await fixture.device('robot-2', 'allow-all');
    // A session whose client ID names no thing, using robot-1's certificate.
    client = await fixture.warden.connect('robot-1-debug', first);
  });

  after(async () => {
    await client?.endAsync();
    await fixture?.stop();
  });

  test('finding resource types resolve', () => {
    const resolver = fixture.mitigation.resolver;
    const caId = createHash('sha256').update(Buffer.from(fixture.ca.certificate.rawData));
    const caCertificateId = caId.digest('hex');
    const cases: [string, AuditResource, AuditResource[], ReturnType<typeof targetOf>][] = [
      [
        'device certificate',
        deviceCertificate(idOf(first)),
        [],
        targetOf({
          certificateIds: [idOf(first)],
          thingNames: ['robot-1'],
          clientIds: ['robot-1-debug'],
          sourceIps: ['127.0.0.1'],
        }),
      ],
      [
        'CA certificate',
        { resourceType: 'CA_CERTIFICATE', resourceIdentifier: { caCertificateId } },
        [],
        targetOf({ caCertificateIds: [caCertificateId] }),
      ],
      [
        'client ID of a thing',
        { resourceType: 'CLIENT_ID', resourceIdentifier: { clientId: 'robot-2' } },
        [],
        targetOf({ clientIds: ['robot-2'], thingNames: ['robot-2'] }),
      ],
      [
        'client ID of no thing, connected',
        { resourceType: 'CLIENT_ID', resourceIdentifier: { clientId: 'robot-1-debug' } },
        [],
        targetOf({ clientIds: ['robot-1-debug'], sourceIps: ['127.0.0.1'] }),
      ],
      [
        'IoT policy',
        {
          resourceType: 'IOT_POLICY',
          resourceIdentifier: {
            policyVersionIdentifier: { policyName: 'allow-all', policyVersionId: '1' },
          },
        },
        [],
        targetOf({ policyNames: ['allow-all'] }),
      ],
      [
        'issuer certificate',
        {
          resourceType: 'ISSUER_CERTIFICATE',
          resourceIdentifier: { issuerCertificateIdentifier: { issuerId: caCertificateId } },
        },
        [deviceCertificate(idOf(second)), deviceCertificate(idOf(second))],
        targetOf({ certificateIds: [idOf(second)], thingNames: ['robot-2'] }),
      ],
      [
        'account settings',
        { resourceType: 'ACCOUNT_SETTINGS', resourceIdentifier: { account: '123456789012' } },
        [],
        targetOf({}),
      ],
    ];
    for (const [name, resource, related, expected] of cases) {
      const finding = findingAbout(resource, related);
      const { subject, ...resolved } = resolver.fromFinding(finding);
      const { subject: _ignored, ...wanted } = expected;
      assert.deepEqual(resolved, wanted, name);
      assert.equal(subject['findingId'], 'finding-9', name);
    }
  });

  test('finding subject matches the API', async () => {
    const related = Array.from({ length: 12 }, (_, index) =>
      deviceCertificate(String(index).padStart(64, '0')),
    );
    const finding = findingAbout(deviceCertificate(idOf(second)), related);
    const { subject } = fixture.mitigation.resolver.fromFinding(finding);
    assert.deepEqual(subject, {
      findingId: 'finding-9',
      taskId: 'audit-9',
      checkName: 'SOME_CHECK',
      taskStartTime: 1.5,
      findingTime: 2.5,
      severity: 'HIGH',
      nonCompliantResource: deviceCertificate(idOf(second)),
      relatedResources: related.slice(0, 10),
      reasonForNonCompliance: 'Something is wrong',
      reasonForNonComplianceCode: 'SOMETHING_WRONG',
      isSuppressed: false,
    });
  });

  test('violation resolves to thing and sessions', async () => {
    const robot = await fixture.warden.connect('robot-2', second);
    const target = fixture.mitigation.resolver.fromViolation({
      violationId: 'violation-9',
      thingName: 'robot-2',
      securityProfileName: 'robots',
      behavior: { name: 'too-many-bytes' },
      startTime: 10_000,
      lastViolationTime: 12_000,
      lastViolationValue: { count: 9 },
      verificationState: 'UNKNOWN',
    });
    assert.deepEqual(target, {
      certificateIds: [idOf(second)],
      caCertificateIds: [],
      thingNames: ['robot-2'],
      clientIds: ['robot-2'],
      policyNames: [],
      sourceIps: ['127.0.0.1'],
      subject: {
        violationId: 'violation-9',
        thingName: 'robot-2',
        securityProfileName: 'robots',
        behavior: { name: 'too-many-bytes' },
        verificationState: 'UNKNOWN',
        lastViolationTime: 12,
        violationStartTime: 10,
        lastViolationValue: { count: 9 },
      },
    });
    await robot.endAsync();
  });
});
