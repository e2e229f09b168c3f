/**
 * AWS Signature Version 4 for requests to Warden's REST API: the canonical request, the string to
 * sign and the derived signing key. The verifier and Warden's own clients share these functions,
 * and tests check them against the AWS SDK's signer.
 */

import { createHash, createHmac } from 'node:crypto';

export const ALGORITHM = 'AWS4-HMAC-SHA256';

/** SHA-256 of the empty body, the payload hash of every GET. */
export const EMPTY_BODY_SHA256 = sha256Hex('');

/** The parts of a request a signature covers, as the wire carries them. */
export interface SignableRequest {
  method: string;
  /** The path as sent, percent-encoded, without the query string. */
  path: string;
  /** Decoded query parameters in wire order; repeated names keep every value. */
  query: Array<[string, string]>;
  /** The query string as sent, for clients that sign it verbatim. */
  rawQuery?: string;
  /** Header values by lowercase name; repeated headers joined with commas. */
  headers: Record<string, string>;
  /** Hex SHA-256 of the body. */
  bodySha256: string;
}

/** The credential scope: date (YYYYMMDD), region and service, ending in aws4_request. */
export interface CredentialScope {
  date: string;
  region: string;
  service: string;
}

/**
 * The encoding of the path in the canonical request. AWS services other than S3 encode the already
 * encoded path once more (`double`); some clients, curl among them, sign the path as sent
 * (`single`). Both cover the same path, so the verifier accepts either.
 */
export type PathEncoding = 'double' | 'single';

/**
 * The form of path and query in the canonical request. The standard form sorts and re-encodes the
 * query; curl before 8 signs the query string verbatim (`as-sent`).
 */
export interface CanonicalForm {
  path: PathEncoding;
  query: 'standard' | 'as-sent';
}

export const STANDARD_FORM: CanonicalForm = { path: 'double', query: 'standard' };

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function scopeString(scope: CredentialScope): string {
  return `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
}

/** Encodes per RFC 3986 as SigV4 requires: only A-Z, a-z, 0-9 and `-_.~` stay as they are. */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function canonicalRequest(
  request: SignableRequest,
  signedHeaders: readonly string[],
  form: CanonicalForm = STANDARD_FORM,
): string {
  const query = form.query === 'as-sent' ? (request.rawQuery ?? '') : canonicalQuery(request.query);
  return [
    request.method.toUpperCase(),
    canonicalPath(request.path, form.path),
    query,
    signedHeaders
      .map((name) => `${name}:${canonicalHeaderValue(request.headers[name])}\n`)
      .join(''),
    signedHeaders.join(';'),
    request.bodySha256,
  ].join('\n');
}

export function stringToSign(amzDate: string, scope: CredentialScope, canonical: string): string {
  return [ALGORITHM, amzDate, scopeString(scope), sha256Hex(canonical)].join('\n');
}

export function signingKey(secretAccessKey: string, scope: CredentialScope): Buffer {
  const date = hmac(`AWS4${secretAccessKey}`, scope.date);
  const region = hmac(date, scope.region);
  const service = hmac(region, scope.service);
  return hmac(service, 'aws4_request');
}

/** Computes the hex signature of a request over the given signed headers. */
export function signature(
  request: SignableRequest,
  signedHeaders: readonly string[],
  amzDate: string,
  scope: CredentialScope,
  secretAccessKey: string,
  form: CanonicalForm = STANDARD_FORM,
): string {
  const canonical = canonicalRequest(request, signedHeaders, form);
  const key = signingKey(secretAccessKey, scope);
  return createHmac('sha256', key)
    .update(stringToSign(amzDate, scope, canonical))
    .digest('hex');
}

/** `20261204T120000Z` for an epoch-millisecond time. */
export function amzDate(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Parses `YYYYMMDDTHHMMSSZ`; undefined when the text is not such a time. */
export function parseAmzDate(text: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  const time = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  // Date.UTC rolls 31 February over into March; a real date survives the round trip.
  return amzDate(time) === text ? time : undefined;
}

/** Splits a raw query string into decoded pairs; `+` stays a plus sign, as SigV4 clients mean. */
export function parseQuery(rawQuery: string): Array<[string, string]> {
  if (rawQuery === '') return [];
  return rawQuery.split('&').map((part) => {
    const equals = part.indexOf('=');
    const name = equals === -1 ? part : part.slice(0, equals);
    const value = equals === -1 ? '' : part.slice(equals + 1);
    return [safeDecode(name), safeDecode(value)];
  });
}

function canonicalPath(path: string, encoding: PathEncoding): string {
  const normalized = path === '' ? '/' : path;
  if (encoding === 'single') return normalized;
  return normalized
    .split('/')
    .map((segment) => uriEncode(segment))
    .join('/');
}

function canonicalQuery(query: Array<[string, string]>): string {
  return query
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([a, aValue], [b, bValue]) => compare(a, b) || compare(aValue, bValue))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function canonicalHeaderValue(value: string | undefined): string {
  return (value ?? '').trim().replace(/\s+/g, ' ');
}

function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
