import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FakeClock } from '../../core/clock.ts';
import { bindContext } from './authorizer.ts';
import { compilePolicy, type CompiledPolicy } from './compiled-policy.ts';
import type { PolicyContext } from './policy-context.ts';

const ARN = 'arn:aws:iot:eu-west-1:111122223333:';

const CONTEXT: PolicyContext = {
  clientId: 'pump-7',
  thingName: 'pump-7',
  isAttached: true,
  sourceIp: '192.0.2.10',
  region: 'eu-west-1',
  accountId: '111122223333',
  now: 0,
};

function policy(name: string, statements: unknown[]): CompiledPolicy {
  return compilePolicy(name, JSON.stringify({ Version: '2012-10-17', Statement: statements }));
}

const DEVICE_POLICY = policy('device', [
  {
    Effect: 'Allow',
    Action: 'iot:Connect',
    Resource: `${ARN}client/\${iot:Connection.Thing.ThingName}`,
  },
  {
    Effect: 'Allow',
    Action: ['iot:Publish', 'iot:Receive'],
    Resource: [`${ARN}topic/\${iot:Connection.Thing.ThingName}/*`, `${ARN}topic/broadcast`],
  },
  {
    Effect: 'Allow',
    Action: 'iot:Subscribe',
    Resource: `${ARN}topicfilter/\${iot:Connection.Thing.ThingName}/*`,
  },
  {
    Sid: 'NoConfig',
    Effect: 'Deny',
    Action: 'iot:Publish',
    Resource: `${ARN}topic/\${iot:ClientId}/config`,
  },
]);

test('authorizer helpers build client, topic and topicfilter ARNs from the context', () => {
  const authorizer = bindContext([DEVICE_POLICY], CONTEXT);
  assert.deepEqual(authorizer.connect(), {
    decision: 'allow',
    statement: { policyName: 'device', index: 0 },
  });
  assert.equal(authorizer.publish('pump-7/pressure').decision, 'allow');
  assert.equal(authorizer.publish('pump-8/pressure').decision, 'implicit-deny');
  assert.deepEqual(authorizer.publish('pump-7/config'), {
    decision: 'explicit-deny',
    statement: { policyName: 'device', sid: 'NoConfig', index: 3 },
  });
  assert.equal(authorizer.receive('broadcast').decision, 'allow');
  assert.equal(authorizer.subscribe('pump-7/#').decision, 'allow');
  assert.equal(authorizer.subscribe('#').decision, 'implicit-deny');
  assert.equal(
    authorizer.authorize('iot:UpdateThingShadow', `${ARN}thing/pump-7`).decision,
    'implicit-deny',
  );
});

test('authorizer shares frozen decisions and rejects a negative cache size', () => {
  const authorizer = bindContext([DEVICE_POLICY], CONTEXT, { cacheSize: 2 });
  const decision = authorizer.publish('pump-7/a');
  assert.ok(Object.isFrozen(decision));
  assert.ok(Object.isFrozen(decision.statement));
  assert.throws(() => bindContext([DEVICE_POLICY], CONTEXT, { cacheSize: -1 }), {
    name: 'RangeError',
    message: 'Invalid cache capacity "-1": must be a non-negative integer',
  });
});

test('authorizer keeps the context it was bound with', () => {
  const context = { ...CONTEXT, thingAttributes: { zone: 'north' } };
  const zonePolicy = policy('zone', [
    {
      Effect: 'Allow',
      Action: 'iot:Publish',
      Resource: `${ARN}topic/\${iot:Connection.Thing.Attributes[zone]}/*`,
    },
  ]);
  const authorizer = bindContext([zonePolicy], context);
  context.thingAttributes.zone = 'south';
  assert.equal(authorizer.publish('north/x').decision, 'allow');
  assert.equal(authorizer.publish('south/x').decision, 'implicit-deny');
  assert.equal(bindContext([zonePolicy], context).publish('south/x').decision, 'allow');
});

test('authorizer decides time conditions on every request', () => {
  const clock = new FakeClock(Date.UTC(2026, 5, 30, 23, 59, 0));
  const maintenance = policy('window', [
    { Effect: 'Allow', Action: 'iot:*', Resource: '*' },
    {
      Effect: 'Deny',
      Action: 'iot:Publish',
      Resource: '*',
      Condition: { DateGreaterThanEquals: { 'aws:CurrentTime': '2026-07-01T00:00:00Z' } },
    },
  ]);
  const authorizer = bindContext([maintenance], CONTEXT, { clock });
  assert.equal(authorizer.publish('pump-7/a').decision, 'allow');
  assert.equal(authorizer.publish('pump-7/a').decision, 'allow');
  clock.advance(60_000);
  assert.equal(authorizer.publish('pump-7/a').decision, 'explicit-deny');
  assert.equal(authorizer.connect().decision, 'allow');
});

test('authorizer drops a statement whose static condition fails', () => {
  const guarded = policy('guarded', [
    {
      Effect: 'Allow',
      Action: 'iot:Connect',
      Resource: '*',
      Condition: {
        Bool: { 'iot:Connection.Thing.IsAttached': 'true' },
        StringLike: { 'iot:ClientId': 'pump-*' },
      },
    },
  ]);
  assert.equal(bindContext([guarded], CONTEXT).connect().decision, 'allow');
  assert.equal(
    bindContext([guarded], { ...CONTEXT, clientId: 'valve-1' }).connect().decision,
    'implicit-deny',
  );
  assert.equal(
    bindContext([guarded], { ...CONTEXT, isAttached: false }).connect().decision,
    'implicit-deny',
  );
});

test('authorizer never caches a time-dependent decision', () => {
  let now = Date.UTC(2026, 0, 1);
  const clock = { now: () => now };
  const expiring = policy('expiring', [
    {
      Effect: 'Allow',
      Action: 'iot:Publish',
      Resource: '*',
      Condition: { NumericLessThan: { 'aws:EpochTime': String(Date.UTC(2026, 0, 2) / 1000) } },
    },
  ]);
  const authorizer = bindContext([expiring], CONTEXT, { clock, cacheSize: 1 });
  assert.equal(authorizer.publish('a').decision, 'allow');
  now = Date.UTC(2026, 0, 3);
  assert.equal(authorizer.publish('a').decision, 'implicit-deny');
});
