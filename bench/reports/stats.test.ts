import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpuShare, summarizeLatencies } from './stats.ts';

test('summarizeLatencies uses nearest-rank percentiles', () => {
  const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
  const summary = summarizeLatencies(samples);
  assert.equal(summary.p50, 50);
  assert.equal(summary.p90, 90);
  assert.equal(summary.p99, 99);
  assert.equal(summary.max, 100);
  assert.equal(summary.mean, 50.5);
});

test('summarizeLatencies of one sample is that sample', () => {
  assert.deepEqual(summarizeLatencies([3.5]), {
    p50: 3.5,
    p90: 3.5,
    p99: 3.5,
    max: 3.5,
    mean: 3.5,
  });
});

test('summarizeLatencies of no samples is NaN', () => {
  const summary = summarizeLatencies([]);
  for (const value of Object.values(summary)) assert.ok(Number.isNaN(value));
});

test('cpuShare converts microseconds to a share of one core', () => {
  assert.equal(cpuShare({ user: 1_500_000, system: 500_000 }, 4000), 0.5);
  assert.ok(Number.isNaN(cpuShare({ user: 1, system: 0 }, 0)));
});
