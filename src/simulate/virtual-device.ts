/**
 * A virtual device: its profile, its registered certificate and its MQTT session. Each tick it
 * publishes one Device Defender report, waits for Warden's response on the report's `/accepted` or
 * `/rejected` topic, then publishes its telemetry. A session the broker closed is opened again at
 * the next tick, once.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import type { BrokerTarget } from './broker-target.ts';
import type { DeviceProfile } from './device-profile.ts';
import { reportResponseFilter, reportTopic, stateTopic, telemetryTopic } from './fleet-policy.ts';
import { MqttSession } from './mqtt-session.ts';
import type { DeviceSample } from './normal-behavior.ts';
import { sampleReport } from './sample-report.ts';

/** Milliseconds a device waits for the response to its report. */
export const RESPONSE_TIMEOUT_MS = 5_000;

/** A device certificate registered in Warden, with its private key. */
export interface DeviceCertificate {
  certPem: string;
  keyPem: string;
  certificateId: string;
  certificateArn: string;
}

/** Counters of what a device did during the run. */
export interface DeviceStats {
  connects: number;
  connectFailures: number;
  reportsSent: number;
  reportsAccepted: number;
  /** Rejected reports by the response's `ErrorCode`, e.g. `Throttled`. */
  reportsRejected: Record<string, number>;
  reportsUnanswered: number;
  telemetrySent: number;
  /** Errors that stopped a publish, by message, counted so a flapping session stays readable. */
  errors: Record<string, number>;
}

/** The broker address, source address and report interval of a device. */
export interface DeviceConnectionOptions {
  broker: BrokerTarget;
  /** Local address to connect from; the system's choice when undefined. */
  localAddress: string | undefined;
  /**
   * Shortest real time between the response to one report and the next report, in milliseconds,
   * so Warden, which measures from when it accepted the previous report, never throttles one.
   */
  reportIntervalMs: number;
}

type ReportResponse = { status: 'ACCEPTED' } | { status: 'REJECTED'; code: string };

export class VirtualDevice {
  readonly stats: DeviceStats = {
    connects: 0,
    connectFailures: 0,
    reportsSent: 0,
    reportsAccepted: 0,
    reportsRejected: {},
    reportsUnanswered: 0,
    telemetrySent: 0,
    errors: {},
  };
  private session: MqttSession | undefined;
  private readonly pending = new Map<number, (response: ReportResponse | undefined) => void>();
  private lastReportId = 0;
  private lastResponseAt = 0;

  constructor(
    readonly profile: DeviceProfile,
    readonly certificate: DeviceCertificate,
    private readonly options: DeviceConnectionOptions,
  ) {}

  get thingName(): string {
    return this.profile.thingName;
  }

  /** Whether the device has a session the broker has not closed. */
  get connected(): boolean {
    return this.session !== undefined && !this.session.closed;
  }

  /**
   * Opens the session as the thing and subscribes to the report responses.
   * @throws Error when the broker rejects the connection or the subscription
   */
  async connect(): Promise<void> {
    const session = await MqttSession.open({
      broker: this.options.broker,
      clientId: this.thingName,
      certPem: this.certificate.certPem,
      keyPem: this.certificate.keyPem,
      localAddress: this.options.localAddress,
    });
    this.session = session;
    this.stats.connects++;
    session.client.on('message', (topic, payload) => this.handleResponse(topic, payload));
    const [granted] = await session.subscribe([reportResponseFilter(this.thingName)]);
    if (granted === 128) throw new Error('Subscription to the report response topics was rejected');
  }

  /** Opens the session again when the broker closed it; returns whether the device is connected. */
  async reconnect(): Promise<boolean> {
    if (this.connected) return true;
    try {
      await this.session?.close();
      await this.connect();
      return true;
    } catch (error) {
      this.stats.connectFailures++;
      this.count(error);
      return false;
    }
  }

  /** Publishes the retained state message that the fleet's state topic keeps per device. */
  async publishState(simulatedTime: number): Promise<void> {
    const state = { thingName: this.thingName, kind: this.profile.kind, since: simulatedTime };
    await this.publish(stateTopic(this.thingName), JSON.stringify(state), true);
  }

  /** Publishes the sample's report, waits for its response, then publishes the telemetry. */
  async sendSample(sample: DeviceSample): Promise<void> {
    if (!this.connected) return;
    if (sample.skipReport !== true) await this.sendReport(sample);
    for (const payload of sample.telemetry) {
      if (await this.publish(telemetryTopic(this.thingName), payload)) this.stats.telemetrySent++;
    }
  }

  /** Publishes one message at QoS 1; returns false (and counts the error) when it failed. */
  async publish(topic: string, payload: string | Buffer, retain = false): Promise<boolean> {
    if (this.session === undefined) return false;
    try {
      await this.session.publish(topic, payload, retain);
      return true;
    } catch (error) {
      this.count(error);
      return false;
    }
  }

  /** The live session, for scenarios that watch it; undefined while it is closed. */
  get currentSession(): MqttSession | undefined {
    return this.connected ? this.session : undefined;
  }

  /**
   * Returns the live session for scenarios that act over the device's own connection. A session
   * the broker closed is opened again first, and undefined means the device cannot connect.
   */
  async liveSession(): Promise<MqttSession | undefined> {
    return (await this.reconnect()) ? this.session : undefined;
  }

  /** Ends the session; reports still waiting for a response count as unanswered. */
  async close(): Promise<void> {
    for (const resolve of this.pending.values()) resolve(undefined);
    this.pending.clear();
    await this.session?.close();
  }

  private async sendReport(sample: DeviceSample): Promise<void> {
    const wait = this.lastResponseAt + this.options.reportIntervalMs - Date.now();
    if (wait > 0) await sleep(wait);

    // Ids only grow, also across runs against the same Warden, which rejects a repeated id.
    const reportId = Math.max(Date.now(), this.lastReportId + 1);
    this.lastReportId = reportId;
    const document = sampleReport(sample, reportId);

    const response = new Promise<ReportResponse | undefined>((resolve) => {
      const timer = setTimeout(() => finish(undefined), RESPONSE_TIMEOUT_MS);
      const finish = (value: ReportResponse | undefined) => {
        clearTimeout(timer);
        this.pending.delete(reportId);
        resolve(value);
      };
      this.pending.set(reportId, finish);
    });
    if (!(await this.publish(reportTopic(this.thingName), JSON.stringify(document)))) {
      this.pending.get(reportId)?.(undefined);
      return;
    }
    this.stats.reportsSent++;
    this.record(await response);
    this.lastResponseAt = Date.now();
  }

  private record(response: ReportResponse | undefined): void {
    if (response === undefined) this.stats.reportsUnanswered++;
    else if (response.status === 'ACCEPTED') this.stats.reportsAccepted++;
    else
      this.stats.reportsRejected[response.code] =
        (this.stats.reportsRejected[response.code] ?? 0) + 1;
  }

  private handleResponse(topic: string, payload: Buffer): void {
    if (!topic.startsWith(`${reportTopic(this.thingName)}/`)) return;
    let body: { reportId?: unknown; status?: unknown; statusDetails?: { ErrorCode?: unknown } };
    try {
      body = JSON.parse(payload.toString('utf8'));
    } catch {
      return;
    }
    const resolve = typeof body.reportId === 'number' ? this.pending.get(body.reportId) : undefined;
    if (resolve === undefined) return;
    if (body.status === 'ACCEPTED') resolve({ status: 'ACCEPTED' });
    else resolve({ status: 'REJECTED', code: String(body.statusDetails?.ErrorCode ?? 'Unknown') });
  }

  private count(error: unknown): void {
    const message = (error as Error).message;
    this.stats.errors[message] = (this.stats.errors[message] ?? 0) + 1;
  }
}
