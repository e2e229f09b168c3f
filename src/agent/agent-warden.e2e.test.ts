import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TestWarden, thingScopedPolicy } from '../testing/harness.ts';
import { createTestCa, issueTestCertificate } from '../testing/pki.ts';
import { runAgent } from './agent.ts';

describe('agent against Warden', () => {
  let warden: TestWarden;
  let dir: string;

  before(async () => {
    warden = await TestWarden.start();
    dir = await mkdtemp(path.join(tmpdir(), 'warden-agent-e2e-'));
    const ca = await createTestCa('Fleet CA');
    await warden.registerCa(ca);
    await warden.createPolicy('device', thingScopedPolicy());
    // One thing per format: two runs in the same second would reuse an epoch-second report id.
    for (const thing of ['host-json', 'host-cbor']) {
      const device = await issueTestCertificate(ca, thing);
      await warden.registerDevice(thing, device, { policyName: 'device' });
      await writeFile(path.join(dir, `${thing}.pem`), device.certPem);
      await writeFile(path.join(dir, `${thing}.key`), device.keyPem);
    }
    await writeFile(path.join(dir, 'server-ca.pem'), warden.serverCaPem);
  });

  after(async () => {
    await warden?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  for (const [format, shortKeys] of [
    ['json', false],
    ['cbor', true],
  ] as const) {
    test(`reports from this machine are accepted (${format}, ${shortKeys ? 'short' : 'long'} keys)`, async () => {
      const thingName = `host-${format}`;
      const lines: string[] = [];
      const summary = await runAgent({
        endpoint: warden.endpoints.mqtt,
        thingName,
        certFile: path.join(dir, `${thingName}.pem`),
        keyFile: path.join(dir, `${thingName}.key`),
        caFile: path.join(dir, 'server-ca.pem'),
        intervalMs: 200,
        format,
        shortKeys,
        reports: 2,
        responseTimeoutMs: 5000,
        output: (line) => lines.push(line),
      });

      assert.deepEqual(
        summary,
        { published: 2, accepted: 2, rejected: 0, unanswered: 0 },
        lines.join('\n'),
      );
      const stored = await warden.service.detect.store.queryReports(
        thingName,
        0,
        Date.now() + 1000,
      );
      const metrics = new Set(
        stored.flatMap((report) => report.datapoints.map((point) => point.metric)),
      );
      assert.ok(metrics.has('aws:listening-tcp-ports'), [...metrics].join(', '));
      assert.ok(metrics.has('aws:num-established-tcp-connections'));
    });
  }
});
