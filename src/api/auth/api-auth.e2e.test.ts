import assert from 'node:assert/strict';
import { chmod, readFile, rm, stat } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import {
  CreateSecurityProfileCommand,
  CreateThingCommand,
  DescribeThingCommand,
  IoTClient,
  ListThingsCommand,
  StartOnDemandAuditTaskCommand,
} from '@aws-sdk/client-iot';
import { CapturedStream } from '../../cli/audit/test-streams.ts';
import { runKeysCommand } from '../../cli/keys/keys-command.ts';
import { signRequest } from '../../client/signed-fetch.ts';
import { parseCredentialsFile, type KeyPair } from '../../keys/credentials-file.ts';
import { TestWarden } from '../../testing/harness.ts';

function sdk(warden: TestWarden, credentials: KeyPair): IoTClient {
  return new IoTClient({
    region: 'us-east-1',
    endpoint: warden.endpoints.http,
    credentials,
    maxAttempts: 1,
  });
}

async function refusal(call: Promise<unknown>): Promise<{ name: string; message: string }> {
  const error = await call.then(
    () => assert.fail('Expected the call to be refused'),
    (caught: Error & { $metadata?: { httpStatusCode?: number } }) => caught,
  );
  return { name: error.name, message: error.message };
}

/** Sends bytes exactly as given, so a test can change a signed request before it leaves. */
function sendRaw(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; errorType: string | undefined; body: any }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          errorType: response.headers['x-amzn-errortype'] as string | undefined,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
        }),
      );
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function createKey(warden: TestWarden, name: string, policy: string): Promise<KeyPair> {
  const stdout = new CapturedStream();
  const stderr = new CapturedStream();
  const argv = ['create', '--name', name, '--policy', policy, '--data-dir', warden.dataDir];
  const code = await runKeysCommand(argv, { stdout, stderr, env: {} });
  assert.equal(code, 0, stderr.text);
  const profile = parseCredentialsFile(stdout.text).get(name);
  assert.ok(profile, stdout.text);
  return {
    accessKeyId: profile['aws_access_key_id']!,
    secretAccessKey: profile['aws_secret_access_key']!,
  };
}

describe('signed API access', () => {
  let warden: TestWarden;

  before(async () => {
    warden = await TestWarden.start();
    await warden.api('POST', '/things/existing-thing', {});
  });

  after(async () => {
    await warden?.stop();
  });

  test('unsigned requests get 403 only', async () => {
    for (const pathAndQuery of ['/things/existing-thing', '/things', '/no/such/route']) {
      const response = await fetch(`${warden.endpoints.http}${pathAndQuery}`);
      assert.equal(response.status, 403, pathAndQuery);
      assert.equal(response.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
      assert.deepEqual(await response.json(), {
        message:
          'Request is not signed: send an AWS Signature Version 4 Authorization header or X-Amz-* query parameters',
      });
    }
  });

  test('the SDK with a wrong secret or an unknown key is refused', async () => {
    const wrongSecret = { ...warden.credentials, secretAccessKey: 'wrong-secret-0123456789' };
    assert.deepEqual(await refusal(sdk(warden, wrongSecret).send(new ListThingsCommand({}))), {
      name: 'InvalidSignatureException',
      message:
        'Signature does not match: check the secret access key and that the request was not changed after signing',
    });
    const unknown = { accessKeyId: 'AKIANOSUCHKEY0000001', secretAccessKey: 'whatever-0123456789' };
    assert.deepEqual(await refusal(sdk(warden, unknown).send(new ListThingsCommand({}))), {
      name: 'UnrecognizedClientException',
      message: 'Access key "AKIANOSUCHKEY0000001" is unknown or revoked',
    });
  });

  test('a tampered body is refused and changes nothing', async () => {
    const url = `${warden.endpoints.http}/things/tampered-thing`;
    const body = '{"attributePayload":{"attributes":{"owner":"alice"}}}';
    const headers = signRequest(
      { method: 'POST', url, headers: { 'content-type': 'application/json' }, body },
      warden.credentials,
    );
    const forged = '{"attributePayload":{"attributes":{"owner":"mallo"}}}';
    assert.equal(forged.length, body.length);
    const response = await sendRaw(url, 'POST', headers, forged);
    assert.deepEqual(response, {
      status: 403,
      errorType: 'InvalidSignatureException',
      body: {
        message: 'Body does not match x-amz-content-sha256: the body was changed after signing',
      },
    });
    const lookup = await warden.api('GET', '/things/tampered-thing');
    assert.equal(lookup.errorType, 'ResourceNotFoundException');
  });

  test('a request replayed six minutes after signing is refused', async () => {
    const url = `${warden.endpoints.http}/things/existing-thing`;
    const signedAt = Date.now() - 6 * 60_000;
    const headers = signRequest({ method: 'GET', url }, warden.credentials, { now: signedAt });
    const response = await sendRaw(url, 'GET', headers, '');
    assert.equal(response.status, 403);
    assert.equal(response.errorType, 'InvalidSignatureException');
    assert.match(response.body.message, /is more than 5 minutes before the server time/);
  });

  test('a read-only key reads but cannot change anything', async () => {
    const reader = sdk(warden, await createKey(warden, 'auditor', 'read-only'));
    const listed = await reader.send(new ListThingsCommand({}));
    assert.ok(listed.things?.some((thing) => thing.thingName === 'existing-thing'));
    assert.deepEqual(await refusal(reader.send(new CreateThingCommand({ thingName: 'new-1' }))), {
      name: 'AccessDeniedException',
      message:
        'Key "auditor" (read-only) may not call CreateThing: it needs an operator or admin key',
    });
    const start = new StartOnDemandAuditTaskCommand({
      targetCheckNames: ['LOGGING_DISABLED_CHECK'],
    });
    assert.equal((await refusal(reader.send(start))).name, 'AccessDeniedException');
    assert.equal((await warden.api('GET', '/things/new-1')).errorType, 'ResourceNotFoundException');
  });

  test('an operator key runs audits but cannot change the security setup', async () => {
    const operator = sdk(warden, await createKey(warden, 'on-call', 'operator'));
    await warden.api('PATCH', '/audit/configuration', {
      roleArn: 'arn:aws:iam::123456789012:role/audit',
      auditCheckConfigurations: { LOGGING_DISABLED_CHECK: { enabled: true } },
    });
    const started = await operator.send(
      new StartOnDemandAuditTaskCommand({ targetCheckNames: ['LOGGING_DISABLED_CHECK'] }),
    );
    assert.match(started.taskId ?? '', /^[0-9a-f]{32}$/);
    const profile = new CreateSecurityProfileCommand({ securityProfileName: 'p1', behaviors: [] });
    assert.deepEqual(await refusal(operator.send(profile)), {
      name: 'AccessDeniedException',
      message: 'Key "on-call" (operator) may not call CreateSecurityProfile: it needs an admin key',
    });
  });

  test('a revoked key is refused on its next request', async () => {
    const credentials = await createKey(warden, 'temporary', 'admin');
    const client = sdk(warden, credentials);
    const described = await client.send(new DescribeThingCommand({ thingName: 'existing-thing' }));
    assert.equal(described.thingName, 'existing-thing');

    const stderr = new CapturedStream();
    const argv = ['revoke', 'temporary', '--data-dir', warden.dataDir];
    assert.equal(await runKeysCommand(argv, { stdout: new CapturedStream(), stderr, env: {} }), 0);
    assert.deepEqual(await refusal(client.send(new ListThingsCommand({}))), {
      name: 'UnrecognizedClientException',
      message: `Access key "${credentials.accessKeyId}" is unknown or revoked`,
    });
  });
});

describe('per-key rate limits', () => {
  let warden: TestWarden;

  before(async () => {
    warden = await TestWarden.start({ rateLimitPerKey: 5 });
  });

  after(async () => {
    await warden?.stop();
  });

  test('throttles one key, not others', async () => {
    const statuses: Array<string | null> = [];
    for (let index = 0; index < 14; index += 1) {
      statuses.push((await warden.api('GET', '/things')).errorType);
    }
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(null));
    const throttled = await warden.api('GET', '/things');
    assert.equal(throttled.status, 400);
    assert.equal(throttled.errorType, 'ThrottlingException');
    assert.equal(
      throttled.body.message,
      `Rate exceeded for access key "${warden.credentials.accessKeyId}": at most 5 requests per second`,
    );
    const other = await createKey(warden, 'other', 'read-only');
    assert.equal((await warden.api('GET', '/things', undefined, {}, other)).status, 200);
  });
});

describe('per-address limit on badly signed requests', () => {
  let warden: TestWarden;

  before(async () => {
    warden = await TestWarden.start({ authFailureLimit: 3 });
  });

  after(async () => {
    await warden?.stop();
  });

  /** Sends a GET signed with `credentials` from a chosen loopback address. */
  function fromAddress(localAddress: string, credentials: KeyPair) {
    const url = `${warden.endpoints.http}/things`;
    const headers = signRequest({ method: 'GET', url }, credentials);
    return new Promise<{ status: number; errorType: unknown; body: any }>((resolve, reject) => {
      const request = http.request(url, { headers, localAddress }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            errorType: response.headers['x-amzn-errortype'],
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
          }),
        );
      });
      request.on('error', reject);
      request.end();
    });
  }

  test('blocks a failing address only', async () => {
    const wrong = { ...warden.credentials, secretAccessKey: 'wrong-secret-0123456789' };
    for (let index = 0; index < 3; index += 1) {
      assert.equal((await fromAddress('127.0.0.3', wrong)).errorType, 'InvalidSignatureException');
    }
    const blocked = await fromAddress('127.0.0.3', warden.credentials);
    assert.equal(blocked.status, 400);
    assert.equal(blocked.errorType, 'ThrottlingException');
    assert.match(
      blocked.body.message,
      /^Too many refused requests from "127\.0\.0\.3": more than 3 in a minute; try again in \d+ s$/,
    );
    assert.equal((await fromAddress('127.0.0.4', warden.credentials)).status, 200);
  });
});

describe('the API over HTTPS', () => {
  let warden: TestWarden;

  before(async () => {
    warden = await TestWarden.start({ apiTls: true });
  });

  after(async () => {
    await warden?.stop();
  });

  /** Sends a request over TLS that trusts only Warden's server CA, signed when given a key. */
  function tlsRequest(pathAndQuery: string, credentials?: KeyPair) {
    const url = `${warden.endpoints.http}${pathAndQuery}`;
    const headers =
      credentials === undefined ? {} : signRequest({ method: 'GET', url }, credentials);
    return new Promise<{ status: number; errorType: unknown; body: any }>((resolve, reject) => {
      const request = https.request(url, { headers, ca: warden.serverCaPem }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            errorType: response.headers['x-amzn-errortype'],
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
          }),
        );
      });
      request.on('error', reject);
      request.end();
    });
  }

  test('serves signed requests over TLS', async () => {
    assert.match(warden.endpoints.http, /^https:\/\/127\.0\.0\.1:\d+$/);
    const listed = await tlsRequest('/things', warden.credentials);
    assert.deepEqual([listed.status, listed.body], [200, { things: [] }]);
    const unsigned = await tlsRequest('/things');
    assert.deepEqual(
      [unsigned.status, unsigned.errorType],
      [403, 'MissingAuthenticationTokenException'],
    );
  });

  test(
    'Debian aws-cli signs over TLS when given the server CA',
    { skip: existsSync('/usr/bin/aws') ? false : '/usr/bin/aws is missing' },
    async () => {
      const caFile = path.join(warden.dataDir, 'tls', 'server-ca.pem');
      const { stdout } = await promisify(execFile)(
        '/usr/bin/aws',
        ['iot', 'list-things', '--endpoint-url', warden.endpoints.http, '--ca-bundle', caFile],
        {
          timeout: 30_000,
          env: {
            PATH: '/usr/bin:/bin',
            HOME: warden.dataDir,
            AWS_ACCESS_KEY_ID: warden.credentials.accessKeyId,
            AWS_SECRET_ACCESS_KEY: warden.credentials.secretAccessKey,
            AWS_DEFAULT_REGION: 'us-east-1',
            AWS_EC2_METADATA_DISABLED: 'true',
            AWS_PAGER: '',
          },
        },
      );
      assert.deepEqual(JSON.parse(stdout), { things: [] });
    },
  );

  test('a client that does not trust the server CA cannot connect', async () => {
    const url = `${warden.endpoints.http}/things`;
    const failure = await new Promise<Error>((resolve) => {
      https.get(url, () => resolve(new Error('connected'))).on('error', resolve);
    });
    assert.equal((failure as NodeJS.ErrnoException).code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });
});

describe('root credentials', () => {
  test('writes credentials once, mode 0600', async () => {
    const first = await TestWarden.start({ root: null });
    const file = path.join(first.dataDir, 'credentials');
    const generated = first.credentials;
    try {
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      const profile = parseCredentialsFile(await readFile(file, 'utf8')).get('warden');
      assert.deepEqual(profile, {
        aws_access_key_id: generated.accessKeyId,
        aws_secret_access_key: generated.secretAccessKey,
      });
      assert.match(generated.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
      assert.equal(generated.secretAccessKey.length, 40);
    } finally {
      await first.stop({ keepData: true });
    }
    const second = await TestWarden.start({ root: null, dataDir: first.dataDir });
    try {
      assert.deepEqual(second.credentials, generated);
      assert.equal((await second.api('GET', '/things')).status, 200);
    } finally {
      await second.stop();
    }
  });

  test('refuses to start when the credentials file is readable by other users', async () => {
    const first = await TestWarden.start({ root: null });
    await first.stop({ keepData: true });
    const file = path.join(first.dataDir, 'credentials');
    await chmod(file, 0o644);
    try {
      await assert.rejects(TestWarden.start({ root: null, dataDir: first.dataDir }), {
        message: `Credentials file "${file}" is readable by other users (mode 0644): run chmod 600 "${file}"`,
      });
    } finally {
      await rm(first.dataDir, { recursive: true, force: true });
    }
  });
});
