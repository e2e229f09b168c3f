import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { TEST_ROOT } from '../testing/credentials.ts';
import { WardenApiClient, WardenApiError } from './warden-api-client.ts';

/** Starts a server that throttles the first `throttled` requests, then returns `{"ok": true}`. */
async function throttlingServer(throttled: number) {
  let requests = 0;
  const server = createServer((_request, response) => {
    requests += 1;
    if (requests <= throttled) {
      response.writeHead(400, { 'x-amzn-ErrorType': 'ThrottlingException' });
      response.end('{"message":"Rate exceeded"}');
      return;
    }
    response.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, endpoint, requests: () => requests };
}

test('retries a throttled request with backoff, then gives up', async () => {
  const recovering = await throttlingServer(2);
  try {
    const client = new WardenApiClient(
      { endpoint: recovering.endpoint, credentials: TEST_ROOT },
      { attempts: 8, firstDelayMs: 5 },
    );
    assert.deepEqual(await client.call('ListThings', 'GET', '/things'), { ok: true });
    assert.equal(recovering.requests(), 3);
  } finally {
    recovering.server.close();
  }

  const stuck = await throttlingServer(100);
  try {
    const client = new WardenApiClient(
      { endpoint: stuck.endpoint, credentials: TEST_ROOT },
      { attempts: 8, firstDelayMs: 5 },
    );
    const error = await client.call('ListThings', 'GET', '/things').catch((caught) => caught);
    assert.ok(error instanceof WardenApiError);
    assert.equal(error.message, 'ListThings failed: ThrottlingException: Rate exceeded');
    assert.equal(stuck.requests(), 8);
  } finally {
    stuck.server.close();
  }
});
