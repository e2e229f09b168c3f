import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { signRequest } from '../../client/signed-fetch.ts';
import { amzDate, parseAmzDate, parseQuery, sha256Hex, signature, uriEncode } from './sigv4.ts';

const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCY',
};
const TIME = Date.UTC(2026, 11, 4, 12, 30, 5);

/** The hash class the SDK signer expects: SHA-256, or HMAC-SHA256 when given a secret. */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Signs with the AWS SDK's signer, as @aws-sdk/client-iot does, and returns its headers. */
async function sdkSign(request: {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers: Record<string, string>;
  body?: string;
}) {
  const signer = new SignatureV4({
    credentials: CREDENTIALS,
    region: 'eu-west-1',
    service: 'iot',
    sha256: Sha256,
    uriEscapePath: true,
    applyChecksum: true,
  });
  const signed = await signer.sign(
    {
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 8080,
      method: request.method,
      path: request.path,
      query: request.query ?? {},
      headers: { host: '127.0.0.1:8080', ...request.headers },
      body: request.body,
    },
    { signingDate: new Date(TIME) },
  );
  return signed.headers as Record<string, string>;
}

function parts(authorization: string) {
  const match = /SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(authorization);
  assert.ok(match, authorization);
  return { signedHeaders: match[1]!.split(';'), signature: match[2]! };
}

describe('SigV4 signing', () => {
  const scope = { date: '20261204', region: 'eu-west-1', service: 'iot' };

  test('matches the SDK on an encoded path', async () => {
    const body = '{"thingTypeName":"sensor","attributePayload":{"attributes":{"a":"b c"}}}';
    const headers = { 'content-type': 'application/json', 'x-amz-user-agent': 'aws-sdk-js/3' };
    const sdk = await sdkSign({ method: 'POST', path: '/things/plant%3Aline-1', headers, body });
    const { signedHeaders, signature: expected } = parts(sdk['authorization']!);
    const request = {
      method: 'POST',
      path: '/things/plant%3Aline-1',
      query: [],
      headers: Object.fromEntries(Object.entries(sdk).map(([k, v]) => [k.toLowerCase(), v])),
      bodySha256: sha256Hex(body),
    };
    assert.equal(
      signature(request, signedHeaders, sdk['x-amz-date']!, scope, CREDENTIALS.secretAccessKey),
      expected,
    );
  });

  test('matches the SDK on an encoded query', async () => {
    const query = { thingName: 'device 1', nextToken: 'a+b/c=', maxResults: '10' };
    const sdk = await sdkSign({ method: 'GET', path: '/active-violations', query, headers: {} });
    const { signedHeaders, signature: expected } = parts(sdk['authorization']!);
    const raw = Object.entries(query)
      .map(([name, value]) => `${uriEncode(name)}=${uriEncode(value)}`)
      .join('&');
    const request = {
      method: 'GET',
      path: '/active-violations',
      query: parseQuery(raw),
      headers: Object.fromEntries(Object.entries(sdk).map(([k, v]) => [k.toLowerCase(), v])),
      bodySha256: sha256Hex(''),
    };
    assert.equal(
      signature(request, signedHeaders, sdk['x-amz-date']!, scope, CREDENTIALS.secretAccessKey),
      expected,
    );
  });

  test("Warden's client signs exactly as the AWS SDK does", async () => {
    const body = '{"targetCheckNames":["LOGGING_DISABLED_CHECK"]}';
    const ours = signRequest(
      {
        method: 'POST',
        url: 'http://127.0.0.1:8080/audit/tasks',
        headers: { 'content-type': 'application/json' },
        body,
      },
      CREDENTIALS,
      { region: 'eu-west-1', now: TIME },
    );
    const sdk = await sdkSign({
      method: 'POST',
      path: '/audit/tasks',
      headers: { 'content-type': 'application/json' },
      body,
    });
    assert.equal(ours['authorization'], sdk['authorization']);
  });

  test('reads and writes the X-Amz-Date form and refuses impossible dates', () => {
    assert.equal(amzDate(TIME), '20261204T123005Z');
    assert.equal(parseAmzDate('20261204T123005Z'), TIME);
    for (const bad of ['20261304T000000Z', '20260231T000000Z', '2026-12-04T12:30:05Z', '']) {
      assert.equal(parseAmzDate(bad), undefined, bad);
    }
  });
});
