import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WardenError } from '../core/errors.ts';
import type { Route } from './route.ts';
import { Router } from './router.ts';

function route(operation: string, method: Route['method'], path: string): Route {
  return { operation, method, path, handler: () => undefined };
}

const router = new Router();
router.add([
  route('DescribeThingGroup', 'GET', '/thing-groups/{thingGroupName}'),
  route('AddThingToThingGroup', 'PUT', '/thing-groups/addThingToThingGroup'),
  route('UpdateThingGroup', 'PATCH', '/thing-groups/{thingGroupName}'),
  route('ListAttachedPolicies', 'POST', '/attached-policies/{target}'),
]);

test('router prefers literal segments over parameters', () => {
  const match = router.match('PUT', '/thing-groups/addThingToThingGroup');
  assert.ok(match);
  assert.ok('route' in match);
  assert.equal(match.route.operation, 'AddThingToThingGroup');
});

test('router decodes path parameters', () => {
  const match = router.match(
    'POST',
    '/attached-policies/arn%3Aaws%3Aiot%3Aus-east-1%3A1%3Acert%2Fab',
  );
  assert.ok(match);
  assert.ok('route' in match);
  assert.equal(match.params['target'], 'arn:aws:iot:us-east-1:1:cert/ab');
});

test('router lists allowed methods for a known path', () => {
  assert.deepEqual(router.match('DELETE', '/thing-groups/fleet'), { allowed: ['GET', 'PATCH'] });
});

test('router returns undefined for an unknown path', () => {
  assert.equal(router.match('GET', '/no-such-thing'), undefined);
});

test('router rejects malformed percent-encoding', () => {
  assert.throws(
    () => router.match('GET', '/thing-groups/%E0%A4%A'),
    (error: unknown) =>
      error instanceof WardenError &&
      error.code === 'InvalidRequestException' &&
      error.message === 'Invalid percent-encoding in path parameter "thingGroupName": "%E0%A4%A"',
  );
});
