/**
 * The root key tests start Warden with, and an API gate for the test servers that serve a few
 * routes on their own. Fixed values so a failing request can be replayed by hand.
 */

import { SigV4Auth } from '../api/auth/api-auth.ts';
import { KeyRateLimiter } from '../api/auth/rate-limiter.ts';
import { SigV4Verifier } from '../api/auth/request-verifier.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import type { KeyPair } from '../keys/credentials-file.ts';

export const TEST_ROOT: KeyPair = {
  accessKeyId: 'AKIAWARDENTESTROOT01',
  secretAccessKey: 'warden-test-root-secret-0123456789abcdef',
};

/** Verifies signatures made with TEST_ROOT, as an admin, without rate limits. */
export function testAuth(clock: Clock = systemClock): SigV4Auth {
  const principal = { accessKeyId: TEST_ROOT.accessKeyId, name: 'root', policy: 'admin' as const };
  const verifier = new SigV4Verifier({
    clock,
    regions: 'any',
    resolveKey: (accessKeyId) =>
      accessKeyId === TEST_ROOT.accessKeyId
        ? { secretAccessKey: TEST_ROOT.secretAccessKey, principal }
        : undefined,
  });
  return new SigV4Auth({ verifier, limiter: new KeyRateLimiter(0, clock) });
}

/** Environment variables that make Warden's CLI commands sign with TEST_ROOT. */
export const TEST_ROOT_ENV = {
  AWS_ACCESS_KEY_ID: TEST_ROOT.accessKeyId,
  AWS_SECRET_ACCESS_KEY: TEST_ROOT.secretAccessKey,
};
