/**
 * Helpers for the simulation's end-to-end tests: a TestWarden on a fake clock (so the tests can
 * close 5-minute cloud metric buckets at once), the options that point a run at it, and readers of
 * what reached Warden.
 */

import assert from 'node:assert/strict';
import { FakeClock } from '../core/clock.ts';
import type { MetricValue } from '../detect/metric-value.ts';
import { BUCKET_MS, bucketStart } from '../detect/window.ts';
import type { ConnectionEvent, HistoryQuery } from '../history/connection-event.ts';
import { TestWarden } from '../testing/harness.ts';
import type { SimulationOptions } from './simulation-options.ts';

/** A running TestWarden and the fake clock it runs on, which starts at the real time. */
export interface SimulationWarden {
  warden: TestWarden;
  clock: FakeClock;
}

/** Starts Warden with a fake clock at the real time and no report throttling. */
export async function startSimulationWarden(): Promise<SimulationWarden> {
  const clock = new FakeClock(Date.now());
  const warden = await TestWarden.start({ clock, minReportIntervalMs: 0 });
  return { warden, clock };
}

/** Options for a short run against `warden`: 100 ms ticks, `ticks` of them. */
export function optionsFor(
  warden: TestWarden,
  overrides: Partial<SimulationOptions> & { seed: number; ticks: number },
): SimulationOptions {
  const { ticks, ...rest } = overrides;
  return {
    connection: { endpoint: warden.endpoints.http, credentials: warden.credentials },
    broker: { url: warden.endpoints.mqtt, serverCaPem: warden.serverCaPem },
    devices: 3,
    tickIntervalMs: 100,
    durationMs: ticks * 100,
    ...rest,
  };
}

/** Moves the fake clock to the next 5-minute boundary and closes the bucket that ended. */
export async function closeBucket({ warden, clock }: SimulationWarden): Promise<void> {
  clock.set(bucketStart(clock.now()) + BUCKET_MS);
  await warden.service.cloudMetrics.closeDueBuckets();
}

/** Lists every stored datapoint of one metric of one thing, oldest first (ListMetricValues). */
export async function metricValues(
  warden: TestWarden,
  thingName: string,
  metricName: string,
): Promise<MetricValue[]> {
  const query = new URLSearchParams({
    thingName,
    metricName,
    startTime: '0',
    endTime: String(Math.ceil(Date.now() / 1000) + 86_400 * 30),
  });
  const response = await warden.api('GET', `/metric-values?${query}`);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.metricDatumList.map((datum: { value: MetricValue }) => datum.value);
}

/** Lists the counts of a count metric, oldest first. */
export async function counts(
  warden: TestWarden,
  thingName: string,
  metricName: string,
): Promise<number[]> {
  const values = await metricValues(warden, thingName, metricName);
  return values.map((value) => value.count ?? Number.NaN);
}

/** Connection history events, as the audit reads them. */
export function historyEvents(
  warden: TestWarden,
  query: Omit<HistoryQuery, 'since'>,
): Promise<ConnectionEvent[]> {
  return warden.service.history.query({ since: 0, ...query });
}

/** Calls the API and fails the test unless the status is 200. */
export async function apiOk(
  warden: TestWarden,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<any> {
  const response = await warden.api(method, path, body, headers);
  assert.equal(response.status, 200, `${method} ${path}: ${JSON.stringify(response.body)}`);
  return response.body;
}
