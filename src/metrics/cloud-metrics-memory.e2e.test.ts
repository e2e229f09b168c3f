import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FakeClock } from '../core/clock.ts';
import { TestWarden } from '../testing/harness.ts';
import { createSelfSignedTestCertificate } from '../testing/pki.ts';

const HOUR_MS = 3600_000;

let warden: TestWarden;
const clock = new FakeClock(Date.now());

before(async () => {
  warden = await TestWarden.start({ clock });
});

after(async () => {
  await warden?.stop();
});

test('cloud metrics forget client IDs that only tried to connect', async () => {
  const stranger = await createSelfSignedTestCertificate('stranger');
  for (let index = 0; index < 20; index++) {
    await assert.rejects(warden.connect(`random-${index}`, stranger));
  }
  assert.equal(warden.service.cloudMetrics.trackedIdentities, 20);

  clock.advance(HOUR_MS + 10 * 60_000);
  await warden.service.cloudMetrics.closeDueBuckets();
  assert.equal(warden.service.cloudMetrics.trackedIdentities, 0);
});
