import assert from 'node:assert/strict';
import { ApiServer } from '../../api/http-server.ts';
import { signedFetch } from '../../client/signed-fetch.ts';
import { TEST_ROOT, testAuth } from '../../testing/credentials.ts';
import type { Route } from '../../api/route.ts';
import { FakeClock } from '../../core/clock.ts';
import { WardenError } from '../../core/errors.ts';
import { silentLogger } from '../../core/logger.ts';
import { MIGRATIONS } from '../../service/migrations.ts';
import { openSqlite, type SqliteHandle } from '../../store/sqlite-database.ts';
import { SqliteRegistryStore } from '../../store/sqlite-registry-store.ts';
import type { ApiResponse } from '../../testing/harness.ts';
import { RegistryState } from '../registry.ts';

/** Test helpers for the IAM and CRL registry: a registry over in-memory SQLite and an API on it. */

export const TEST_ACCOUNT = { region: 'us-east-1', accountId: '123456789012' };

/** Creates and loads a registry over a fresh in-memory database, or over `db` to test a reload. */
export async function freshRegistry(
  clock = new FakeClock(),
  db: SqliteHandle = openSqlite(':memory:', MIGRATIONS),
): Promise<RegistryState> {
  const registry = new RegistryState(new SqliteRegistryStore(db), clock, TEST_ACCOUNT);
  await registry.load();
  return registry;
}

/** Asserts a WardenError with exactly this code and message, for assert.rejects/throws. */
export function rejects(code: string, message: string | RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof WardenError, `expected a WardenError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  };
}

/**
 * The REST server on 127.0.0.1 with an OS-chosen port, serving only the given routes, so route
 * tests run through real HTTP before the routes are part of the Warden service.
 */
export class TestApi {
  private constructor(
    private readonly server: ApiServer,
    readonly endpoint: string,
  ) {}

  static async start(routes: Route[]): Promise<TestApi> {
    const server = new ApiServer({
      host: '127.0.0.1',
      port: 0,
      routes,
      auth: testAuth(),
      logger: silentLogger(),
    });
    const address = await server.listen();
    return new TestApi(server, `http://127.0.0.1:${address.port}`);
  }

  /** Calls the API with a JSON body and returns status, error type and parsed body. */
  async call(method: string, pathAndQuery: string, body?: unknown): Promise<ApiResponse> {
    const init: { method: string; headers: Record<string, string>; body?: string } = {
      method,
      headers: { 'content-type': 'application/json' },
    };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const response = await signedFetch(`${this.endpoint}${pathAndQuery}`, init, TEST_ROOT);
    const text = await response.text();
    return {
      status: response.status,
      errorType: response.headers.get('x-amzn-errortype'),
      body: text === '' ? undefined : JSON.parse(text),
    };
  }

  close(): Promise<void> {
    return this.server.close();
  }
}

/** Asserts an error response with exactly this type and message. */
export function assertApiError(response: ApiResponse, errorType: string, message: string): void {
  assert.equal(response.errorType, errorType, JSON.stringify(response.body));
  assert.equal(response.body?.message, message);
}
