import type { BrokerObserver } from '../broker/broker-observer.ts';
import { matchesTopicFilter } from '../broker/topic-filter.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { RegistryState } from '../registry/registry.ts';
import type { Behavior } from '../detect/behavior.ts';
import type { CloudDatapoint, Dimension, SecurityProfile } from '../detect/detect-records.ts';
import type { DetectState } from '../detect/detect-state.ts';
import { emptyWrite, type Evaluator } from '../detect/evaluator.ts';
import type { MetricValue } from '../detect/metric-value.ts';
import { profilesForThing } from '../detect/profile-targets.ts';
import {
  addMessageSize,
  addToCounterBuckets,
  BUCKET_MS,
  bucketStart,
  cloudCounterDatapoint,
  disconnectDurationMinutes,
  MAX_WINDOW_MS,
  messageSizeDatapoint,
  type CounterBucket,
  type MessageSizeBucket,
} from '../detect/window.ts';

const COUNTERS = {
  sent: 'aws:num-messages-sent',
  received: 'aws:num-messages-received',
  authFailures: 'aws:num-authorization-failures',
  attempts: 'aws:num-connection-attempts',
  disconnects: 'aws:num-disconnects',
} as const;
const MESSAGE_SIZE = 'aws:message-byte-size';
const SOURCE_IP = 'aws:source-ip-address';
const DISCONNECT_DURATION = 'aws:disconnect-duration';
const REPORT_SILENCE = 'warden:report-silence';
const LIMITS = { maxAgeMs: MAX_WINDOW_MS + BUCKET_MS };
const FORGET_DISCONNECTED_MS = 2 * 24 * 3600 * 1000;

interface IdentityMetrics {
  counters: Map<string, CounterBucket[]>;
  sizes: Map<string, MessageSizeBucket[]>;
  sourceIps: Map<number, Set<string>>;
  activeBuckets: Set<number>;
  /** Sessions open now; more than one while a takeover by the same client ID completes. */
  liveSessions: number;
  disconnectedAt?: number;
  /** When the current sessions began: the start of silence for a thing that never reported. */
  connectedAt?: number;
}

/**
 * Cloud-side metrics from the broker's events: counts and sizes per identity in 5-minute buckets,
 * also per TOPIC_FILTER dimension. At each 5-minute boundary the closed bucket becomes datapoints
 * for every identity that was active in it, which are stored and evaluated.
 */
export class CloudMetrics implements BrokerObserver {
  private readonly identities = new Map<string, IdentityMetrics>();
  private lastClosed: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly detect: DetectState,
    private readonly registry: RegistryState,
    private readonly evaluator: Evaluator,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.lastClosed = bucketStart(clock.now());
  }

  /** Starts closing buckets on the wall clock; tests call `closeDueBuckets` instead. */
  start(): void {
    const schedule = () => {
      const wait = bucketStart(this.clock.now()) + BUCKET_MS - this.clock.now() + 50;
      this.timer = setTimeout(() => {
        this.closeDueBuckets().catch((error: unknown) =>
          this.logger.error({ err: error }, 'closing cloud metric buckets failed'),
        );
        schedule();
      }, wait);
      this.timer.unref();
    };
    schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  connectAttempt(identity: string, time: number): void {
    this.count(identity, COUNTERS.attempts, time);
  }

  connected(identity: string, time: number, sourceIp: string): void {
    const metrics = this.metricsOf(identity);
    if (metrics.liveSessions === 0) metrics.connectedAt = time;
    metrics.liveSessions++;
    delete metrics.disconnectedAt;
    const start = bucketStart(time);
    metrics.activeBuckets.add(start);
    let ips = metrics.sourceIps.get(start);
    if (!ips) metrics.sourceIps.set(start, (ips = new Set()));
    ips.add(sourceIp.startsWith('::ffff:') ? sourceIp.slice(7) : sourceIp);
  }

  disconnected(identity: string, time: number): void {
    this.count(identity, COUNTERS.disconnects, time);
    const metrics = this.metricsOf(identity);
    metrics.liveSessions = Math.max(0, metrics.liveSessions - 1);
    // The session a takeover replaced ends after its successor started: the thing stays connected.
    if (metrics.liveSessions === 0) metrics.disconnectedAt = time;
  }

  messageSent(identity: string, topic: string, bytes: number, time: number): void {
    this.countWithDimensions(identity, COUNTERS.sent, topic, time);
    for (const key of this.keysFor(identity, MESSAGE_SIZE, topic)) {
      const metrics = this.metricsOf(identity);
      metrics.sizes.set(key, addMessageSize(metrics.sizes.get(key) ?? [], time, bytes, LIMITS));
    }
  }

  messageReceived(identity: string, topic: string, _bytes: number, time: number): void {
    this.countWithDimensions(identity, COUNTERS.received, topic, time);
  }

  authorizationFailure(identity: string, topic: string, time: number): void {
    this.countWithDimensions(identity, COUNTERS.authFailures, topic, time);
  }

  /** Closes every 5-minute bucket that ended before now, oldest first. */
  async closeDueBuckets(): Promise<void> {
    const current = bucketStart(this.clock.now());
    while (this.lastClosed < current) {
      this.lastClosed += BUCKET_MS;
      await this.closeBucket(this.lastClosed);
    }
  }

  private async closeBucket(boundary: number): Promise<void> {
    const start = boundary - BUCKET_MS;
    const write = emptyWrite();
    const datapoints: CloudDatapoint[] = [];
    for (const [identity, metrics] of this.identities) {
      const active = metrics.activeBuckets.has(start);
      // A connected thing is sampled even when idle, so its report silence can alarm.
      if (!active && metrics.disconnectedAt === undefined && metrics.liveSessions === 0) continue;
      if (active) datapoints.push(...this.bucketDatapoints(identity, metrics, start, boundary));
      for (const profile of profilesForThing(this.detect, this.registry, identity)) {
        this.evaluateProfile(write, identity, metrics, profile, { start, boundary, active });
      }
      metrics.activeBuckets.delete(start);
      metrics.sourceIps.delete(start);
    }
    this.forgetIdle(boundary);
    if (datapoints.length > 0) await this.detect.store.putCloudDatapoints(datapoints);
    await this.evaluator.commit(write);
  }

  /**
   * Drops identities that can no longer produce a datapoint, so client IDs that connect once (or
   * only try to) do not stay in memory: no open session, no open bucket, no counts inside the
   * longest window, and no disconnect time, or one older than two days for a client ID outside the
   * registry, whose violations are invalidated by then.
   */
  private forgetIdle(boundary: number): void {
    for (const [identity, metrics] of this.identities) {
      if (metrics.liveSessions > 0 || metrics.activeBuckets.size > 0) continue;
      const newest = Math.max(
        0,
        ...[...metrics.counters.values()].map((buckets) => buckets.at(-1)?.start ?? 0),
      );
      if (boundary - newest <= MAX_WINDOW_MS) continue;
      const registered = this.registry.get('thing', identity) !== undefined;
      const disconnected = metrics.disconnectedAt;
      if (
        disconnected !== undefined &&
        (registered || boundary - disconnected <= FORGET_DISCONNECTED_MS)
      )
        continue;
      this.identities.delete(identity);
    }
  }

  /** Identities tracked now; for tests and the benchmark. */
  get trackedIdentities(): number {
    return this.identities.size;
  }

  private evaluateProfile(
    write: ReturnType<typeof emptyWrite>,
    identity: string,
    metrics: IdentityMetrics,
    profile: SecurityProfile,
    bucket: { start: number; boundary: number; active: boolean },
  ): void {
    for (const behavior of profile.behaviors) {
      const value = bucket.active
        ? this.behaviorValue(behavior, identity, metrics, bucket)
        : undefined;
      const elapsed =
        behavior.metric === DISCONNECT_DURATION
          ? { count: disconnectDurationMinutes(metrics.disconnectedAt, bucket.boundary) }
          : behavior.metric === REPORT_SILENCE
            ? this.reportSilence(identity, metrics, bucket.boundary)
            : undefined;
      const datapoint = elapsed ?? value;
      if (datapoint)
        this.evaluator.applyDatapoint(write, {
          thingName: identity,
          profile,
          behavior,
          value: datapoint,
          time: bucket.boundary,
        });
    }
  }

  /** Minutes since the last accepted report, or since connecting; none while disconnected. */
  private reportSilence(
    identity: string,
    metrics: IdentityMetrics,
    boundary: number,
  ): MetricValue | undefined {
    if (metrics.liveSessions === 0) return undefined;
    const lastReport = this.detect.reportStates.get(identity)?.lastReportAt;
    const since = Math.max(lastReport ?? 0, metrics.connectedAt ?? boundary);
    return { count: Math.max(0, Math.floor((boundary - since) / 60_000)) };
  }

  private behaviorValue(
    behavior: Behavior,
    identity: string,
    metrics: IdentityMetrics,
    bucket: { start: number; boundary: number },
  ): MetricValue | undefined {
    const metric = behavior.metric ?? '';
    const key = behavior.metricDimension
      ? dimensionKey(
          metric,
          behavior.metricDimension.dimensionName,
          behavior.metricDimension.operator ?? 'IN',
        )
      : metric;
    if (Object.values(COUNTERS).includes(metric as never)) {
      return {
        count: cloudCounterDatapoint(
          metrics.counters.get(key) ?? [],
          bucket.boundary,
          behavior.criteria?.durationSeconds ?? BUCKET_MS / 1000,
        ),
      };
    }
    if (metric === MESSAGE_SIZE) {
      const sizes = metrics.sizes.get(key)?.find((entry) => entry.start === bucket.start);
      const operator = behavior.criteria?.comparisonOperator;
      return sizes && operator ? { count: messageSizeDatapoint(sizes, operator) } : undefined;
    }
    if (metric === SOURCE_IP) {
      const ips = metrics.sourceIps.get(bucket.start);
      return ips && ips.size > 0 ? { cidrs: [...ips] } : undefined;
    }
    return undefined;
  }

  private bucketDatapoints(
    identity: string,
    metrics: IdentityMetrics,
    start: number,
    boundary: number,
  ): CloudDatapoint[] {
    const points: CloudDatapoint[] = Object.values(COUNTERS).map((metric) => ({
      thingName: identity,
      metric,
      time: boundary,
      value: {
        count: cloudCounterDatapoint(
          metrics.counters.get(metric) ?? [],
          boundary,
          BUCKET_MS / 1000,
        ),
      },
    }));
    points.push(...this.dimensionDatapoints(identity, metrics, boundary));
    const sizes = metrics.sizes.get(MESSAGE_SIZE)?.find((entry) => entry.start === start);
    if (sizes)
      points.push({
        thingName: identity,
        metric: MESSAGE_SIZE,
        time: boundary,
        value: { count: sizes.max },
      });
    const ips = metrics.sourceIps.get(start);
    if (ips)
      points.push({
        thingName: identity,
        metric: SOURCE_IP,
        time: boundary,
        value: { cidrs: [...ips] },
      });
    return points;
  }

  /** The closed bucket's counts of each dimension side, for ListMetricValues with a dimension. */
  private dimensionDatapoints(
    identity: string,
    metrics: IdentityMetrics,
    boundary: number,
  ): CloudDatapoint[] {
    const points: CloudDatapoint[] = [];
    for (const [key, buckets] of metrics.counters) {
      const [metric, name, operator] = key.split('\u0000');
      if (
        metric === undefined ||
        name === undefined ||
        (operator !== 'IN' && operator !== 'NOT_IN')
      )
        continue;
      const count = cloudCounterDatapoint(buckets, boundary, BUCKET_MS / 1000);
      points.push({
        thingName: identity,
        metric,
        dimension: { name, operator },
        time: boundary,
        value: { count },
      });
    }
    return points;
  }

  private count(identity: string, metric: string, time: number): void {
    const metrics = this.metricsOf(identity);
    metrics.activeBuckets.add(bucketStart(time));
    metrics.counters.set(
      metric,
      addToCounterBuckets(metrics.counters.get(metric) ?? [], time, 1, LIMITS),
    );
  }

  private countWithDimensions(identity: string, metric: string, topic: string, time: number): void {
    for (const key of this.keysFor(identity, metric, topic)) this.count(identity, key, time);
  }

  /** Returns the counter keys a message on `topic` adds to: the plain metric and each dimension side. */
  private keysFor(identity: string, metric: string, topic: string): string[] {
    const keys = [metric];
    for (const dimension of this.detect.dimensions.values()) {
      const inside = dimensionMatches(dimension, identity, topic);
      keys.push(dimensionKey(metric, dimension.name, inside ? 'IN' : 'NOT_IN'));
    }
    return keys;
  }

  private metricsOf(identity: string): IdentityMetrics {
    let metrics = this.identities.get(identity);
    if (!metrics) {
      metrics = {
        counters: new Map(),
        sizes: new Map(),
        sourceIps: new Map(),
        activeBuckets: new Set(),
        liveSessions: 0,
      };
      this.identities.set(identity, metrics);
    }
    return metrics;
  }
}

function dimensionKey(metric: string, dimension: string, operator: 'IN' | 'NOT_IN'): string {
  return `${metric}\u0000${dimension}\u0000${operator}`;
}

/** Tells whether a topic matches any filter of a TOPIC_FILTER dimension, with `${iot:ClientId}` substituted. */
function dimensionMatches(dimension: Dimension, identity: string, topic: string): boolean {
  return dimension.stringValues.some((filter) =>
    matchesTopicFilter(filter.replaceAll('${iot:ClientId}', identity), topic),
  );
}
