/**
 * The `warden agent` loop: a Device Defender device agent that connects over MQTT with a TLS
 * client certificate, publishes a metrics report every interval and prints the responses.
 */
import { readFile } from 'node:fs/promises';

import { encode } from 'cbor-x';
import { connect, type MqttClient } from 'mqtt';

import { MetricsCollector } from './collector.ts';
import { decodeResponse, describeResponse, type ReportFormat } from './report-response.ts';

export type { ReportFormat };

export interface AgentOptions {
  /** `mqtts://HOST:PORT` of the broker. */
  endpoint: string;
  thingName: string;
  /** PEM files of the device certificate, its private key and the CA of the broker certificate. */
  certFile: string;
  keyFile: string;
  caFile: string;
  /** Seconds between reports, 300 by default because Device Defender throttles faster reporting. */
  intervalSeconds?: number;
  /** Milliseconds between reports, overriding `intervalSeconds`. Tests use it, the CLI does not. */
  intervalMs?: number;
  format: ReportFormat;
  shortKeys: boolean;
  /** MQTT client ID, by default the thing name, which is what AWS IoT policies usually expect. */
  clientId?: string;
  /** Number of reports after which the run stops, once each has a response or timed out. */
  reports?: number;
  /** Wait for the responses to the last report when `reports` is set, 30 s by default. */
  responseTimeoutMs?: number;
  /** First and maximum wait before reconnecting. The wait doubles after each failed attempt. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** Receives one line per event: connection changes, reports published, responses, errors. */
  output: (line: string) => void;
  signal?: AbortSignal;
}

/** Counts of one run, so the CLI can choose its exit code. */
export interface AgentSummary {
  published: number;
  accepted: number;
  rejected: number;
  unanswered: number;
}

/** The largest delay `setTimeout` and `setInterval` accept, in milliseconds. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Settings {
  intervalMs: number;
  responseTimeoutMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  reportTopic: string;
}

/**
 * Runs the agent until `signal` aborts or, with `reports`, until that many reports have responses.
 * The first report goes out as soon as the response topics are subscribed. A report that falls due
 * while the connection is down is skipped, not queued, because Device Defender takes only current
 * metrics. The traffic it would have carried goes into the next report's deltas.
 *
 * @throws {RangeError} when `reports` or a duration option is not a positive number in range
 * @throws {Error} when a certificate, key or CA file cannot be read
 */
export async function runAgent(options: AgentOptions): Promise<AgentSummary> {
  const settings = resolveSettings(options);
  const [cert, key, ca] = await Promise.all([
    readPem(options.certFile, 'certificate'),
    readPem(options.keyFile, 'private key'),
    readPem(options.caFile, 'CA certificate'),
  ]);

  if (options.signal?.aborted) return { published: 0, accepted: 0, rejected: 0, unanswered: 0 };
  return new AgentSession(options, settings).run({ cert, key, ca });
}

function resolveSettings(options: AgentOptions): Settings {
  checkDurations(options);
  const { reports } = options;
  if (reports !== undefined && !(Number.isSafeInteger(reports) && reports > 0)) {
    throw new RangeError(`Invalid reports "${reports}": must be a positive integer`);
  }

  const settings = {
    intervalMs: options.intervalMs ?? (options.intervalSeconds ?? 300) * 1000,
    responseTimeoutMs: options.responseTimeoutMs ?? 30_000,
    reconnectMinMs: options.reconnectMinMs ?? 1000,
    reconnectMaxMs: options.reconnectMaxMs ?? 60_000,
    reportTopic: `$aws/things/${options.thingName}/defender/metrics/${options.format}`,
  };

  if (settings.reconnectMaxMs < settings.reconnectMinMs) {
    const value = settings.reconnectMaxMs;
    throw new RangeError(`Invalid reconnectMaxMs "${value}": must be at least reconnectMinMs`);
  }
  return settings;
}

const DURATION_OPTIONS = [
  'intervalSeconds',
  'intervalMs',
  'responseTimeoutMs',
  'reconnectMinMs',
  'reconnectMaxMs',
] as const;

/** Rejects durations that are not positive or that Node.js timers cannot wait for. */
function checkDurations(options: AgentOptions): void {
  for (const name of DURATION_OPTIONS) {
    const value = options[name];
    if (value === undefined) continue;

    const seconds = name === 'intervalSeconds';
    const milliseconds = seconds ? value * 1000 : value;
    if (milliseconds > 0 && milliseconds <= MAX_TIMER_MS) continue;

    const limit = seconds ? `${Math.floor(MAX_TIMER_MS / 1000)} seconds` : `${MAX_TIMER_MS} ms`;
    throw new RangeError(`Invalid ${name} "${value}": must be more than 0 and at most ${limit}`);
  }
}

async function readPem(path: string, description: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new Error(`Cannot read ${description} file "${path}": ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** State of one run: the MQTT client, the report timer and the reports awaiting a response. */
class AgentSession {
  private readonly options: AgentOptions;
  private readonly settings: Settings;
  private readonly collector: MetricsCollector;
  private readonly pending = new Set<number>();
  private readonly summary: AgentSummary = {
    published: 0,
    accepted: 0,
    rejected: 0,
    unanswered: 0,
  };
  private client: MqttClient | undefined;
  private subscribed = false;
  /** Whether the current connection got its CONNACK, to tell a lost session from a rejected one. */
  private sessionOpen = false;
  private reconnectAttempts = 0;
  private reportTimer: NodeJS.Timeout | undefined;
  private responseTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private finish: (summary: AgentSummary) => void = () => {};
  private readonly onAbort = (): void => this.stop('Stopped by signal');

  constructor(options: AgentOptions, settings: Settings) {
    this.options = options;
    this.settings = settings;
    this.collector = new MetricsCollector({ shortKeys: options.shortKeys });
  }

  run(tls: { cert: Buffer; key: Buffer; ca: Buffer }): Promise<AgentSummary> {
    const done = new Promise<AgentSummary>((resolve) => (this.finish = resolve));
    this.options.signal?.addEventListener('abort', this.onAbort, { once: true });

    this.client = connect(this.options.endpoint, {
      protocolVersion: 4,
      clientId: this.options.clientId ?? this.options.thingName,
      clean: true,
      // Subscriptions are renewed in onConnect, after which the report timer may publish.
      resubscribe: false,
      reconnectPeriod: this.settings.reconnectMinMs,
      // A CONNACK refusal such as "Not authorized" may clear once the operator fixes the policy or
      // activates the certificate, so it is retried like a network failure.
      reconnectOnConnackError: true,
      ...tls,
      rejectUnauthorized: true,
    });
    this.listen(this.client);
    return done;
  }

  private listen(client: MqttClient): void {
    client.on('connect', () => this.onConnect(client));
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    client.on('error', (error) => this.options.output(`Connection error: ${error.message}`));
    client.on('reconnect', () => this.onReconnect(client));
    client.on('close', () => this.onClose(client));
  }

  private onConnect(client: MqttClient): void {
    this.reconnectAttempts = 0;
    this.sessionOpen = true;
    client.options.reconnectPeriod = this.settings.reconnectMinMs;
    this.options.output(
      `Connected to ${this.options.endpoint} as client "${client.options.clientId}"`,
    );

    const topics = [
      `${this.settings.reportTopic}/accepted`,
      `${this.settings.reportTopic}/rejected`,
    ];
    client.subscribe(topics, { qos: 1 }, (error, granted) => {
      const rejectedTopics = (granted ?? [])
        .filter((grant) => grant.qos === 128)
        .map((grant) => grant.topic);
      // Reports still go out without the response topics, because the service ingests them.
      if (error || rejectedTopics.length > 0) {
        const reason = error ? error.message : `rejected for "${rejectedTopics.join('", "')}"`;
        this.options.output(`Subscription to the response topics failed: ${reason}`);
      }
      this.subscribed = true;
      if (this.reportTimer === undefined) this.startReports();
    });
  }

  /** Doubles the wait before the next attempt, up to the maximum. mqtt.js reads it on close. */
  private onReconnect(client: MqttClient): void {
    this.reconnectAttempts += 1;
    const wait = this.settings.reconnectMinMs * 2 ** this.reconnectAttempts;
    client.options.reconnectPeriod = Math.min(wait, this.settings.reconnectMaxMs);
    this.options.output(
      `Reconnecting to ${this.options.endpoint} (attempt ${this.reconnectAttempts})`,
    );
  }

  /**
   * Reports a closed connection. A connection that closes before its CONNACK was refused by the
   * broker: with TLS 1.3 an untrusted client certificate shows up in Node.js 20 as a close with
   * no error event, so this line is the only sign of it.
   */
  private onClose(client: MqttClient): void {
    const rejected = !this.sessionOpen;
    this.subscribed = false;
    this.sessionOpen = false;
    if (this.stopping) return;

    const wait = `next attempt in ${client.options.reconnectPeriod} ms`;
    if (rejected) this.options.output(`Connection closed before the broker accepted it, ${wait}`);
    else this.options.output(`Connection closed, ${wait}`);
  }

  private startReports(): void {
    this.reportTimer = setInterval(() => void this.publishReport(), this.settings.intervalMs);
    void this.publishReport();
  }

  private async publishReport(): Promise<void> {
    const client = this.client;
    if (this.stopping || !client || this.limitReached()) return;
    if (!client.connected || !this.subscribed) {
      this.options.output('Skipped report: not connected');
      return;
    }

    let collected;
    try {
      collected = await this.collector.collect();
    } catch (error) {
      this.options.output(`Cannot collect metrics: ${(error as Error).message}`);
      return;
    }
    // The run may have stopped, or the connection dropped, while the files were read.
    if (this.stopping || this.limitReached() || !client.connected) return;

    const { reportId, report } = collected;
    const payload =
      this.options.format === 'cbor' ? encode(report) : Buffer.from(JSON.stringify(report));
    this.pending.add(reportId);
    this.summary.published += 1;
    this.options.output(
      `Publishing report ${reportId} to ${this.settings.reportTopic} (${payload.length} bytes)`,
    );

    client.publish(this.settings.reportTopic, payload, { qos: 1 }, (error) => {
      if (error && !this.stopping) {
        this.options.output(`Publishing report ${reportId} failed: ${error.message}`);
      }
    });
    if (this.limitReached()) this.awaitLastResponses();
  }

  private limitReached(): boolean {
    return this.options.reports !== undefined && this.summary.published >= this.options.reports;
  }

  private awaitLastResponses(): void {
    clearInterval(this.reportTimer);
    this.responseTimer = setTimeout(() => {
      const ids = [...this.pending].join(', ');
      this.stop(`No response within ${this.settings.responseTimeoutMs} ms for report ${ids}`);
    }, this.settings.responseTimeoutMs);
  }

  private onMessage(topic: string, payload: Buffer): void {
    // The summary is final once stop() has printed it.
    if (this.stopping) return;
    const kind = topic.endsWith('/accepted') ? 'accepted' : 'rejected';
    let response;
    try {
      response = decodeResponse(payload, this.options.format, kind);
    } catch (error) {
      this.options.output(`Ignored response on ${topic}: ${(error as Error).message}`);
      return;
    }

    if (response.status === 'ACCEPTED') this.summary.accepted += 1;
    else this.summary.rejected += 1;
    if (response.reportId !== undefined) this.pending.delete(response.reportId);
    this.options.output(describeResponse(response));

    if (this.limitReached() && this.pending.size === 0) {
      this.stop(`Stopped after ${this.summary.published} reports`);
    }
  }

  private stop(reason: string): void {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.reportTimer);
    clearTimeout(this.responseTimer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.summary.unanswered = this.pending.size;

    const { accepted, rejected, unanswered } = this.summary;
    this.options.output(
      `${reason}: ${accepted} accepted, ${rejected} rejected, ${unanswered} unanswered`,
    );

    const client = this.client;
    if (!client) return this.finish({ ...this.summary });
    // A graceful end waits for in-flight acknowledgements, which never come while disconnected.
    client.end(!client.connected, {}, () => this.finish({ ...this.summary }));
  }
}
