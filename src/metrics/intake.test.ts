import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { FakeClock } from '../core/clock.ts';
import { silentLogger } from '../core/logger.ts';
import { DetectState } from '../detect/detect-state.ts';
import { Evaluator } from '../detect/evaluator.ts';
import { RegistryState } from '../registry/registry.ts';
import { MIGRATIONS } from '../service/migrations.ts';
import { BatchWriter } from '../store/batch-writer.ts';
import { openSqlite } from '../store/sqlite-database.ts';
import { SqliteDetectStore } from '../store/sqlite-detect-store.ts';
import { SqliteRegistryStore } from '../store/sqlite-registry-store.ts';
import { ReportIntake } from './intake.ts';

function report(reportId: number, extra: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      header: { report_id: reportId, version: '1.0' },
      metrics: { listening_tcp_ports: { ports: [{ port: 22 }], total: 1 } },
      ...extra,
    }),
  );
}

describe('report intake', () => {
  let clock: FakeClock;
  let detect: DetectState;
  let intake: ReportIntake;

  beforeEach(async () => {
    clock = new FakeClock();
    const db = openSqlite(':memory:', MIGRATIONS);
    const registry = new RegistryState(new SqliteRegistryStore(db), clock, {
      region: 'us-east-1',
      accountId: '123456789012',
    });
    await registry.load();
    detect = new DetectState(new SqliteDetectStore(db, new BatchWriter(db)));
    await detect.load();
    const evaluator = new Evaluator(detect, registry, clock, silentLogger());
    intake = new ReportIntake(detect, evaluator, clock, silentLogger(), {
      minReportIntervalMs: 300_000,
    });
  });

  test('accepts a report and stores it', async () => {
    const answer = await intake.submit('sensor-1', report(10), 'json');
    assert.deepEqual(answer, {
      thingName: 'sensor-1',
      reportId: 10,
      status: 'ACCEPTED',
      timestamp: clock.now(),
    });
    const stored = await detect.store.queryReports('sensor-1', 0, clock.now() + 1);
    assert.equal(stored.length, 1);
    assert.deepEqual(
      stored[0]?.datapoints.find((point) => point.metric === 'aws:num-listening-tcp-ports')?.value,
      { count: 1 },
    );
  });

  test('throttles a report sent before the interval ends', async () => {
    await intake.submit('sensor-1', report(10), 'json');
    clock.advance(120_000);
    const answer = await intake.submit('sensor-1', report(11), 'json');
    assert.equal(answer.status, 'REJECTED');
    assert.deepEqual(answer.status === 'REJECTED' && answer.statusDetails, {
      ErrorCode: 'Throttled',
      ErrorMessage:
        'Thing "sensor-1" reported 120 s after its previous report; at most one report per 300 s is accepted, retry in 180 s',
    });
    clock.advance(180_000);
    assert.equal((await intake.submit('sensor-1', report(11), 'json')).status, 'ACCEPTED');
  });

  test('rejects a report id that does not increase', async () => {
    await intake.submit('sensor-1', report(10), 'json');
    clock.advance(300_000);
    const answer = await intake.submit('sensor-1', report(10), 'json');
    assert.deepEqual(answer.status === 'REJECTED' && answer.statusDetails, {
      ErrorCode: 'DuplicateReportId',
      ErrorMessage:
        'Report id 10 is not greater than the last accepted report id 10 of thing "sensor-1"',
    });
  });

  test('rejects a custom metric sent with another type', async () => {
    const now = clock.now();
    detect.customMetrics.set('battery', {
      metricName: 'battery',
      metricType: 'number',
      clientRequestToken: 't',
      createdAt: now,
      lastModifiedAt: now,
    });
    const answer = await intake.submit(
      'sensor-1',
      report(10, { custom_metrics: { battery: [{ string_list: ['low'] }] } }),
      'json',
    );
    assert.deepEqual(answer.status === 'REJECTED' && answer.statusDetails, {
      ErrorCode: 'InvalidPayload',
      ErrorMessage:
        'Custom metric "battery" is of type "number" but the report sends a "string-list" value',
    });
  });

  test('drops custom metrics that are not defined', async () => {
    const answer = await intake.submit(
      'sensor-1',
      report(10, { custom_metrics: { unknown_metric: [{ number: 3 }] } }),
      'json',
    );
    assert.equal(answer.status, 'ACCEPTED');
    const [stored] = await detect.store.queryReports('sensor-1', 0, clock.now() + 1);
    assert.equal(
      stored?.datapoints.some((point) => point.metric === 'unknown_metric'),
      false,
    );
  });

  test('rejects a thing name with a control character before reading the payload', async () => {
    const answer = await intake.submit('bad\u0001name', Buffer.from('not json'), 'json');
    assert.equal(
      answer.status === 'REJECTED' && answer.statusDetails.ErrorCode,
      'InvalidThingName',
    );
  });

  test('answers InternalError and keeps no state when storing fails', async () => {
    detect.store.putReport = () => Promise.reject(new Error('disk full'));
    const answer = await intake.submit('sensor-1', report(10), 'json');
    assert.deepEqual(answer.status === 'REJECTED' && answer.statusDetails, {
      ErrorCode: 'InternalError',
      ErrorMessage: 'Warden could not store the report; send it again later',
    });
    assert.equal(detect.reportStates.has('sensor-1'), false);
  });
});
