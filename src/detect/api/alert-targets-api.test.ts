import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { TestWarden } from '../../testing/harness.ts';

const SECRET = 'webhook-secret-0123456789';

interface ReceivedHook {
  headers: IncomingMessage['headers'];
  body: string;
}

/** Starts an HTTP server on 127.0.0.1 that records every request it receives. */
async function startHookServer(): Promise<{
  server: Server;
  url: string;
  received: ReceivedHook[];
}> {
  const received: ReceivedHook[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { server, url: `http://127.0.0.1:${port}/hook`, received };
}

describe('alert target routes', () => {
  let warden: TestWarden;
  let hooks: Awaited<ReturnType<typeof startHookServer>>;

  before(async () => {
    hooks = await startHookServer();
    warden = await TestWarden.start({
      alertTargets: [{ name: 'from-file', type: 'mqtt', topic: 'warden/file-alerts' }],
    });
  });

  after(async () => {
    await warden?.stop();
    await new Promise((resolve) => hooks?.server.close(resolve));
  });

  test('put returns the target without its secret', async () => {
    const put = await warden.api('PUT', '/warden/alert-targets/siem', {
      type: 'webhook',
      url: hooks.url,
      secret: SECRET,
    });
    assert.equal(put.status, 200);
    assert.deepEqual(put.body, {
      name: 'siem',
      type: 'webhook',
      url: hooks.url,
      secretConfigured: true,
    });

    const got = await warden.api('GET', '/warden/alert-targets/siem');
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, put.body);
    assert.ok(!JSON.stringify(got.body).includes(SECRET));
  });

  test('list includes targets from the file and from the API', async () => {
    await warden.api('PUT', '/warden/alert-targets/ops', { type: 'mqtt', topic: 'ops/alerts' });
    const listed = await warden.api('GET', '/warden/alert-targets');
    assert.equal(listed.status, 200);
    const names = listed.body.alertTargets.map((target: { name: string }) => target.name);
    assert.deepEqual(names, ['from-file', 'ops', 'siem']);
    assert.deepEqual(listed.body.alertTargets[0], {
      name: 'from-file',
      type: 'mqtt',
      topic: 'warden/file-alerts',
    });

    const paged = await warden.api('GET', '/warden/alert-targets?maxResults=2');
    assert.equal(paged.body.alertTargets.length, 2);
    const rest = await warden.api(
      'GET',
      `/warden/alert-targets?maxResults=2&nextToken=${encodeURIComponent(paged.body.nextToken)}`,
    );
    assert.deepEqual(
      rest.body.alertTargets.map((target: { name: string }) => target.name),
      ['siem'],
    );
  });

  test('dispatcher uses a target as soon as it is put', async () => {
    const arn = 'arn:aws:sns:us-east-1:123456789012:hooked';
    assert.equal(warden.service.alerts.sendToArn(arn, { probe: 1 }, 'test'), false);

    await warden.api('PUT', '/warden/alert-targets/hooked', {
      type: 'webhook',
      url: hooks.url,
      secret: SECRET,
    });
    assert.equal(warden.service.alerts.sendToArn(arn, { probe: 2 }, 'test'), true);
    await warden.service.alerts.drain();

    const hook = hooks.received.at(-1);
    assert.equal(hook?.body, '{"probe":2}');
    const timestamp = String(hook?.headers['x-warden-timestamp']);
    const expected = createHmac('sha256', SECRET).update(`${timestamp}.{"probe":2}`).digest('hex');
    assert.equal(hook?.headers['x-warden-signature'], `sha256=${expected}`);

    const deleted = await warden.api('DELETE', '/warden/alert-targets/hooked');
    assert.equal(deleted.status, 200);
    assert.equal(warden.service.alerts.sendToArn(arn, { probe: 3 }, 'test'), false);
  });

  test('get and delete of a missing target are not found', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await warden.api(method, '/warden/alert-targets/missing');
      assert.equal(response.status, 404, method);
      assert.equal(response.errorType, 'ResourceNotFoundException', method);
      assert.equal(response.body.message, 'Alert target "missing" does not exist', method);
    }
  });

  test('put rejects invalid targets', async () => {
    const cases: { name: string; body: unknown; message: string }[] = [
      {
        name: 'siem',
        body: { type: 'webhook', url: 'ftp://siem.example/hook' },
        message:
          "1 validation error detected: Value 'ftp://siem.example/hook' at 'url' failed to satisfy constraint: must be an http:// or https:// URL",
      },
      {
        name: 'siem',
        body: { type: 'webhook', url: hooks.url, secret: 'short' },
        message:
          "1 validation error detected: Value 'short' at 'secret' failed to satisfy constraint: Member must have length greater than or equal to 16",
      },
      {
        name: 'ops',
        body: { type: 'mqtt', topic: 'alerts/#' },
        message:
          "1 validation error detected: Value 'alerts/#' at 'topic' failed to satisfy constraint: Member must satisfy regular expression pattern: [^#+]+",
      },
      {
        name: 'ops',
        body: { type: 'mqtt', topic: 'ops/alerts', url: hooks.url },
        message: "1 validation error detected: Unknown field 'url' in the request body",
      },
      {
        name: 'bad.name',
        body: { type: 'mqtt', topic: 'ops/alerts' },
        message:
          "1 validation error detected: Value 'bad.name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9_-]{1,256}",
      },
    ];
    for (const { name, body, message } of cases) {
      const response = await warden.api('PUT', `/warden/alert-targets/${name}`, body);
      assert.equal(response.status, 400, message);
      assert.equal(response.errorType, 'InvalidRequestException', message);
      assert.equal(response.body.message, message);
    }
  });
});

describe('alert targets across a restart', () => {
  test('keeps API targets and writes the file over its own names', async () => {
    const file = [{ name: 'shared', type: 'mqtt' as const, topic: 'from/file' }];
    const first = await TestWarden.start({ alertTargets: file });
    await first.api('PUT', '/warden/alert-targets/shared', { type: 'mqtt', topic: 'from/api' });
    await first.api('PUT', '/warden/alert-targets/added', { type: 'mqtt', topic: 'added/topic' });
    await first.stop({ keepData: true });

    const second = await TestWarden.start({ alertTargets: file, dataDir: first.dataDir });
    try {
      const listed = await second.api('GET', '/warden/alert-targets');
      assert.deepEqual(listed.body.alertTargets, [
        { name: 'added', type: 'mqtt', topic: 'added/topic' },
        { name: 'shared', type: 'mqtt', topic: 'from/file' },
      ]);
      assert.equal(second.service.alerts.hasTarget('added'), true);
    } finally {
      await second.stop();
      await rm(first.dataDir, { recursive: true, force: true });
    }
  });
});
