import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Route } from '../route.ts';
import { TestWarden } from '../../testing/harness.ts';
import { CONTRACT_OPERATIONS } from './contract-operations.ts';
import { loadServiceModel } from './service-model.ts';

/**
 * Lists each route that departs from the model's HTTP bindings. A route named for a model
 * operation must have that operation's method and path template. A route of Warden's own (a name
 * the model lacks) must not take the method and path of a model operation, which would shadow it.
 */
function routeDrift(routes: Route[]): string[] {
  const model = loadServiceModel();
  const bindings = new Map<string, string>();
  for (const [name, operation] of Object.entries(model.operations))
    bindings.set(bindingKey(operation.http.method, modelPath(operation.http.requestUri)), name);

  const drifted: string[] = [];
  for (const route of routes) {
    const operation = model.operations[route.operation];
    if (operation === undefined) {
      const shadowed = bindings.get(bindingKey(route.method, route.path));
      if (shadowed !== undefined)
        drifted.push(`${route.operation}: Warden ${route.method} ${route.path} is ${shadowed}`);
      continue;
    }
    if (
      route.method !== operation.http.method ||
      route.path !== modelPath(operation.http.requestUri)
    ) {
      drifted.push(
        `${route.operation}: Warden ${route.method} ${route.path}, model ${operation.http.method} ${operation.http.requestUri}`,
      );
    }
  }
  return drifted;
}

/** Returns the path part of a request URI, which may carry a fixed query part (`/x?y`). */
function modelPath(requestUri: string): string {
  return requestUri.split('?')[0] ?? requestUri;
}

/** Method and path template with parameter names dropped, so `{a}` and `{b}` compare equal. */
function bindingKey(method: string, pathTemplate: string): string {
  return `${method} ${pathTemplate.replace(/\{[A-Za-z]+(\+?)\}/g, '{$1}')}`;
}

describe('declared routes against the AWS IoT service model', () => {
  let warden: TestWarden;
  let routes: Route[];

  before(async () => {
    warden = await TestWarden.start();
    routes = warden.service.operations();
  });

  after(async () => {
    await warden?.stop();
  });

  test('serves every operation the contract suites drive', () => {
    const served = new Set(routes.map((route) => route.operation));
    assert.deepEqual(
      CONTRACT_OPERATIONS.filter((operation) => !served.has(operation)),
      [],
    );
  });

  test('every route has the model method and request URI', () => {
    assert.deepEqual(routeDrift(routes), []);
  });

  test('drift check reports wrong bindings and shadowing', () => {
    const handler = () => undefined;
    const drifted: Route[] = [
      { operation: 'DescribeThing', method: 'POST', path: '/things/{thingName}', handler },
      { operation: 'ListThings', method: 'GET', path: '/thing', handler },
      { operation: 'DescribeGadget', method: 'GET', path: '/things/{gadgetName}', handler },
      { operation: 'ListGadgets', method: 'GET', path: '/warden/gadgets', handler },
    ];
    assert.deepEqual(routeDrift(drifted), [
      'DescribeThing: Warden POST /things/{thingName}, model GET /things/{thingName}',
      'ListThings: Warden GET /thing, model GET /things',
      'DescribeGadget: Warden GET /things/{gadgetName} is DescribeThing',
    ]);
  });

  test('every contract operation has an SDK test', () => {
    const directory = path.dirname(fileURLToPath(import.meta.url));
    const sources = readdirSync(directory)
      .filter((name) => name.endsWith('.test.ts') && !name.endsWith('.e2e.test.ts'))
      .map((name) => readFileSync(path.join(directory, name), 'utf8'))
      .join('\n');
    const driven = (operation: string) => new RegExp(`new ${operation}Command\\(`).test(sources);
    assert.deepEqual(
      CONTRACT_OPERATIONS.filter((operation) => !driven(operation)),
      [],
    );
  });

  test('every served AWS operation is a contract operation', () => {
    const model = loadServiceModel();
    const uncovered = routes
      .map((route) => route.operation)
      .filter(
        (operation) =>
          model.operations[operation] !== undefined && !CONTRACT_OPERATIONS.includes(operation),
      );
    assert.deepEqual(uncovered, [], 'served AWS operations without an SDK contract test');
  });
});
