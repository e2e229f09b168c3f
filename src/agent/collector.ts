/**
 * Samples this machine's network state and turns consecutive samples into Device Defender
 * reports: traffic as deltas, a report id that only grows.
 */
import { endianness, networkInterfaces } from 'node:os';

import { systemClock, type Clock } from '../core/clock.ts';
import { isReportedInterface, type InterfaceCounters } from './proc-net-dev.ts';
import type { ByteOrder } from './proc-net-sockets.ts';
import {
  buildNetworkSample,
  readProcNet,
  type InterfaceTable,
  type NetworkSample,
} from './proc-net.ts';
import { buildReport, type NetworkDeltas, type ReportDocument } from './report-builder.ts';

export interface CollectorOptions {
  shortKeys: boolean;
  /** Root of the proc file system, `/proc` by default. Tests point it at captured files. */
  procRoot?: string;
  clock?: Clock;
  byteOrder?: ByteOrder;
  networkInterfaces?: () => InterfaceTable;
  maxListSize?: number;
}

/** A report with the id it carries, so the agent can match the service's response to it. */
export interface CollectedReport {
  reportId: number;
  report: ReportDocument;
}

/**
 * Produces one report per `collect()` call. The first report has no `network_stats` block:
 * there is no earlier sample to diff against, and a zero would be a false datapoint for the
 * byte and packet behaviors. Later reports carry the traffic since the previous `collect()`.
 */
export class MetricsCollector {
  private readonly options: CollectorOptions;
  private readonly clock: Clock;
  private previousCounters: InterfaceCounters[] | undefined;
  private previousReportId: number | undefined;

  constructor(options: CollectorOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Reads `/proc/net` and builds the next report. A failed read leaves the previous sample in
   * place, so the next report's deltas cover both intervals.
   *
   * @throws {Error} when the proc files cannot be read or parsed
   */
  async collect(): Promise<CollectedReport> {
    const sample = await this.sample();
    const reportId = nextReportId(this.previousReportId, this.clock.now());
    const deltas = this.previousCounters && computeDeltas(this.previousCounters, sample.interfaces);

    const report = buildReport({
      reportId,
      sample,
      ...(deltas && { deltas }),
      shortKeys: this.options.shortKeys,
      ...(this.options.maxListSize !== undefined && { maxListSize: this.options.maxListSize }),
    });

    this.previousCounters = sample.interfaces;
    this.previousReportId = reportId;
    return { reportId, report };
  }

  private async sample(): Promise<NetworkSample> {
    const texts = await readProcNet(this.options.procRoot);
    const byteOrder = this.options.byteOrder ?? endianness();
    const interfaces = (this.options.networkInterfaces ?? networkInterfaces)();
    return buildNetworkSample(texts, byteOrder, interfaces);
  }
}

/**
 * Returns the report id for a report made at `nowMs`, in epoch seconds as the Device Defender
 * agents use. When two reports fall in the same second the id is one more than the previous id,
 * because the service discards a report whose id does not exceed the thing's previous one.
 */
export function nextReportId(previous: number | undefined, nowMs: number): number {
  const seconds = Math.floor(nowMs / 1000);
  return previous === undefined ? seconds : Math.max(seconds, previous + 1);
}

/**
 * Sums the traffic of the reported interfaces (all but `lo`) since the previous sample, diffing
 * each counter per interface. A counter that went down was reset (interface re-created, driver
 * reload) or wrapped, so its delta is its current value, the traffic since the reset. An
 * interface absent from the previous sample came up since then and counts in full. The traffic
 * before a wrap is not guessed, so a wrap under-counts rather than inventing traffic.
 */
export function computeDeltas(
  previous: readonly InterfaceCounters[],
  current: readonly InterfaceCounters[],
): NetworkDeltas {
  const before = new Map(previous.map((counters) => [counters.name, counters]));
  const deltas: NetworkDeltas = { bytesIn: 0, bytesOut: 0, packetsIn: 0, packetsOut: 0 };

  for (const now of current) {
    if (!isReportedInterface(now.name)) continue;
    const then = before.get(now.name);

    deltas.bytesIn += counterDelta(then?.bytesIn, now.bytesIn);
    deltas.bytesOut += counterDelta(then?.bytesOut, now.bytesOut);
    deltas.packetsIn += counterDelta(then?.packetsIn, now.packetsIn);
    deltas.packetsOut += counterDelta(then?.packetsOut, now.packetsOut);
  }

  return deltas;
}

/** Returns the growth of one cumulative counter. A smaller or missing previous value is a reset. */
export function counterDelta(previous: number | undefined, current: number): number {
  if (previous === undefined || current < previous) return current;
  return current - previous;
}
