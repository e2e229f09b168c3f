import mqtt, { type MqttClient } from 'mqtt';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Clock } from '../core/clock.ts';
import { silentLogger, type Logger } from '../core/logger.ts';
import type { AlertTargetConfig } from '../detect/alert-target.ts';
import { signedFetch } from '../client/signed-fetch.ts';
import type { KeyPair } from '../keys/credentials-file.ts';
import { WardenService, type Endpoints } from '../service/warden-service.ts';
import { TEST_ROOT } from './credentials.ts';
import type { TestCertificate } from './pki.ts';

export interface TestWardenOptions {
  clock?: Clock;
  /** Shortest report interval; tests default to 0 so reports are never throttled. */
  minReportIntervalMs?: number;
  alertTargets?: AlertTargetConfig[];
  logger?: Logger;
  /** Reuse a data directory, e.g. to test a restart. */
  dataDir?: string;
  /** API requests per second per key; tests default to no limit. */
  rateLimitPerKey?: number;
  /** The root pair; TEST_ROOT when absent, `null` to let Warden generate its credentials file. */
  root?: KeyPair | null;
  /** Serve the API over HTTPS; `api()` then trusts the server CA. */
  apiTls?: boolean;
  /** Badly signed requests per address and minute; the service default when absent. */
  authFailureLimit?: number;
}

export interface ApiResponse {
  status: number;
  errorType: string | null;
  /** Parsed JSON of whichever shape the operation returns; tests read it loosely. */
  body: any;
}

/** A Warden service on 127.0.0.1 with ports picked by the OS and its own temporary data dir. */
export class TestWarden {
  private constructor(
    readonly service: WardenService,
    readonly endpoints: Endpoints,
    readonly dataDir: string,
    readonly serverCaPem: string,
    private readonly ownsDir: boolean,
  ) {}

  /** The root key the API calls of this harness sign with. */
  get credentials(): KeyPair {
    const root = this.service.rootCredentials;
    return { accessKeyId: root.accessKeyId, secretAccessKey: root.secretAccessKey };
  }

  static async start(options: TestWardenOptions = {}): Promise<TestWarden> {
    const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'warden-test-')));
    const root = options.root === undefined ? TEST_ROOT : options.root;
    const service = new WardenService({
      dataDir,
      host: '127.0.0.1',
      mqttPort: 0,
      httpPort: 0,
      logger: options.logger ?? silentLogger(),
      minReportIntervalMs: options.minReportIntervalMs ?? 0,
      scheduleCloudMetrics: false,
      rateLimitPerKey: options.rateLimitPerKey ?? 0,
      apiTls: options.apiTls === true,
      ...(options.authFailureLimit === undefined
        ? {}
        : { authFailureLimit: options.authFailureLimit }),
      ...(root === null
        ? {}
        : { rootAccessKeyId: root.accessKeyId, rootSecretAccessKey: root.secretAccessKey }),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.alertTargets ? { alertTargets: options.alertTargets } : {}),
    });
    const endpoints = await service.start();
    const ca = await readFile(path.join(dataDir, 'tls', 'server-ca.pem'), 'utf8');
    return new TestWarden(service, endpoints, dataDir, ca, options.dataDir === undefined);
  }

  get mqttPort(): number {
    return Number(new URL(this.endpoints.mqtt).port);
  }

  /**
   * Calls the REST API, signed with the root key (or `credentials`), with a JSON body and returns
   * status, error type and parsed body.
   */
  async api(
    method: string,
    pathAndQuery: string,
    body?: unknown,
    headers: Record<string, string> = {},
    credentials: KeyPair = this.credentials,
  ): Promise<ApiResponse> {
    const init: { method: string; headers: Record<string, string>; body?: string } = {
      method,
      headers: { 'content-type': 'application/json', ...headers },
    };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const response = await signedFetch(`${this.endpoints.http}${pathAndQuery}`, init, credentials);
    const text = await response.text();
    return {
      status: response.status,
      errorType: response.headers.get('x-amzn-errortype'),
      body: text === '' ? undefined : JSON.parse(text),
    };
  }

  /** Registers a CA (ACTIVE) through the API and returns its id. */
  async registerCa(ca: TestCertificate): Promise<string> {
    const response = await this.api('POST', '/cacertificate?setAsActive=true', {
      caCertificate: ca.certPem,
    });
    if (response.status !== 200)
      throw new Error(`RegisterCACertificate failed: ${JSON.stringify(response.body)}`);
    return response.body.certificateId as string;
  }

  /**
   * Registers a device certificate as ACTIVE, creates the thing, attaches both, and attaches the
   * named policy when given. Returns the certificate ARN.
   */
  async registerDevice(
    thingName: string,
    device: TestCertificate,
    options: { policyName?: string; withoutCa?: boolean } = {},
  ): Promise<string> {
    const path = options.withoutCa ? '/certificate/register-no-ca' : '/certificate/register';
    const registered = await this.api('POST', path, {
      certificatePem: device.certPem,
      status: 'ACTIVE',
    });
    if (registered.status !== 200)
      throw new Error(`Registering the certificate failed: ${JSON.stringify(registered.body)}`);
    const arn = registered.body.certificateArn as string;
    await this.api('POST', `/things/${thingName}`, {});
    await this.api('PUT', `/things/${thingName}/principals`, undefined, {
      'x-amzn-principal': arn,
    });
    if (options.policyName)
      await this.api('PUT', `/target-policies/${options.policyName}`, { target: arn });
    return arn;
  }

  async createPolicy(name: string, document: unknown): Promise<void> {
    const response = await this.api('POST', `/policies/${name}`, {
      policyDocument: JSON.stringify(document),
    });
    if (response.status !== 200)
      throw new Error(`CreatePolicy failed: ${JSON.stringify(response.body)}`);
  }

  /** Connects an mqtt.js client with a client certificate; rejects on a refused connection. */
  connect(
    clientId: string,
    device: TestCertificate,
    options: { reconnect?: boolean } = {},
  ): Promise<MqttClient> {
    const client = mqtt.connect(this.endpoints.mqtt, {
      clientId,
      protocolVersion: 4,
      cert: device.certPem,
      key: device.keyPem,
      ca: this.serverCaPem,
      reconnectPeriod: options.reconnect ? 1000 : 0,
      connectTimeout: 5000,
    });
    return new Promise((resolve, reject) => {
      client.once('connect', () => resolve(client));
      client.once('error', (error) => {
        client.end(true);
        reject(error);
      });
      client.once('close', () => reject(new Error('Connection closed before CONNACK')));
    });
  }

  /** Stops Warden and removes its data directory, unless the test keeps it for a restart. */
  async stop(options: { keepData?: boolean } = {}): Promise<void> {
    await this.service.stop();
    if (this.ownsDir && options.keepData !== true) {
      await rm(this.dataDir, { recursive: true, force: true });
    }
  }
}

/** A policy that lets a device connect as its thing and use its own `$aws/things/NAME/` topics. */
export function thingScopedPolicy(): unknown {
  const own = '$aws/things/${iot:Connection.Thing.ThingName}';
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'iot:Connect',
        Resource: 'arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}',
      },
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
