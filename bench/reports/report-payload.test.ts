import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReport } from '../../src/metrics/report/index.ts';
import {
  BYTES_OUT_PER_REPORT,
  CUSTOM_METRIC,
  FIRST_REPORT_ID,
  isViolating,
  reportPayload,
} from './report-payload.ts';

function metricsOf(payload: string): Map<string, unknown> {
  const parsed = parseReport(Buffer.from(payload), 'json');
  assert.equal(parsed.ok, true, 'the payload is a valid report');
  if (!parsed.ok) return new Map();
  return new Map(parsed.report.datapoints.map((point) => [point.metric, point.value]));
}

test('payload is a valid report carrying the profile metrics', () => {
  const metrics = metricsOf(reportPayload(FIRST_REPORT_ID + 7, false));
  assert.deepEqual(metrics.get('aws:num-listening-tcp-ports'), { count: 2 });
  assert.deepEqual(metrics.get('aws:listening-tcp-ports'), { ports: [22, 443] });
  assert.deepEqual(metrics.get('aws:all-bytes-out'), { count: BYTES_OUT_PER_REPORT });
  assert.deepEqual(metrics.get('aws:destination-ip-addresses'), {
    cidrs: ['10.20.30.40', '192.168.7.9'],
  });
  assert.deepEqual(metrics.get(CUSTOM_METRIC), { number: 55 });
});

test('payload carries the requested report id', () => {
  const parsed = parseReport(Buffer.from(reportPayload(1_234_567_890, true)), 'json');
  assert.equal(parsed.ok && parsed.report.reportId, 1_234_567_890);
});

test('violating payload lists a port outside the allowed set', () => {
  const metrics = metricsOf(reportPayload(FIRST_REPORT_ID, true));
  assert.deepEqual(metrics.get('aws:listening-tcp-ports'), { ports: [22, 666] });
});

test('payload length depends on neither id nor variant', () => {
  const lengths = new Set([
    reportPayload(FIRST_REPORT_ID, false).length,
    reportPayload(FIRST_REPORT_ID, true).length,
    reportPayload(9_999_999_999, false).length,
    reportPayload(5_000_000_123, true).length,
  ]);
  assert.equal(lengths.size, 1);
});

test('isViolating marks the last report of each cycle', () => {
  const marked = Array.from({ length: 10 }, (_, sequence) => isViolating(sequence, 5));
  assert.deepEqual(marked, [false, false, false, false, true, false, false, false, false, true]);
  assert.equal(isViolating(4, 0), false);
});
