import { performance } from 'node:perf_hooks';
import type { TestWarden } from '../../src/testing/harness.ts';
import { thingScopedPolicy } from '../../src/testing/harness.ts';
import { createTestCa, issueTestCertificate, type TestCertificate } from '../../src/testing/pki.ts';
import type { DeviceCredentials } from './protocol.ts';
import {
  ALLOWED_CIDRS,
  ALLOWED_PORTS,
  BYTES_OUT_PER_REPORT,
  CUSTOM_METRIC,
} from './report-payload.ts';

const POLICY_NAME = 'bench-device';
const PROFILE_NAME = 'bench-fleet';
const ALL_THINGS = 'arn:aws:iot:us-east-1:123456789012:all/things';

/** Registered fleet: the device credentials and the duration of each set-up step. */
export interface Fleet {
  devices: DeviceCredentials[];
  certificates: 'one-per-device' | 'shared';
  certificateMs: number;
  registrationMs: number;
}

export interface FleetOptions {
  count: number;
  sharedCertificate: boolean;
  /** Devices registered at once through the REST API. */
  registrationConcurrency: number;
}

/**
 * Builds the policy of every device: `thingScopedPolicy()`, which allows the device's own
 * `$aws/things/NAME/` topics, plus its own `bench/NAME/` topics for the plain-publish phase.
 */
export function benchPolicy(): unknown {
  const policy = thingScopedPolicy() as { Version: string; Statement: unknown[] };
  const own = 'bench/${iot:Connection.Thing.ThingName}';
  return {
    Version: policy.Version,
    Statement: [
      ...policy.Statement,
      {
        Effect: 'Allow',
        Action: ['iot:Publish', 'iot:Receive'],
        Resource: `arn:aws:iot:*:*:topic/${own}/*`,
      },
      {
        Effect: 'Allow',
        Action: 'iot:Subscribe',
        Resource: `arn:aws:iot:*:*:topicfilter/${own}/*`,
      },
    ],
  };
}

/**
 * Issues the device certificates, then registers every certificate, thing, principal attachment
 * and policy attachment through the REST API, as an operator would.
 */
export async function createFleet(warden: TestWarden, options: FleetOptions): Promise<Fleet> {
  const ca = await createTestCa('Bench fleet CA');
  await warden.registerCa(ca);
  await warden.createPolicy(POLICY_NAME, benchPolicy());
  const names = deviceNames(options.count);

  const certificateStart = performance.now();
  const certificates = options.sharedCertificate
    ? [await issueTestCertificate(ca, 'bench-shared')]
    : await issueInBatches(ca, names, 64);
  const certificateMs = performance.now() - certificateStart;

  const registrationStart = performance.now();
  const arns = await registerCertificates(warden, certificates, options.registrationConcurrency);
  const devices = names.map((thingName, i) => {
    const index = options.sharedCertificate ? 0 : i;
    const certificate = certificates[index] as TestCertificate;
    return { thingName, arn: arns[index] as string, certificate };
  });
  await forEachLimited(devices, options.registrationConcurrency, async (device) => {
    await expectOk(warden, 'POST', `/things/${device.thingName}`, {});
    await expectOk(warden, 'PUT', `/things/${device.thingName}/principals`, undefined, {
      'x-amzn-principal': device.arn,
    });
  });
  const registrationMs = performance.now() - registrationStart;

  return {
    devices: devices.map(({ thingName, certificate }) => ({
      thingName,
      certPem: certificate.certPem,
      keyPem: certificate.keyPem,
    })),
    certificates: options.sharedCertificate ? 'shared' : 'one-per-device',
    certificateMs,
    registrationMs,
  };
}

/** The thing names of a fleet of `count` devices, in connection order. */
export function deviceNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `bench-${String(i).padStart(5, '0')}`);
}

/** Creates the things alone, without certificates, for runs that bypass MQTT. */
export async function createThings(
  warden: TestWarden,
  names: readonly string[],
  concurrency: number,
): Promise<void> {
  await forEachLimited(names, concurrency, async (thingName) => {
    await expectOk(warden, 'POST', `/things/${thingName}`, {});
  });
}

/**
 * Creates the custom metric and a profile of five behaviors on four device-side built-in metrics
 * and the custom metric, and attaches it to all things, so every report is really evaluated.
 */
export async function createSecurityProfile(warden: TestWarden): Promise<unknown[]> {
  await expectOk(warden, 'POST', `/custom-metric/${CUSTOM_METRIC}`, {
    metricType: 'number',
    clientRequestToken: 'bench-custom-metric',
  });
  const behaviors = [
    {
      name: 'few-listening-tcp-ports',
      metric: 'aws:num-listening-tcp-ports',
      criteria: { comparisonOperator: 'less-than-equals', value: { count: 5 } },
    },
    {
      name: 'known-tcp-ports',
      metric: 'aws:listening-tcp-ports',
      criteria: { comparisonOperator: 'in-port-set', value: { ports: ALLOWED_PORTS } },
    },
    {
      name: 'known-destinations',
      metric: 'aws:destination-ip-addresses',
      criteria: { comparisonOperator: 'in-cidr-set', value: { cidrs: ALLOWED_CIDRS } },
    },
    {
      name: 'bytes-out-5-minutes',
      metric: 'aws:all-bytes-out',
      criteria: {
        comparisonOperator: 'less-than',
        // Far above what 64 kept samples (the per-series cap) can sum to, so it stays compliant.
        value: { count: BYTES_OUT_PER_REPORT * 1_000_000 },
        durationSeconds: 300,
      },
    },
    {
      name: 'cool-cpu',
      metric: CUSTOM_METRIC,
      criteria: { comparisonOperator: 'less-than', value: { number: 90 } },
    },
  ];
  await expectOk(warden, 'POST', `/security-profiles/${PROFILE_NAME}`, { behaviors });
  await expectOk(
    warden,
    'PUT',
    `/security-profiles/${PROFILE_NAME}/targets?securityProfileTargetArn=${ALL_THINGS}`,
  );
  return behaviors;
}

async function issueInBatches(
  ca: TestCertificate,
  names: string[],
  batch: number,
): Promise<TestCertificate[]> {
  const issued: TestCertificate[] = [];
  for (let start = 0; start < names.length; start += batch) {
    const chunk = names.slice(start, start + batch);
    issued.push(...(await Promise.all(chunk.map((name) => issueTestCertificate(ca, name)))));
  }
  return issued;
}

async function registerCertificates(
  warden: TestWarden,
  certificates: TestCertificate[],
  concurrency: number,
): Promise<string[]> {
  const arns: string[] = new Array(certificates.length);
  await forEachLimited(
    certificates.map((certificate, index) => ({ certificate, index })),
    concurrency,
    async (entry) => {
      const response = await expectOk(warden, 'POST', '/certificate/register', {
        certificatePem: entry.certificate.certPem,
        status: 'ACTIVE',
      });
      const arn = response.certificateArn as string;
      arns[entry.index] = arn;
      await expectOk(warden, 'PUT', `/target-policies/${POLICY_NAME}`, { target: arn });
    },
  );
  return arns;
}

async function expectOk(
  warden: TestWarden,
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<any> {
  const response = await warden.api(method, path, body, headers);
  if (response.status !== 200) {
    throw new Error(
      `Setup request ${method} "${path}" failed with status ${response.status}: ${JSON.stringify(response.body)}`,
    );
  }
  return response.body;
}

async function forEachLimited<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}
