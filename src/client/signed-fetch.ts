/**
 * Signs requests to Warden's API with SigV4, as the AWS SDKs do: `x-amz-date`,
 * `x-amz-content-sha256` and an Authorization header over every header sent. Warden's CLI
 * commands, its tests and its benchmarks call the API through here.
 */

import { amzDate, sha256Hex, signature, type CredentialScope } from '../api/auth/sigv4.ts';
import { ALGORITHM, parseQuery } from '../api/auth/sigv4.ts';
import type { KeyPair } from '../keys/credentials-file.ts';

export interface SigningOptions {
  region?: string;
  service?: 'iot' | 'execute-api';
  /** Epoch milliseconds of the signature; now when absent. */
  now?: number;
}

export interface UnsignedRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** Returns the headers to send: the given ones (lowercased) plus the signing headers. */
export function signRequest(
  request: UnsignedRequest,
  credentials: KeyPair,
  options: SigningOptions = {},
): Record<string, string> {
  const url = new URL(request.url);
  const time = amzDate(options.now ?? Date.now());
  const body = request.body ?? '';
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  headers['host'] = url.host;
  headers['x-amz-date'] = time;
  headers['x-amz-content-sha256'] = sha256Hex(body);

  const scope: CredentialScope = {
    date: time.slice(0, 8),
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'iot',
  };
  const signedHeaders = Object.keys(headers).sort();
  const signable = {
    method: request.method,
    path: url.pathname,
    query: parseQuery(url.search.slice(1)),
    headers,
    bodySha256: headers['x-amz-content-sha256'],
  };
  const value = signature(signable, signedHeaders, time, scope, credentials.secretAccessKey);
  const credential = `${credentials.accessKeyId}/${scope.date}/${scope.region}/${scope.service}/aws4_request`;
  headers['authorization'] =
    `${ALGORITHM} Credential=${credential}, SignedHeaders=${signedHeaders.join(';')}, Signature=${value}`;
  return headers;
}

/** `fetch` with a SigV4 signature. The host header is left to fetch, which sends the same value. */
export async function signedFetch(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer },
  credentials: KeyPair,
  options: SigningOptions & { signal?: AbortSignal } = {},
): Promise<Response> {
  const method = init.method ?? 'GET';
  const request: UnsignedRequest = { method, url };
  if (init.headers !== undefined) request.headers = init.headers;
  if (init.body !== undefined) request.body = init.body;
  const { host: _host, ...headers } = signRequest(request, credentials, options);
  const fetchInit: RequestInit = { method, headers };
  if (init.body !== undefined) fetchInit.body = init.body;
  if (options.signal !== undefined) fetchInit.signal = options.signal;
  return fetch(url, fetchInit);
}
