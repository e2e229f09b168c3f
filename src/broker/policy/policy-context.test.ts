import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  isTimeKey,
  lookupContextKey,
  variableValue,
  type PolicyContext,
} from './policy-context.ts';

const NOW = Date.UTC(2026, 2, 4, 5, 6, 7, 890);

const CONTEXT: PolicyContext = {
  clientId: 'gw-1',
  thingName: 'gw-1',
  thingTypeName: 'gateway',
  thingAttributes: { site: 'north', 'rack.slot': '4' },
  isAttached: true,
  sourceIp: '198.51.100.20',
  domainName: 'iot.example.com',
  certificate: { subject: { CommonName: 'gw-1', Organization: ['A', 'B'] }, issuer: {} },
  region: 'us-west-2',
  accountId: '123456789012',
  now: NOW,
};

test('lookupContextKey reads connection keys case-insensitively', () => {
  const cases: [key: string, expected: unknown][] = [
    ['iot:ClientId', 'gw-1'],
    ['IOT:CLIENTID', 'gw-1'],
    ['aws:SourceIp', '198.51.100.20'],
    ['iot:DomainName', 'iot.example.com'],
    ['iot:Connection.Thing.ThingName', 'gw-1'],
    ['iot:Connection.Thing.ThingTypeName', 'gateway'],
    ['iot:Connection.Thing.Attributes[site]', 'north'],
    ['iot:Connection.Thing.Attributes[rack.slot]', '4'],
    ['iot:Connection.Thing.Attributes[Site]', undefined],
    ['iot:Connection.Thing.Attributes[toString]', undefined],
    ['iot:Connection.Thing.IsAttached', 'true'],
    ['aws:CurrentTime', '2026-03-04T05:06:07Z'],
    ['aws:EpochTime', String(Math.floor(NOW / 1000))],
    ['iot:Unknown', undefined],
  ];
  for (const [key, expected] of cases) {
    assert.deepEqual(lookupContextKey(CONTEXT, key, NOW), expected, key);
  }
});

test('thing keys are absent unless the certificate is attached to the thing', () => {
  const unattached = { ...CONTEXT, isAttached: false };
  assert.equal(lookupContextKey(unattached, 'iot:Connection.Thing.ThingName', NOW), undefined);
  assert.equal(lookupContextKey(unattached, 'iot:Connection.Thing.ThingTypeName', NOW), undefined);
  assert.equal(
    lookupContextKey(unattached, 'iot:Connection.Thing.Attributes[site]', NOW),
    undefined,
  );
  assert.equal(lookupContextKey(unattached, 'iot:Connection.Thing.IsAttached', NOW), 'false');
});

test('variableValue substitutes only single, safe values', () => {
  assert.equal(variableValue(CONTEXT, 'iot:ClientId', NOW), 'gw-1');
  assert.equal(variableValue(CONTEXT, 'iot:Certificate.Subject.Organization', NOW), 'A');
  assert.equal(variableValue(CONTEXT, 'iot:Certificate.Subject.Organization.List', NOW), undefined);

  const wildcard = { ...CONTEXT, certificate: { subject: { CommonName: 'gw-#1' }, issuer: {} } };
  assert.equal(variableValue(wildcard, 'iot:Certificate.Subject.CommonName', NOW), undefined);
  const long = {
    ...CONTEXT,
    certificate: { subject: { CommonName: 'x'.repeat(1025) }, issuer: {} },
  };
  assert.equal(variableValue(long, 'iot:Certificate.Subject.CommonName', NOW), undefined);
  // The wildcard rule is for certificate attributes; a client ID stays literal instead.
  assert.equal(variableValue({ ...CONTEXT, clientId: 'a+b' }, 'iot:ClientId', NOW), 'a+b');
});

test('isTimeKey marks the keys that change during a connection', () => {
  assert.equal(isTimeKey('aws:CurrentTime'), true);
  assert.equal(isTimeKey('AWS:epochtime'), true);
  assert.equal(isTimeKey('iot:ClientId'), false);
});
