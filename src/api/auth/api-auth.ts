/**
 * The API's gate: every request is verified (SigV4), counted against its key's rate and checked
 * against the key's policy before any operation runs.
 */

import type { IncomingMessage } from 'node:http';
import type { Principal } from '../../keys/api-key.ts';
import { authorize } from './access-policy.ts';
import { WardenError } from '../../core/errors.ts';
import type { FailureLimiter } from './failure-limiter.ts';
import type { KeyRateLimiter } from './rate-limiter.ts';
import type { SigV4Verifier, WireRequest } from './request-verifier.ts';

export interface ApiAuth {
  /** @throws WardenError with a 403 type, or ThrottlingException. */
  authenticate(request: WireRequest): Principal;
  /** @throws WardenError AccessDeniedException. */
  authorize(principal: Principal, operation: string): void;
}

export interface SigV4AuthOptions {
  verifier: SigV4Verifier;
  limiter: KeyRateLimiter;
  /** Refuses addresses that send too many badly signed requests. */
  failures?: FailureLimiter;
  /** Told once per window when an address goes over its failure limit. */
  onBlocked?: (address: string) => void;
}

export class SigV4Auth implements ApiAuth {
  constructor(private readonly options: SigV4AuthOptions) {}

  authenticate(request: WireRequest): Principal {
    const { verifier, limiter, failures } = this.options;
    const address = request.sourceAddress ?? '';
    failures?.check(address);
    let principal: Principal;
    try {
      principal = verifier.verify(request);
    } catch (error) {
      const refused = error instanceof WardenError && error.status === 403;
      if (refused && failures?.recordFailure(address) === true) this.options.onBlocked?.(address);
      throw error;
    }
    limiter.take(principal.accessKeyId);
    return principal;
  }

  authorize(principal: Principal, operation: string): void {
    authorize(principal, operation);
  }
}

/** Header values by lowercase name, repeated headers joined with commas as SigV4 joins them. */
export function wireHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  const raw = request.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index]!.toLowerCase();
    const value = raw[index + 1]!;
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  return headers;
}
