/**
 * Verifies the SigV4 signature of an API request, in the header or the query-string form, and
 * names the part that failed. The body's SHA-256 is computed here and compared with a sent
 * `x-amz-content-sha256`, because a signer trusts that header: without the check a tampered body
 * of the same length would verify.
 */

import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import { WardenError, type AwsErrorType } from '../../core/errors.ts';
import type { Principal } from '../../keys/api-key.ts';
import {
  ALGORITHM,
  parseAmzDate,
  parseQuery,
  sha256Hex,
  signature,
  type CanonicalForm,
  type CredentialScope,
  type SignableRequest,
} from './sigv4.ts';

/** A request as it arrived: raw URL, headers by lowercase name, and the whole body. */
export interface WireRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  /** The peer's address, for per-address limits. */
  sourceAddress?: string;
}

/** The secret and the caller behind an access key id, or undefined for unknown or revoked keys. */
export type KeyResolver = (
  accessKeyId: string,
) => { secretAccessKey: string; principal: Principal } | undefined;

export interface VerifierOptions {
  resolveKey: KeyResolver;
  clock: Clock;
  /** Regions accepted in the credential scope; `any` accepts every region. */
  regions: 'any' | ReadonlySet<string>;
  /** Largest distance between the request time and the server time. */
  maxSkewMs?: number;
  /** Longest X-Amz-Expires of a query-string signature, in seconds. */
  maxExpiresSeconds?: number;
}

export const SERVICES = new Set(['iot', 'execute-api']);
const DEFAULT_SKEW_MS = 5 * 60_000;
const DEFAULT_MAX_EXPIRES = 3600;
/** The standard form first; the others are the same request as some clients canonicalize it. */
const FORMS: CanonicalForm[] = [
  { path: 'double', query: 'standard' },
  { path: 'single', query: 'standard' },
  { path: 'single', query: 'as-sent' },
  { path: 'double', query: 'as-sent' },
];

interface ParsedSignature {
  accessKeyId: string;
  scope: CredentialScope;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  /** Set for the query-string form. */
  expiresSeconds?: number;
  /** Whether the query-string form names X-Amz-Security-Token. */
  securityToken?: boolean;
}

export class SigV4Verifier {
  private readonly maxSkewMs: number;
  private readonly maxExpires: number;

  constructor(private readonly options: VerifierOptions) {
    this.maxSkewMs = options.maxSkewMs ?? DEFAULT_SKEW_MS;
    this.maxExpires = options.maxExpiresSeconds ?? DEFAULT_MAX_EXPIRES;
  }

  /**
   * Returns the caller of a correctly signed request.
   * @throws WardenError with a 403 error type and a message naming the failed part.
   */
  verify(request: WireRequest): Principal {
    const queryStart = request.url.indexOf('?');
    const path = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
    const rawQuery = queryStart === -1 ? '' : request.url.slice(queryStart + 1);
    const query = parseQuery(rawQuery);
    const parsed = this.parse(request.headers, query);
    this.checkTime(parsed);
    this.checkScope(parsed);
    this.checkSignedHeaders(parsed, request.headers);

    const key = this.options.resolveKey(parsed.accessKeyId);
    if (key === undefined) {
      fail(
        'UnrecognizedClientException',
        `Access key "${parsed.accessKeyId}" is unknown or revoked`,
      );
    }
    const signable: SignableRequest = {
      method: request.method,
      path,
      query: parsed.expiresSeconds === undefined ? query : withoutSignature(query),
      rawQuery,
      headers: request.headers,
      bodySha256: this.bodyHash(request),
    };
    if (!this.matches(signable, parsed, key.secretAccessKey)) {
      fail(
        'InvalidSignatureException',
        'Signature does not match: check the secret access key and that the request was not changed after signing',
      );
    }
    return key.principal;
  }

  private parse(headers: Record<string, string>, query: Array<[string, string]>) {
    const authorization = headers['authorization'];
    const queryAlgorithm = query.find(([name]) => name === 'X-Amz-Algorithm');
    if (authorization !== undefined && queryAlgorithm !== undefined) {
      fail(
        'IncompleteSignatureException',
        'Request is signed twice: use either the Authorization header or X-Amz-* query parameters',
      );
    }
    if (authorization !== undefined) return parseHeaderForm(authorization, headers);
    if (queryAlgorithm !== undefined) return this.parseQueryForm(query);
    return fail(
      'MissingAuthenticationTokenException',
      'Request is not signed: send an AWS Signature Version 4 Authorization header or X-Amz-* query parameters',
    );
  }

  private parseQueryForm(query: Array<[string, string]>): ParsedSignature {
    const get = (name: string) => {
      const values = query.filter(([key]) => key === name);
      if (values.length !== 1) {
        fail('IncompleteSignatureException', `Query parameter "${name}" must appear exactly once`);
      }
      return values[0]![1];
    };
    const algorithm = get('X-Amz-Algorithm');
    if (algorithm !== ALGORITHM) unsupportedAlgorithm(algorithm);
    const expires = get('X-Amz-Expires');
    const expiresSeconds = Number(expires);
    if (!/^\d+$/.test(expires) || expiresSeconds < 1 || expiresSeconds > this.maxExpires) {
      fail(
        'IncompleteSignatureException',
        `X-Amz-Expires "${expires}" is invalid: must be 1-${this.maxExpires} seconds`,
      );
    }
    return {
      ...parseCredential(get('X-Amz-Credential')),
      signedHeaders: parseSignedHeaders(get('X-Amz-SignedHeaders')),
      signature: parseSignatureValue(get('X-Amz-Signature')),
      amzDate: get('X-Amz-Date'),
      expiresSeconds,
      securityToken: query.some(([name]) => name === 'X-Amz-Security-Token'),
    };
  }

  private checkScope(parsed: ParsedSignature): void {
    const { service, region, date } = parsed.scope;
    if (!SERVICES.has(service)) {
      fail(
        'InvalidSignatureException',
        `Credential scope service "${service}" is not accepted: sign for "iot" or "execute-api"`,
      );
    }
    const { regions } = this.options;
    if (regions !== 'any' && !regions.has(region)) {
      fail(
        'InvalidSignatureException',
        `Credential scope region "${region}" is not allowed: use ${[...regions].map((r) => `"${r}"`).join(', ')}`,
      );
    }
    if (!parsed.amzDate.startsWith(date)) {
      fail(
        'InvalidSignatureException',
        `Credential scope date "${date}" does not match the request time "${parsed.amzDate}"`,
      );
    }
  }

  private checkTime(parsed: ParsedSignature): void {
    const time = parseAmzDate(parsed.amzDate);
    if (time === undefined) {
      fail(
        'IncompleteSignatureException',
        `Request time "${parsed.amzDate}" is invalid: X-Amz-Date must look like 20261204T120000Z`,
      );
    }
    const now = this.options.clock.now();
    const server = new Date(now).toISOString();
    if (time - now > this.maxSkewMs) {
      fail(
        'InvalidSignatureException',
        `Request time "${parsed.amzDate}" is more than 5 minutes ahead of the server time "${server}"`,
      );
    }
    const lifetimeMs =
      parsed.expiresSeconds === undefined ? this.maxSkewMs : parsed.expiresSeconds * 1000;
    if (now - time > lifetimeMs) {
      const window =
        parsed.expiresSeconds === undefined
          ? 'more than 5 minutes before'
          : `more than X-Amz-Expires (${parsed.expiresSeconds} s) before`;
      fail(
        'InvalidSignatureException',
        `Request time "${parsed.amzDate}" is ${window} the server time "${server}": sign the request again`,
      );
    }
  }

  private checkSignedHeaders(parsed: ParsedSignature, headers: Record<string, string>): void {
    const signed = new Set(parsed.signedHeaders);
    if (!signed.has('host'))
      fail('IncompleteSignatureException', 'SignedHeaders must include "host"');
    for (const name of parsed.signedHeaders) {
      if (headers[name] === undefined) {
        fail('IncompleteSignatureException', `Signed header "${name}" is not in the request`);
      }
    }
    // x-amz-* and x-amzn-* headers carry request parameters (x-amzn-principal names the
    // certificate to attach), so they must be signed; only the tracing header is exempt.
    for (const name of Object.keys(headers)) {
      if (name.startsWith('x-amz') && name !== 'x-amzn-trace-id' && !signed.has(name)) {
        fail('IncompleteSignatureException', `Header "${name}" is sent but not signed`);
      }
    }
    if (headers['x-amz-security-token'] !== undefined || parsed.securityToken) {
      fail(
        'UnrecognizedClientException',
        'Session tokens are not accepted: Warden issues no temporary credentials, so sign with an access key and its secret only',
      );
    }
  }

  private bodyHash(request: WireRequest): string {
    const actual = sha256Hex(request.body);
    const claimed = request.headers['x-amz-content-sha256'];
    if (claimed !== undefined && claimed.toLowerCase() !== actual) {
      fail(
        'InvalidSignatureException',
        claimed === 'UNSIGNED-PAYLOAD'
          ? 'Unsigned payloads are not accepted: sign the body'
          : 'Body does not match x-amz-content-sha256: the body was changed after signing',
      );
    }
    return actual;
  }

  private matches(request: SignableRequest, parsed: ParsedSignature, secret: string): boolean {
    const expected = Buffer.from(parsed.signature, 'hex');
    // The verbatim query form exists for the header form only: a query-string signature cannot
    // sign its own X-Amz-Signature parameter.
    const forms = parsed.expiresSeconds === undefined ? FORMS : FORMS.slice(0, 2);
    return forms.some((form) => {
      const computed = signature(
        request,
        parsed.signedHeaders,
        parsed.amzDate,
        parsed.scope,
        secret,
        form,
      );
      return timingSafeEqual(Buffer.from(computed, 'hex'), expected);
    });
  }
}

function parseHeaderForm(authorization: string, headers: Record<string, string>): ParsedSignature {
  const space = authorization.indexOf(' ');
  const algorithm = space === -1 ? authorization : authorization.slice(0, space);
  if (algorithm !== ALGORITHM) unsupportedAlgorithm(algorithm);
  const parts = new Map<string, string>();
  for (const part of authorization.slice(space + 1).split(',')) {
    const equals = part.indexOf('=');
    if (equals !== -1) parts.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  const get = (name: string) => {
    const value = parts.get(name);
    if (value === undefined || value === '') {
      fail('IncompleteSignatureException', `Authorization header has no ${name}`);
    }
    return value;
  };
  const amzDate = headers['x-amz-date'];
  if (amzDate === undefined) {
    fail('IncompleteSignatureException', 'Request has no X-Amz-Date header');
  }
  return {
    ...parseCredential(get('Credential')),
    signedHeaders: parseSignedHeaders(get('SignedHeaders')),
    signature: parseSignatureValue(get('Signature')),
    amzDate,
  };
}

function parseCredential(credential: string): Pick<ParsedSignature, 'accessKeyId' | 'scope'> {
  const parts = credential.split('/');
  const [accessKeyId, date, region, service, terminator] = parts;
  if (
    parts.length !== 5 ||
    !accessKeyId ||
    !/^\d{8}$/.test(date ?? '') ||
    !region ||
    !service ||
    terminator !== 'aws4_request'
  ) {
    fail(
      'IncompleteSignatureException',
      `Credential "${credential}" is malformed: expected ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/aws4_request`,
    );
  }
  return { accessKeyId, scope: { date: date!, region, service } };
}

function parseSignedHeaders(list: string): string[] {
  const names = list.split(';');
  const valid = names.every((name) => /^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name));
  const sorted = names.every((name, index) => index === 0 || names[index - 1]! < name);
  if (!valid || !sorted) {
    fail(
      'IncompleteSignatureException',
      `SignedHeaders "${list}" is malformed: expected lower-case header names, sorted, separated by ";"`,
    );
  }
  return names;
}

function parseSignatureValue(value: string): string {
  if (!/^[0-9a-f]{64}$/.test(value)) {
    fail(
      'IncompleteSignatureException',
      `Signature "${value}" is malformed: expected 64 hex digits`,
    );
  }
  return value;
}

function withoutSignature(query: Array<[string, string]>): Array<[string, string]> {
  return query.filter(([name]) => name !== 'X-Amz-Signature');
}

function unsupportedAlgorithm(algorithm: string): never {
  return fail(
    'IncompleteSignatureException',
    `Signing algorithm "${algorithm}" is not supported: use ${ALGORITHM}`,
  );
}

function fail(code: AwsErrorType, message: string): never {
  throw new WardenError(code, message);
}
