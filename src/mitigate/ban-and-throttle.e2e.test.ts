import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { FakeClock } from '../core/clock.ts';
import type { Violation } from '../detect/detect-records.ts';
import {
  closed,
  inbox,
  MANUAL,
  MitigationFixture,
  mitigationAction,
  publishAcknowledged,
  targetOf,
  waitFor,
} from './mitigation-fixture.ts';

const ALLOW_ALL = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }],
};

function violationOf(thingName: string): Violation {
  return {
    violationId: `violation-${thingName}`,
    thingName,
    securityProfileName: 'cameras',
    behavior: { name: 'port-scan' },
    startTime: 0,
    lastViolationTime: 0,
    verificationState: 'UNKNOWN',
  };
}

const SOURCE = {
  kind: 'violation' as const,
  violationId: 'violation-1',
  securityProfileName: 'cameras',
  behaviorName: 'port-scan',
};

/** Creates a logger that keeps every line, so a test can read what the broker logged. */
function recordingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('bans and publish throttles through the broker', () => {
  let fixture: MitigationFixture;
  const clock = new FakeClock(Date.now());
  const { logger, lines } = recordingLogger();

  before(async () => {
    fixture = await MitigationFixture.start({ clock, logger });
    await fixture.warden.createPolicy('allow-all', ALLOW_ALL);
  });

  after(async () => {
    await fixture?.stop();
  });

  test('client ID ban expires on time', async () => {
    const device = await fixture.device('cam-1', 'allow-all');
    const client = await fixture.warden.connect('cam-1', device);
    const clientClosed = closed(client);
    const action = mitigationAction('ban-client', 'BAN', {
      scope: 'CLIENT_ID',
      durationSeconds: 300,
      reason: 'Port scan',
    });
    const target = fixture.mitigation.resolver.fromViolation(violationOf('cam-1'));

    const record = await fixture.mitigator.execute({ action, target, source: SOURCE });
    const until = new Date(clock.now() + 300_000).toISOString();
    assert.equal(record.status, 'COMPLETED');
    assert.equal(
      record.message,
      `Banned CLIENT_ID "cam-1" until ${until}; dropped the sessions of "cam-1"`,
    );
    await clientClosed;
    const disconnects = await fixture.events('cam-1', ['disconnect']);
    assert.deepEqual(
      disconnects.map((event) => event.reason),
      ['banned'],
    );
    const stored = (await fixture.store.listDocuments('ban')) as Record<string, unknown>[];
    assert.equal(stored.length, 1);
    assert.equal(stored[0]?.['scope'], 'CLIENT_ID');
    assert.equal(stored[0]?.['value'], 'cam-1');
    assert.equal(stored[0]?.['reason'], 'Port scan');
    assert.equal(stored[0]?.['rule'], 'security profile "cameras", behavior "port-scan"');
    assert.equal(stored[0]?.['executionId'], record.executionId);
    assert.equal(stored[0]?.['createdAt'], clock.now());
    assert.equal(stored[0]?.['expiresAt'], clock.now() + 300_000);

    await assert.rejects(fixture.warden.connect('cam-1', device), {
      message: 'Connection refused: Not authorized',
    });
    const failures = await fixture.events('cam-1', ['connect-failure']);
    assert.deepEqual(
      failures.map((event) => event.reason),
      ['banned'],
    );
    const refusal = lines.filter((line) => line['msg'] === 'connection refused').at(-1);
    assert.equal(refusal?.['detail'], `Client ID "cam-1" is banned until ${until}: Port scan`);

    clock.advance(299_999);
    await assert.rejects(fixture.warden.connect('cam-1', device), {
      message: 'Connection refused: Not authorized',
    });
    clock.advance(1);
    const again = await fixture.warden.connect('cam-1', device);
    await waitFor(
      async () => ((await fixture.store.listDocuments('ban')).length === 0 ? true : undefined),
      'the expired ban to leave the store',
    );
    assert.deepEqual(fixture.mitigation.enforcement.bans(), []);

    const rolledBack = await fixture.mitigator.rollback(record.executionId);
    assert.equal(
      rolledBack.rollbackMessage,
      'Lifted the bans of (none); CLIENT_ID "cam-1" had already expired',
    );
    await again.endAsync();
  });

  test('SOURCE_IP ban blocks loopback until rollback', async () => {
    const first = await fixture.device('cam-2', 'allow-all');
    const second = await fixture.device('cam-3', 'allow-all');
    const firstClient = await fixture.warden.connect('cam-2', first);
    const secondClient = await fixture.warden.connect('cam-3', second);
    const bothClosed = Promise.all([closed(firstClient), closed(secondClient)]);
    const action = mitigationAction('ban-address', 'BAN', {
      scope: 'SOURCE_IP',
      durationSeconds: 3600,
    });
    const target = fixture.mitigation.resolver.fromViolation(violationOf('cam-2'));
    assert.deepEqual(target.sourceIps, ['127.0.0.1']);

    const record = await fixture.mitigator.execute({ action, target, source: MANUAL });
    const until = new Date(clock.now() + 3_600_000).toISOString();
    assert.equal(
      record.message,
      `Banned SOURCE_IP "127.0.0.1/32" until ${until}; dropped the sessions of "cam-2", "cam-3"`,
    );
    await bothClosed;
    await assert.rejects(fixture.warden.connect('cam-3', second), {
      message: 'Connection refused: Not authorized',
    });
    const refusal = lines.filter((line) => line['msg'] === 'connection refused').at(-1);
    assert.equal(
      refusal?.['detail'],
      `Source IP range "127.0.0.1/32" is banned until ${until}: Mitigation action "ban-address"`,
    );

    const rolledBack = await fixture.mitigator.rollback(record.executionId);
    assert.equal(rolledBack.rollbackMessage, 'Lifted the bans of SOURCE_IP "127.0.0.1/32"');
    assert.deepEqual(await fixture.store.listDocuments('ban'), []);
    const again = await fixture.warden.connect('cam-3', second);
    await again.endAsync();
  });

  test('certificate ban covers every client ID', async () => {
    const device = await fixture.device('cam-4', 'allow-all');
    const action = mitigationAction('ban-certificate', 'BAN', {
      scope: 'CERTIFICATE',
      durationSeconds: 600,
    });
    const target = fixture.mitigation.resolver.fromViolation(violationOf('cam-4'));
    const record = await fixture.mitigator.execute({ action, target, source: MANUAL });
    assert.equal(record.status, 'COMPLETED');

    await assert.rejects(fixture.warden.connect('cam-4-other', device), {
      message: 'Connection refused: Not authorized',
    });
    const failures = await fixture.events('cam-4-other', ['connect-failure']);
    assert.deepEqual(
      failures.map((event) => event.reason),
      ['banned'],
    );
    await fixture.mitigator.rollback(record.executionId);
    const again = await fixture.warden.connect('cam-4-other', device);
    await again.endAsync();
  });

  test('ban without matching resource fails', async () => {
    const action = mitigationAction('ban-address', 'BAN', {
      scope: 'SOURCE_IP',
      durationSeconds: 60,
    });
    const record = await fixture.mitigator.execute({
      action,
      target: targetOf({ clientIds: ['cam-9'] }),
      source: MANUAL,
    });
    assert.equal(record.status, 'FAILED');
    assert.equal(record.errorCode, 'InvalidRequestException');
    assert.equal(
      record.message,
      'Cannot apply mitigation action "ban-address" (BAN): the target has no source IPs',
    );
    assert.deepEqual(fixture.mitigation.enforcement.bans(), []);
  });

  test('throttle drops excess publishes', async () => {
    const flooder = await fixture.device('flood-1', 'allow-all');
    const watcher = await fixture.device('watch-1', 'allow-all');
    const client = await fixture.warden.connect('flood-1', flooder);
    const listener = await fixture.warden.connect('watch-1', watcher);
    const received = inbox(listener);
    await listener.subscribeAsync('fleet/#', { qos: 0 });
    const action = mitigationAction('throttle', 'THROTTLE_PUBLISH', {
      messagesPerMinute: 3,
      durationSeconds: 600,
    });
    const target = fixture.mitigation.resolver.fromViolation(violationOf('flood-1'));

    const record = await fixture.mitigator.execute({ action, target, source: SOURCE });
    const until = new Date(clock.now() + 600_000).toISOString();
    assert.equal(
      record.message,
      `Throttled things "flood-1" to 3 messages per minute until ${until}`,
    );
    const countFrom = async (topic: string, expected: number) => {
      await fixture.warden.service.broker.publish('fleet/marker', Buffer.from(topic));
      await waitFor(
        () => (received.some((m) => m.payload === topic) ? true : undefined),
        `the marker after ${topic}`,
      );
      const count = received.filter((m) => m.topic === topic).length;
      assert.equal(count, expected, `messages delivered on ${topic}`);
    };

    for (let index = 0; index < 8; index++)
      await publishAcknowledged(client, 'fleet/burst', String(index));
    assert.equal(client.connected, true);
    await countFrom('fleet/burst', 3);
    assert.equal(fixture.mitigation.enforcement.droppedPublishes('flood-1'), 5);

    clock.advance(20_000);
    await publishAcknowledged(client, 'fleet/refill', 'a');
    await publishAcknowledged(client, 'fleet/refill', 'b');
    await countFrom('fleet/refill', 1);

    const rolledBack = await fixture.mitigator.rollback(record.executionId);
    assert.equal(rolledBack.rollbackMessage, 'Lifted the publish throttles of things "flood-1"');
    for (let index = 0; index < 5; index++)
      await publishAcknowledged(client, 'fleet/free', String(index));
    await countFrom('fleet/free', 5);
    await Promise.all([client.endAsync(), listener.endAsync()]);
  });

  test('throttle expires on time', async () => {
    const flooder = await fixture.device('flood-2', 'allow-all');
    const watcher = await fixture.device('watch-2', 'allow-all');
    const client = await fixture.warden.connect('flood-2', flooder);
    const listener = await fixture.warden.connect('watch-2', watcher);
    const received = inbox(listener);
    await listener.subscribeAsync('meters/#', { qos: 0 });
    const action = mitigationAction('throttle-short', 'THROTTLE_PUBLISH', {
      messagesPerMinute: 1,
      durationSeconds: 120,
    });
    const target = targetOf({ thingNames: ['flood-2'] });
    await fixture.mitigator.execute({ action, target, source: MANUAL });

    await publishAcknowledged(client, 'meters/a', '1');
    await publishAcknowledged(client, 'meters/a', '2');
    clock.advance(120_000);
    await publishAcknowledged(client, 'meters/b', '1');
    await publishAcknowledged(client, 'meters/b', '2');
    await publishAcknowledged(client, 'meters/b', '3');
    await waitFor(() => (received.length === 4 ? true : undefined), 'four delivered messages');
    assert.deepEqual(
      received.map((message) => `${message.topic}=${message.payload}`),
      ['meters/a=1', 'meters/b=1', 'meters/b=2', 'meters/b=3'],
    );
    await waitFor(
      async () => ((await fixture.store.listDocuments('throttle')).length === 0 ? true : undefined),
      'the expired throttle to leave the store',
    );
    await Promise.all([client.endAsync(), listener.endAsync()]);
  });
});
