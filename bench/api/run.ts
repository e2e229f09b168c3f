/**
 * Cost of request signing on the API: SigV4 verifications per second on one core, and signed
 * round trips per second of a small read (DescribeThing) against a real Warden over loopback.
 * The ratio of the two is the share of a request that the signature check takes.
 *
 * Run with `npm run bench:api -- [--seconds=5]`.
 */

import { performance } from 'node:perf_hooks';
import { SigV4Verifier } from '../../src/api/auth/request-verifier.ts';
import { signRequest } from '../../src/client/signed-fetch.ts';
import { systemClock } from '../../src/core/clock.ts';
import { TEST_ROOT } from '../../src/testing/credentials.ts';
import { TestWarden } from '../../src/testing/harness.ts';

const seconds = Number(
  process.argv.find((arg) => arg.startsWith('--seconds='))?.split('=')[1] ?? '5',
);

function verifierRate(): number {
  const principal = { accessKeyId: TEST_ROOT.accessKeyId, name: 'root', policy: 'admin' as const };
  const verifier = new SigV4Verifier({
    clock: systemClock,
    regions: 'any',
    resolveKey: () => ({ secretAccessKey: TEST_ROOT.secretAccessKey, principal }),
  });
  const body = JSON.stringify({ targetCheckNames: ['LOGGING_DISABLED_CHECK'] });
  const url = 'http://127.0.0.1:8080/audit/tasks';
  const headers = signRequest(
    { method: 'POST', url, headers: { 'content-type': 'application/json' }, body },
    TEST_ROOT,
  );
  const request = { method: 'POST', url: '/audit/tasks', headers, body: Buffer.from(body) };
  const deadline = performance.now() + seconds * 1000;
  let count = 0;
  while (performance.now() < deadline) {
    for (let index = 0; index < 1000; index += 1) verifier.verify(request);
    count += 1000;
  }
  return count / seconds;
}

async function roundTripRate(warden: TestWarden): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let count = 0;
  while (performance.now() < deadline) {
    const response = await warden.api('GET', '/things/bench-thing');
    if (response.status !== 200) throw new Error(`DescribeThing failed: ${response.status}`);
    count += 1;
  }
  return count / seconds;
}

const warden = await TestWarden.start();
try {
  await warden.api('POST', '/things/bench-thing', {});
  const verifications = verifierRate();
  const roundTrips = await roundTripRate(warden);
  const share = roundTrips / verifications;
  process.stdout.write(
    `${JSON.stringify({ seconds, verificationsPerSecond: Math.round(verifications), signedRoundTripsPerSecond: Math.round(roundTrips), verifyShareOfRequest: Number(share.toFixed(3)) })}\n`,
  );
} finally {
  await warden.stop();
}
