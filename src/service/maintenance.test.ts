import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeClock } from '../core/clock.ts';
import { TestWarden } from '../testing/harness.ts';

const DAY_MS = 24 * 3600 * 1000;

describe('maintenance', () => {
  const clock = new FakeClock(Date.now());
  let warden: TestWarden;

  before(async () => {
    warden = await TestWarden.start({ clock });
    const behaviors = [
      {
        name: 'no-listeners',
        metric: 'aws:num-listening-tcp-ports',
        criteria: { comparisonOperator: 'less-than', value: { count: 1 } },
      },
    ];
    await warden.api('POST', '/security-profiles/quiet', { behaviors });
    await warden.api(
      'PUT',
      '/security-profiles/quiet/targets?securityProfileTargetArn=arn:aws:iot:us-east-1:123456789012:all/things',
    );
    const report = {
      header: { report_id: 1, version: '1.0' },
      metrics: { listening_tcp_ports: { ports: [{ port: 22 }], total: 1 } },
    };
    const answer = await warden.api('POST', '/metrics/silent-device', report);
    assert.equal(answer.body.status, 'ACCEPTED');
  });

  after(async () => {
    await warden?.stop();
  });

  test('keeps a violation of a thing silent for less than two days', async () => {
    clock.advance(2 * DAY_MS - 60_000);
    await warden.service.maintenance.runOnce();
    const active = await warden.api('GET', '/active-violations');
    assert.equal(active.body.activeViolations.length, 1);
  });

  test('invalidates a violation after two days without datapoints', async () => {
    clock.advance(120_000);
    await warden.service.maintenance.runOnce();
    const active = await warden.api('GET', '/active-violations');
    assert.deepEqual(active.body.activeViolations, []);
    const events = await warden.api(
      'GET',
      `/violation-events?startTime=0&endTime=${clock.now() / 1000 + 1}`,
    );
    assert.deepEqual(
      events.body.violationEvents.map(
        (event: { violationEventType: string }) => event.violationEventType,
      ),
      ['in-alarm', 'alarm-invalidated'],
    );
    assert.equal(events.body.violationEvents[1].metricValue, undefined);
  });

  test('deletes reports and events past their retention', async () => {
    clock.advance(31 * DAY_MS);
    await warden.service.maintenance.runOnce();
    const reports = await warden.service.detect.store.queryReports('silent-device', 0, clock.now());
    assert.deepEqual(reports, []);
    const events = await warden.api(
      'GET',
      `/violation-events?startTime=0&endTime=${clock.now() / 1000 + 1}`,
    );
    assert.deepEqual(events.body.violationEvents, []);
  });

  test('deletes audit tasks and findings after 90 days', async () => {
    await warden.api('PATCH', '/audit/configuration', {
      roleArn: 'arn:aws:iam::123456789012:role/audit',
      auditCheckConfigurations: { LOGGING_DISABLED_CHECK: { enabled: true } },
    });
    const started = await warden.api('POST', '/audit/tasks', {
      targetCheckNames: ['LOGGING_DISABLED_CHECK'],
    });
    await warden.service.audit.tasks.finished(started.body.taskId);
    assert.equal((await warden.api('GET', `/audit/tasks/${started.body.taskId}`)).status, 200);

    clock.advance(91 * DAY_MS);
    await warden.service.maintenance.runOnce();
    assert.equal((await warden.api('GET', `/audit/tasks/${started.body.taskId}`)).status, 404);
  });
});
