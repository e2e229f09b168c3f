import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseReport } from '../metrics/report/index.ts';
import {
  deviceProfile,
  MAX_REPORT_BYTES,
  MAX_TELEMETRY_BYTES,
  normalEnvelope,
  thingNameFor,
} from './device-profile.ts';
import { dayFactor, DAY_FACTOR, normalSample, type DeviceSample } from './normal-behavior.ts';
import { sampleReport } from './sample-report.ts';
import { DEFAULT_STEP_MS } from './simulated-clock.ts';

const MIDNIGHT = Date.UTC(2026, 11, 4);
const STEPS_PER_DAY = 288;

/** Generates one simulated day of a device, one sample per 5-minute step. */
function day(seed: number, index: number): DeviceSample[] {
  const profile = deviceProfile(seed, index);
  return Array.from({ length: STEPS_PER_DAY }, (_, tick) =>
    normalSample(seed, profile, tick, MIDNIGHT + tick * DEFAULT_STEP_MS),
  );
}

describe('normal behavior generator', () => {
  test('replays the same fleet for the same seed', () => {
    for (let index = 1; index <= 5; index++) {
      assert.deepEqual(deviceProfile(42, index), deviceProfile(42, index));
      assert.deepEqual(day(42, index), day(42, index));
    }
  });

  test('draws another fleet for another seed', () => {
    const profiles = (seed: number) =>
      Array.from({ length: 10 }, (_, index) => deviceProfile(seed, index + 1).peakHour);
    assert.notDeepEqual(profiles(1), profiles(2));
    assert.notDeepEqual(day(1, 1)[100]?.traffic, day(2, 1)[100]?.traffic);
  });

  test('varies devices within one fleet', () => {
    const profiles = Array.from({ length: 30 }, (_, index) => deviceProfile(9, index + 1));
    assert.deepEqual(
      new Set(profiles.map((profile) => profile.kind)),
      new Set(['sensor', 'camera', 'gateway']),
    );
    assert.equal(new Set(profiles.map((profile) => profile.peakHour.toFixed(3))).size, 30);
    const sensors = profiles.filter((profile) => profile.kind === 'sensor');
    assert.ok(new Set(sensors.map((profile) => profile.peakTraffic.bytesOut)).size > 1);
  });

  test('names things by seed and index', () => {
    assert.equal(thingNameFor(7, 3), 'sim-7-0003');
    assert.equal(deviceProfile(7, 1000).thingName, 'sim-7-1000');
  });

  test('follows the time of day', () => {
    assert.equal(dayFactor(MIDNIGHT + 6 * 3_600_000, 6), DAY_FACTOR.max);
    assert.ok(Math.abs(dayFactor(MIDNIGHT + 18 * 3_600_000, 6) - DAY_FACTOR.min) < 1e-12);
    assert.equal(dayFactor(MIDNIGHT - 3_600_000, 23), DAY_FACTOR.max);

    const profile = deviceProfile(3, 1);
    const samples = day(3, 1);
    const peakStep = Math.round((profile.peakHour * 3_600_000) / DEFAULT_STEP_MS) % STEPS_PER_DAY;
    const troughStep = (peakStep + STEPS_PER_DAY / 2) % STEPS_PER_DAY;
    const peak = samples[peakStep]?.traffic.bytesOut ?? 0;
    const trough = samples[troughStep]?.traffic.bytesOut ?? 0;
    assert.ok(peak > 4 * trough, `peak ${peak}, trough ${trough}`);
  });

  test('varies from report to report without jumps', () => {
    const samples = day(5, 2);
    const values = samples.map((sample) => sample.traffic.packetsOut);
    assert.ok(new Set(values).size > 50, `${new Set(values).size} distinct values`);
    for (let tick = 1; tick < values.length; tick++) {
      const ratio = (values[tick] ?? 0) / Math.max(1, values[tick - 1] ?? 0);
      assert.ok(ratio < 1.5, `tick ${tick} rises by ${ratio}`);
      assert.ok(ratio > 1 / 1.5, `tick ${tick} falls by ${ratio}`);
    }
  });

  test('stays within the normal envelope for every device all day', () => {
    const envelope = normalEnvelope();
    const inNormalBlocks = (address: string) =>
      address.startsWith('198.51.100.') || address.startsWith('10.20.');
    for (const seed of [1, 2, 3]) {
      for (let index = 1; index <= 40; index++) {
        for (const sample of day(seed, index)) {
          const where = `seed ${seed} device ${index} tick ${sample.tick}`;
          for (const counter of ['bytesIn', 'bytesOut', 'packetsIn', 'packetsOut'] as const) {
            assert.ok(
              sample.traffic[counter] <= envelope.maxPerReport[counter],
              `${where} ${counter}`,
            );
          }
          assert.ok(
            sample.listeningTcpPorts.every((port) => envelope.listeningTcpPorts.includes(port)),
          );
          assert.ok(
            sample.listeningUdpPorts.every((port) => envelope.listeningUdpPorts.includes(port)),
          );
          assert.ok(sample.connections.length <= envelope.maxEstablishedConnections, where);
          assert.ok(
            sample.connections.every((connection) => inNormalBlocks(connection.remoteAddr)),
            where,
          );
          assert.ok(sample.telemetry.length + 2 <= envelope.maxMessagesSentPerTick, where);
          for (const payload of sample.telemetry)
            assert.ok(payload.length <= MAX_TELEMETRY_BYTES, where);
          const report = JSON.stringify(sampleReport(sample, Date.now()));
          assert.ok(
            report.length <= MAX_REPORT_BYTES,
            `${where}: report of ${report.length} bytes`,
          );
        }
      }
    }
  });

  test('writes reports that Warden accepts', () => {
    for (const sample of day(11, 4).slice(0, 20)) {
      const payload = Buffer.from(JSON.stringify(sampleReport(sample, 1_000 + sample.tick)));
      const parsed = parseReport(payload, 'json');
      assert.equal(parsed.ok, true, JSON.stringify(parsed));
    }
  });
});
