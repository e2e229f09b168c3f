/**
 * Reduction of raw metric observations to the datapoint a behavior evaluates, over the
 * behavior's `durationSeconds` window. AWS does not publish how windows are computed. Warden's
 * rules are:
 * - Device-side delta counters (`aws:all-bytes-*`, `aws:all-packets-*`): the sum of the deltas
 *   of the reports whose time falls in the trailing window `(now - durationSeconds, now]`,
 *   which includes the report being evaluated.
 * - Device-side gauges (`aws:num-listening-*`, `aws:num-established-tcp-connections`, custom
 *   numbers): the latest reported value. A duration has no effect on them.
 * - Cloud-side counters: events are counted in 5-minute buckets aligned to the epoch. At each
 *   5-minute boundary the datapoint is the sum of the buckets in `[boundary - durationSeconds,
 *   boundary)`, a sliding window that moves by one bucket each time.
 * - `aws:message-byte-size`: each bucket keeps the min and max message size. A `less-than` or
 *   `less-than-equals` behavior evaluates the max and a `greater-than` or `greater-than-equals`
 *   behavior the min, so a bucket complies exactly when every message in it does.
 * All times are epoch milliseconds and every function returns a new array.
 */

import type { ComparisonOperator } from './behavior.ts';
import type { MetricAggregation } from './metric-catalog.ts';

/** One reported value of a device-side numeric metric. */
export interface Sample {
  time: number;
  value: number;
}

/** Count of cloud-side events in the 5-minute bucket that starts at `start`. */
export interface CounterBucket {
  start: number;
  count: number;
}

/** Message sizes in bytes seen in the 5-minute bucket that starts at `start`. */
export interface MessageSizeBucket {
  start: number;
  min: number;
  max: number;
  sum: number;
  messages: number;
}

/** Limits on the history kept per series. */
export interface HistoryLimits {
  /** Maximum number of entries kept. The oldest are dropped first. */
  maxEntries?: number;
  /** Entries older than this, measured from the newest entry, are dropped. */
  maxAgeMs?: number;
}

/** Length of a cloud-side metric bucket: AWS produces cloud metrics every 5 minutes. */
export const BUCKET_MS = 300_000;

/** Longest `durationSeconds` window (3600 s), so older history is never read. */
export const MAX_WINDOW_MS = 3_600_000;

/**
 * Default cap on kept entries. A 1-hour window contains 12 reports at the one-per-5-minutes rate
 * AWS allows, or 13 buckets. The cap leaves room for faster reporters. If a series exceeds the
 * cap within one window, the oldest entries are dropped and the window sum is undercounted.
 */
export const DEFAULT_MAX_ENTRIES = 64;

/** Returns the start of the 5-minute bucket that contains `time`. */
export function bucketStart(time: number): number {
  return Math.floor(time / BUCKET_MS) * BUCKET_MS;
}

/**
 * Adds a report's value to a device-side series, keeping it sorted by time and within the
 * limits. Reports with equal times are all kept, in arrival order.
 */
export function appendSample(
  history: readonly Sample[],
  sample: Sample,
  limits: HistoryLimits = {},
): Sample[] {
  const next = [...history];
  let index = next.length;
  while (index > 0 && (next[index - 1]?.time ?? 0) > sample.time) index--;
  next.splice(index, 0, sample);
  return prune(next, (entry) => entry.time, limits);
}

/** Sums the values whose time lies in `(now - durationSeconds, now]`. */
export function sumInWindow(history: readonly Sample[], now: number, durationSeconds: number) {
  const from = now - durationSeconds * 1000;
  let sum = 0;
  for (const sample of history) {
    if (sample.time > from && sample.time <= now) sum += sample.value;
  }
  return sum;
}

/**
 * Computes the datapoint of a device-side numeric metric at `now`, the time of the report being
 * evaluated. Returns undefined when the series is empty.
 *
 * @throws RangeError for an aggregation that is not device-side numeric.
 */
export function deviceDatapoint(
  aggregation: MetricAggregation,
  history: readonly Sample[],
  now: number,
  durationSeconds?: number,
): number | undefined {
  if (history.length === 0) return undefined;
  if (aggregation === 'device-gauge') return history.at(-1)?.value;
  if (aggregation === 'device-delta') {
    if (durationSeconds === undefined) return history.at(-1)?.value;
    return sumInWindow(history, now, durationSeconds);
  }
  throw new RangeError(`Aggregation "${aggregation}" is not a device-side numeric aggregation`);
}

/**
 * Counts `amount` cloud-side events at `time` into its bucket. An amount of 0 still creates the
 * bucket, which marks the thing as active in it: Warden emits datapoints, zero included, only
 * for buckets in which the thing had some connection or message activity.
 */
export function addToCounterBuckets(
  buckets: readonly CounterBucket[],
  time: number,
  amount = 1,
  limits: HistoryLimits = {},
): CounterBucket[] {
  const start = bucketStart(time);
  const next = upsertBucket(buckets, start, () => ({ start, count: 0 }));
  const bucket = next.find((entry) => entry.start === start);
  if (bucket !== undefined) bucket.count += amount;
  return prune(next, (entry) => entry.start, limits);
}

/**
 * Computes a cloud-side counter datapoint at a 5-minute `boundary`: the sum of the buckets in
 * `[boundary - durationSeconds, boundary)`. Buckets at or after the boundary are still open.
 */
export function cloudCounterDatapoint(
  buckets: readonly CounterBucket[],
  boundary: number,
  durationSeconds: number,
): number {
  const from = boundary - durationSeconds * 1000;
  let sum = 0;
  for (const bucket of buckets) {
    if (bucket.start >= from && bucket.start < boundary) sum += bucket.count;
  }
  return sum;
}

/** Records one message of `bytes` bytes at `time` into its bucket. */
export function addMessageSize(
  buckets: readonly MessageSizeBucket[],
  time: number,
  bytes: number,
  limits: HistoryLimits = {},
): MessageSizeBucket[] {
  const start = bucketStart(time);
  const next = upsertBucket(buckets, start, () => ({
    start,
    min: bytes,
    max: bytes,
    sum: 0,
    messages: 0,
  }));
  const bucket = next.find((entry) => entry.start === start);
  if (bucket !== undefined) {
    bucket.min = Math.min(bucket.min, bytes);
    bucket.max = Math.max(bucket.max, bytes);
    bucket.sum += bytes;
    bucket.messages += 1;
  }
  return prune(next, (entry) => entry.start, limits);
}

/**
 * Picks the value a static `aws:message-byte-size` behavior evaluates for a bucket: the largest
 * message for an upper bound, the smallest for a lower bound.
 *
 * @throws RangeError for a non-numeric operator.
 */
export function messageSizeDatapoint(
  bucket: MessageSizeBucket,
  operator: ComparisonOperator,
): number {
  if (operator === 'less-than' || operator === 'less-than-equals') return bucket.max;
  if (operator === 'greater-than' || operator === 'greater-than-equals') return bucket.min;
  throw new RangeError(`Operator "${operator}" does not apply to message sizes`);
}

/**
 * Computes `aws:disconnect-duration` at `now`: whole minutes since the thing disconnected, or 0
 * while it is connected (`disconnectedAt` undefined). A disconnect time after `now` gives 0.
 */
export function disconnectDurationMinutes(disconnectedAt: number | undefined, now: number): number {
  if (disconnectedAt === undefined || disconnectedAt >= now) return 0;
  return Math.floor((now - disconnectedAt) / 60_000);
}

/** Copies the buckets, adding a fresh one at `start` in time order if none exists. */
function upsertBucket<B extends { start: number }>(
  buckets: readonly B[],
  start: number,
  create: () => B,
): B[] {
  const next = buckets.map((bucket) => ({ ...bucket }));
  if (next.some((bucket) => bucket.start === start)) return next;

  let index = next.length;
  while (index > 0 && (next[index - 1]?.start ?? 0) > start) index--;
  next.splice(index, 0, create());
  return next;
}

/** Drops entries older than `maxAgeMs` before the newest one, then the oldest beyond the cap. */
function prune<T>(entries: T[], timeOf: (entry: T) => number, limits: HistoryLimits): T[] {
  const maxAgeMs = limits.maxAgeMs ?? MAX_WINDOW_MS + BUCKET_MS;
  const maxEntries = limits.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const newest = entries.at(-1);
  if (newest === undefined) return entries;

  const cutoff = timeOf(newest) - maxAgeMs;
  const recent = entries.filter((entry) => timeOf(entry) > cutoff);
  return recent.length > maxEntries ? recent.slice(recent.length - maxEntries) : recent;
}
