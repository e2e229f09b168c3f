import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { signRequest, type UnsignedRequest } from '../../client/signed-fetch.ts';
import { FakeClock } from '../../core/clock.ts';
import { WardenError } from '../../core/errors.ts';
import { amzDate, sha256Hex, signature, uriEncode } from './sigv4.ts';
import { SigV4Verifier, type WireRequest } from './request-verifier.ts';

const KEY = { accessKeyId: 'AKIAVERIFIERTEST0001', secretAccessKey: 'verifier-secret-0123456789' };
const PRINCIPAL = { accessKeyId: KEY.accessKeyId, name: 'ops', policy: 'operator' as const };
const NOW = Date.UTC(2026, 11, 4, 12, 0, 0);
const URL_BASE = 'http://127.0.0.1:8080';

function verifier(clock = new FakeClock(NOW), regions: 'any' | Set<string> = 'any') {
  return new SigV4Verifier({
    clock,
    regions,
    resolveKey: (id) =>
      id === KEY.accessKeyId
        ? { secretAccessKey: KEY.secretAccessKey, principal: PRINCIPAL }
        : undefined,
  });
}

/** Signs a request as the SDK does, for the verifier or for a test that tampers with it. */
function signed(
  request: Partial<UnsignedRequest> & { path?: string } = {},
  options: {
    now?: number;
    region?: string;
    service?: 'iot' | 'execute-api';
    key?: typeof KEY;
  } = {},
): WireRequest {
  const body = request.body ?? '{"thingTypeName":"sensor"}';
  const url = `${URL_BASE}${request.path ?? '/things/sensor-1'}`;
  const headers = signRequest(
    {
      method: request.method ?? 'POST',
      url,
      headers: request.headers ?? { 'content-type': 'application/json' },
      body,
    },
    options.key ?? KEY,
    { now: options.now ?? NOW, region: options.region ?? 'us-east-1', ...options },
  );
  const path = url.slice(URL_BASE.length);
  return { method: request.method ?? 'POST', url: path, headers, body: Buffer.from(body) };
}

function refusal(run: () => unknown): { code: string; message: string; status: number } {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof WardenError, String(error));
    return { code: error.code, message: error.message, status: error.status };
  }
  return assert.fail('Expected the request to be refused');
}

describe('SigV4Verifier', () => {
  test('accepts a request signed by Warden client and returns its principal', () => {
    assert.deepEqual(verifier().verify(signed()), PRINCIPAL);
  });

  test('accepts the signing names iot and execute-api', () => {
    for (const service of ['iot', 'execute-api'] as const) {
      assert.deepEqual(verifier().verify(signed({}, { service })), PRINCIPAL, service);
    }
  });

  test('accepts clock skew up to 5 minutes', () => {
    for (const offset of [-299_000, 299_000]) {
      assert.deepEqual(verifier().verify(signed({}, { now: NOW + offset })), PRINCIPAL);
    }
  });

  test('accepts a path signed as sent, as curl signs it', () => {
    const request = signed({ path: '/things/plant%3Aline' });
    const time = request.headers['x-amz-date']!;
    const signedHeaders = Object.keys(request.headers)
      .filter((name) => name !== 'authorization')
      .sort();
    const single = signature(
      {
        method: 'POST',
        path: '/things/plant%3Aline',
        query: [],
        headers: request.headers,
        bodySha256: sha256Hex(request.body),
      },
      signedHeaders,
      time,
      { date: time.slice(0, 8), region: 'us-east-1', service: 'iot' },
      KEY.secretAccessKey,
      { path: 'single', query: 'standard' },
    );
    request.headers['authorization'] = request.headers['authorization']!.replace(
      /Signature=[0-9a-f]+/,
      `Signature=${single}`,
    );
    assert.deepEqual(verifier().verify(request), PRINCIPAL);
  });

  test('accepts a query-string signature within X-Amz-Expires', () => {
    assert.deepEqual(
      verifier().verify(presigned('/things?maxResults=5', NOW - 60_000, 300)),
      PRINCIPAL,
    );
  });

  test('rejects each broken signature part', () => {
    const body = (request: WireRequest, text: string) => ({ ...request, body: Buffer.from(text) });
    const header = (request: WireRequest, name: string, value: string | undefined) => {
      const headers = { ...request.headers };
      if (value === undefined) delete headers[name];
      else headers[name] = value;
      return { ...request, headers };
    };
    const auth = (request: WireRequest, from: RegExp, to: string) =>
      header(request, 'authorization', request.headers['authorization']!.replace(from, to));
    const withoutContentHash = () => {
      // As Debian's aws-cli signs: no x-amz-content-sha256 header.
      const request = signed({}, {});
      const headers = { ...request.headers };
      delete headers['x-amz-content-sha256'];
      const resigned = resign(request, headers);
      return body(resigned, '{"thingTypeName":"spoofd"}');
    };
    const cases: Array<[string, WireRequest, string, string]> = [
      [
        'unsigned',
        header(signed(), 'authorization', undefined),
        'MissingAuthenticationTokenException',
        'Request is not signed: send an AWS Signature Version 4 Authorization header or X-Amz-* query parameters',
      ],
      [
        'other algorithm',
        auth(signed(), /^AWS4-HMAC-SHA256/, 'AWS4-ECDSA-P256-SHA256'),
        'IncompleteSignatureException',
        'Signing algorithm "AWS4-ECDSA-P256-SHA256" is not supported: use AWS4-HMAC-SHA256',
      ],
      [
        'no signature',
        auth(signed(), /, Signature=[0-9a-f]+/, ''),
        'IncompleteSignatureException',
        'Authorization header has no Signature',
      ],
      [
        'malformed credential',
        auth(signed(), /Credential=[^,]+/, 'Credential=AKIAVERIFIERTEST0001/20261204/us-east-1'),
        'IncompleteSignatureException',
        'Credential "AKIAVERIFIERTEST0001/20261204/us-east-1" is malformed: expected ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/aws4_request',
      ],
      [
        'other service',
        signed({}, { service: 's3' as 'iot' }),
        'InvalidSignatureException',
        'Credential scope service "s3" is not accepted: sign for "iot" or "execute-api"',
      ],
      [
        'scope date of another day',
        auth(signed(), /\/20261204\//, '/20261203/'),
        'InvalidSignatureException',
        'Credential scope date "20261203" does not match the request time "20261204T120000Z"',
      ],
      [
        'replayed after 5 minutes',
        signed({}, { now: NOW - 301_000 }),
        'InvalidSignatureException',
        'Request time "20261204T115459Z" is more than 5 minutes before the server time "2026-12-04T12:00:00.000Z": sign the request again',
      ],
      [
        'dated in the future',
        signed({}, { now: NOW + 301_000 }),
        'InvalidSignatureException',
        'Request time "20261204T120501Z" is more than 5 minutes ahead of the server time "2026-12-04T12:00:00.000Z"',
      ],
      [
        'malformed time',
        header(signed(), 'x-amz-date', '2026-12-04T12:00:00Z'),
        'IncompleteSignatureException',
        'Request time "2026-12-04T12:00:00Z" is invalid: X-Amz-Date must look like 20261204T120000Z',
      ],
      [
        'signed header missing',
        header(signed(), 'content-type', undefined),
        'IncompleteSignatureException',
        'Signed header "content-type" is not in the request',
      ],
      [
        'unsigned x-amz header',
        header(signed(), 'x-amz-security-token', 'token'),
        'IncompleteSignatureException',
        'Header "x-amz-security-token" is sent but not signed',
      ],
      [
        'unsigned operation header',
        header(signed(), 'x-amzn-principal', 'arn:aws:iot:us-east-1:123456789012:cert/abc'),
        'IncompleteSignatureException',
        'Header "x-amzn-principal" is sent but not signed',
      ],
      [
        'session token',
        signed({ headers: { 'content-type': 'application/json', 'x-amz-security-token': 'x' } }),
        'UnrecognizedClientException',
        'Session tokens are not accepted: Warden issues no temporary credentials, so sign with an access key and its secret only',
      ],
      [
        'tampered body with a content hash',
        body(signed(), '{"thingTypeName":"spoofd"}'),
        'InvalidSignatureException',
        'Body does not match x-amz-content-sha256: the body was changed after signing',
      ],
      [
        'tampered body without a content hash',
        withoutContentHash(),
        'InvalidSignatureException',
        'Signature does not match: check the secret access key and that the request was not changed after signing',
      ],
      [
        'wrong secret',
        signed({}, { key: { ...KEY, secretAccessKey: 'not-the-secret-0123456789' } }),
        'InvalidSignatureException',
        'Signature does not match: check the secret access key and that the request was not changed after signing',
      ],
      [
        'unknown key',
        signed({}, { key: { ...KEY, accessKeyId: 'AKIAUNKNOWNKEY000001' } }),
        'UnrecognizedClientException',
        'Access key "AKIAUNKNOWNKEY000001" is unknown or revoked',
      ],
      [
        'tampered path',
        { ...signed(), url: '/things/sensor-2' },
        'InvalidSignatureException',
        'Signature does not match: check the secret access key and that the request was not changed after signing',
      ],
      [
        'expired query signature',
        presigned('/things', NOW - 301_000, 300),
        'InvalidSignatureException',
        'Request time "20261204T115459Z" is more than X-Amz-Expires (300 s) before the server time "2026-12-04T12:00:00.000Z": sign the request again',
      ],
      [
        'query signature valid too long',
        presigned('/things', NOW, 86_400),
        'IncompleteSignatureException',
        'X-Amz-Expires "86400" is invalid: must be 1-3600 seconds',
      ],
      [
        'signed twice',
        { ...presigned('/things', NOW, 300), headers: signed().headers },
        'IncompleteSignatureException',
        'Request is signed twice: use either the Authorization header or X-Amz-* query parameters',
      ],
    ];
    for (const [name, request, code, message] of cases) {
      assert.deepEqual(
        refusal(() => verifier().verify(request)),
        { code, message, status: 403 },
        name,
      );
    }
  });

  test('refuses a region the operator did not allow', () => {
    const strict = verifier(new FakeClock(NOW), new Set(['eu-west-1']));
    assert.deepEqual(strict.verify(signed({}, { region: 'eu-west-1' })), PRINCIPAL);
    assert.deepEqual(
      refusal(() => strict.verify(signed({}, { region: 'us-east-1' }))),
      {
        code: 'InvalidSignatureException',
        message: 'Credential scope region "us-east-1" is not allowed: use "eu-west-1"',
        status: 403,
      },
    );
  });
});

/** Re-signs a request over the given headers, as a client that sends exactly those would. */
function resign(request: WireRequest, headers: Record<string, string>): WireRequest {
  const { authorization: _old, ...rest } = headers;
  const time = rest['x-amz-date']!;
  const names = Object.keys(rest).sort();
  const value = signature(
    {
      method: request.method,
      path: request.url,
      query: [],
      headers: rest,
      bodySha256: sha256Hex(request.body),
    },
    names,
    time,
    { date: time.slice(0, 8), region: 'us-east-1', service: 'execute-api' },
    KEY.secretAccessKey,
  );
  const credential = `${KEY.accessKeyId}/${time.slice(0, 8)}/us-east-1/execute-api/aws4_request`;
  const authorization = `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${names.join(';')}, Signature=${value}`;
  return { ...request, headers: { ...rest, authorization } };
}

/** Signs a GET in the query-string form, valid for `expires` seconds from `time`. */
function presigned(pathAndQuery: string, time: number, expires: number): WireRequest {
  const date = amzDate(time);
  const scope = { date: date.slice(0, 8), region: 'us-east-1', service: 'iot' };
  const [path, existing] = pathAndQuery.split('?') as [string, string | undefined];
  const auth: Array<[string, string]> = [
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', `${KEY.accessKeyId}/${scope.date}/us-east-1/iot/aws4_request`],
    ['X-Amz-Date', date],
    ['X-Amz-Expires', String(expires)],
    ['X-Amz-SignedHeaders', 'host'],
  ];
  const query = [
    ...(existing ?? '')
      .split('&')
      .filter(Boolean)
      .map((pair) => pair.split('=') as [string, string]),
    ...auth,
  ];
  const headers = { host: '127.0.0.1:8080' };
  const value = signature(
    { method: 'GET', path, query, headers, bodySha256: sha256Hex('') },
    ['host'],
    date,
    scope,
    KEY.secretAccessKey,
  );
  const queryText = [...query, ['X-Amz-Signature', value]]
    .map(([name, item]) => `${uriEncode(name!)}=${uriEncode(item!)}`)
    .join('&');
  return { method: 'GET', url: `${path}?${queryText}`, headers, body: Buffer.alloc(0) };
}
