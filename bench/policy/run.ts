/**
 * Micro-benchmark of the policy engine on a typical device policy: thing-scoped Connect, Publish,
 * Subscribe and Receive, shadow topics, and a Deny. Prints evaluations per second for the one-off
 * `evaluate`, for a bound authorizer with and without its decision cache, and for binding itself.
 *
 * Run: node --import tsx bench/policy/run.ts [milliseconds per case, default 1000]
 */

import { cpus } from 'node:os';

import {
  bindContext,
  compilePolicy,
  evaluate,
  type PolicyContext,
} from '../../src/broker/policy/index.ts';

const ARN = 'arn:aws:iot:us-east-1:123456789012:';
const THING = '${iot:Connection.Thing.ThingName}';
const MAX_DURATION_MS = 10_000;

const DEVICE_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'iot:Connect',
      Resource: `${ARN}client/${THING}`,
      Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
    },
    {
      Effect: 'Allow',
      Action: 'iot:Publish',
      Resource: [`${ARN}topic/devices/${THING}/*`, `${ARN}topic/$aws/things/${THING}/shadow/*`],
    },
    {
      Effect: 'Allow',
      Action: 'iot:Subscribe',
      Resource: [
        `${ARN}topicfilter/devices/${THING}/*`,
        `${ARN}topicfilter/$aws/things/${THING}/shadow/*`,
      ],
    },
    {
      Effect: 'Allow',
      Action: 'iot:Receive',
      Resource: [`${ARN}topic/devices/${THING}/*`, `${ARN}topic/$aws/things/${THING}/shadow/*`],
    },
    { Effect: 'Deny', Action: 'iot:Publish', Resource: `${ARN}topic/devices/${THING}/firmware/*` },
  ],
});

const CONTEXT: PolicyContext = {
  clientId: 'sensor-0042',
  thingName: 'sensor-0042',
  isAttached: true,
  sourceIp: '203.0.113.42',
  region: 'us-east-1',
  accountId: '123456789012',
  now: Date.now(),
};

/** Runs `body` in batches until `durationMs` passes and returns calls per second. */
function measure(durationMs: number, body: (i: number) => void): number {
  const batch = 1000;
  let calls = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(durationMs) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < batch; i++) body(calls + i);
    calls += batch;
    now = process.hrtime.bigint();
  }
  return calls / (Number(now - start) / 1e9);
}

function report(name: string, perSecond: number): void {
  const rate = Math.round(perSecond).toLocaleString('en-US');
  console.log(`${name.padEnd(52)} ${rate.padStart(14)} /s`);
}

function main(): void {
  const durationMs = Number(process.argv[2] ?? 1000);
  if (!Number.isInteger(durationMs) || durationMs < 1 || durationMs > MAX_DURATION_MS) {
    throw new RangeError(
      `Invalid duration "${process.argv[2]}": must be 1-${MAX_DURATION_MS} milliseconds`,
    );
  }
  const policy = compilePolicy('device-policy', DEVICE_POLICY);
  const topics = Array.from({ length: 4096 }, (_, i) => `devices/sensor-0042/metrics/${i}`);
  const topicArns = topics.map((topic) => `${ARN}topic/${topic}`);
  let sink = 0;
  const count = (allowed: boolean): void => {
    sink += allowed ? 1 : 0;
  };

  console.log(
    `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${durationMs} ms per case`,
  );
  report(
    'compilePolicy (document text to compiled policy)',
    measure(durationMs, () => count(compilePolicy('p', DEVICE_POLICY).statements.length > 0)),
  );
  report(
    'evaluate() one-off, iot:Publish',
    measure(durationMs, (i) => {
      const request = { action: 'iot:Publish', resource: topicArns[i % topicArns.length] ?? '' };
      count(evaluate([policy], request, CONTEXT).decision === 'allow');
    }),
  );
  report(
    'bindContext + connect() (once per connection)',
    measure(durationMs, () => count(bindContext([policy], CONTEXT).connect().decision === 'allow')),
  );

  const uncached = bindContext([policy], CONTEXT, { cacheSize: 0 });
  report(
    'bound publish(), no cache, distinct topics',
    measure(durationMs, (i) =>
      count(uncached.publish(topics[i % topics.length] ?? '').decision === 'allow'),
    ),
  );
  const cached = bindContext([policy], CONTEXT);
  report(
    'bound publish(), cache of 256, 16 repeating topics',
    measure(durationMs, (i) => count(cached.publish(topics[i % 16] ?? '').decision === 'allow')),
  );
  report(
    'bound publish(), cache of 256, 4096 topics (misses)',
    measure(durationMs, (i) =>
      count(cached.publish(topics[i % topics.length] ?? '').decision === 'allow'),
    ),
  );
  report(
    'bound receive() on a denied topic, no cache',
    measure(durationMs, (i) => count(uncached.receive(`other/${i % 64}`).decision === 'allow')),
  );

  if (sink < 0) console.log(sink);
}

main();
