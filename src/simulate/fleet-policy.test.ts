import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  bindContext,
  certificateAttributesFromX509,
  compilePolicy,
  validatePolicyDocument,
  type Authorizer,
} from '../broker/policy/index.ts';
import { createTestCa, issueTestCertificate, type TestCertificate } from '../testing/pki.ts';
import {
  fleetPolicyDocument,
  reportResponseFilter,
  reportTopic,
  stateTopic,
  telemetryTopic,
} from './fleet-policy.ts';

const DOCUMENT = JSON.stringify(fleetPolicyDocument());

describe('fleet policy', () => {
  let device: TestCertificate;

  /** Binds the policy to a connection of `device` under `clientId`. */
  function authorizer(clientId: string, attachedThing?: string): Authorizer {
    return bindContext([compilePolicy('fleet', DOCUMENT)], {
      clientId,
      isAttached: attachedThing !== undefined,
      ...(attachedThing === undefined ? {} : { thingName: attachedThing }),
      certificate: certificateAttributesFromX509(device.certificate),
      sourceIp: '127.0.0.1',
      region: 'us-east-1',
      accountId: '123456789012',
      now: Date.now(),
    });
  }

  before(async () => {
    const ca = await createTestCa('Policy Test CA');
    device = await issueTestCertificate(ca, 'sim-1-0001');
  });

  test('is a valid document within the size limit', () => {
    const validation = validatePolicyDocument(DOCUMENT);
    assert.deepEqual(validation.problems, []);
    assert.ok(DOCUMENT.replace(/\s/g, '').length <= 2048);
  });

  test('lets a device use its own topics', () => {
    const own = authorizer('sim-1-0001', 'sim-1-0001');
    assert.equal(own.connect().decision, 'allow');
    assert.equal(own.publish(reportTopic('sim-1-0001')).decision, 'allow');
    assert.equal(own.publish(telemetryTopic('sim-1-0001')).decision, 'allow');
    assert.equal(own.publish(stateTopic('sim-1-0001')).decision, 'allow');
    assert.equal(own.subscribe(reportResponseFilter('sim-1-0001')).decision, 'allow');
    assert.equal(own.receive(`${reportTopic('sim-1-0001')}/accepted`).decision, 'allow');
    assert.equal(own.subscribe('sim/fleet/state/#').decision, 'allow');
    assert.equal(own.receive(telemetryTopic('sim-1-0002')).decision, 'allow');
  });

  test('denies other things and the rest of the tree', () => {
    const own = authorizer('sim-1-0001', 'sim-1-0001');
    assert.notEqual(own.publish(reportTopic('sim-1-0002')).decision, 'allow');
    assert.notEqual(own.publish(telemetryTopic('sim-1-0002')).decision, 'allow');
    assert.notEqual(own.subscribe(reportResponseFilter('sim-1-0002')).decision, 'allow');
    assert.notEqual(own.subscribe('#').decision, 'allow');
    assert.notEqual(own.subscribe('$aws/things/+/shadow/#').decision, 'allow');
  });

  test('admits a second client ID only after the common name and a hyphen', () => {
    assert.equal(authorizer('sim-1-0001-clone').connect().decision, 'allow');
    assert.notEqual(authorizer('sim-1-0002').connect().decision, 'allow');
    assert.notEqual(authorizer('other-device').connect().decision, 'allow');
    assert.notEqual(
      authorizer('sim-1-0001-clone').publish(reportTopic('sim-1-0001')).decision,
      'allow',
    );
  });
});
