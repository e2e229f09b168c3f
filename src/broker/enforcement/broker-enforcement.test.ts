import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FakeClock, systemClock, type Clock } from '../../core/clock.ts';
import { silentLogger } from '../../core/logger.ts';
import { MIGRATIONS } from '../../service/migrations.ts';
import { openSqlite, type SqliteHandle } from '../../store/sqlite-database.ts';
import { SqliteMitigationStore } from '../../store/sqlite-mitigation-store.ts';
import type { Session } from '../session.ts';
import type { BanRecord } from './ban.ts';
import { BrokerEnforcement } from './broker-enforcement.ts';
import type { ThrottleRecord } from './publish-throttle.ts';

const START = Date.UTC(2026, 11, 4, 12);

function banOf(fields: Partial<BanRecord> & Pick<BanRecord, 'scope' | 'value'>): BanRecord {
  return {
    banId: `ban-${fields.value}`,
    reason: 'Port scan',
    rule: 'manual: test',
    createdAt: START,
    expiresAt: START + 60_000,
    ...fields,
  };
}

function throttleOf(thingName: string, messagesPerMinute: number): ThrottleRecord {
  return {
    throttleId: `throttle-${thingName}`,
    thingName,
    messagesPerMinute,
    rule: 'manual: test',
    createdAt: START,
    expiresAt: START + 60_000,
  };
}

/** Builds the parts of a live session that bans read. */
function sessionOf(clientId: string, sourceIp: string): Session {
  return { clientId, certificateId: 'c'.repeat(64), sourceIp, identity: clientId } as Session;
}

const connection = (clientId: string, sourceIp = '10.0.0.5') => ({
  clientId,
  certificateId: 'c'.repeat(64),
  sourceIp,
});

describe('broker enforcement', () => {
  let dir: string;
  let db: SqliteHandle;
  let store: SqliteMitigationStore;
  const opened: BrokerEnforcement[] = [];

  function enforcement(clock: Clock): BrokerEnforcement {
    const created = new BrokerEnforcement({ documents: store, clock, logger: silentLogger() });
    opened.push(created);
    return created;
  }

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'warden-enforcement-'));
    db = openSqlite(path.join(dir, 'warden.db'), MIGRATIONS);
    store = new SqliteMitigationStore(db);
  });

  after(async () => {
    for (const created of opened) created.stop();
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('bans and throttles survive restart', async () => {
    const clock = new FakeClock(START);
    const first = enforcement(clock);
    await first.load();
    await first.addBan(banOf({ scope: 'CLIENT_ID', value: 'cam-1' }));
    await first.addThrottle(throttleOf('pump-1', 5));
    first.stop();

    const second = enforcement(clock);
    await second.load();
    assert.deepEqual(second.bans(), [banOf({ scope: 'CLIENT_ID', value: 'cam-1' })]);
    assert.deepEqual(second.throttles(), [throttleOf('pump-1', 5)]);
    assert.equal(second.activeBan(connection('cam-1'))?.banId, 'ban-cam-1');

    assert.equal(await second.liftBan('ban-cam-1'), true);
    assert.equal(await second.liftThrottle('throttle-pump-1'), true);
    assert.deepEqual(await store.listDocuments('ban'), []);
    assert.deepEqual(await store.listDocuments('throttle'), []);
  });

  test('load lifts expired bans', async () => {
    const clock = new FakeClock(START);
    const first = enforcement(clock);
    await first.addBan(banOf({ scope: 'CLIENT_ID', value: 'cam-2' }));
    first.stop();

    clock.advance(60_000);
    const second = enforcement(clock);
    await second.load();
    assert.deepEqual(second.bans(), []);
    assert.deepEqual(await store.listDocuments('ban'), []);
  });

  test('ban ends at expiry by clock', async () => {
    const clock = new FakeClock(START);
    const bans = enforcement(clock);
    await bans.addBan(banOf({ scope: 'SOURCE_IP', value: '10.0.0.0/24' }));
    assert.equal(bans.activeBan(connection('cam-3'))?.value, '10.0.0.0/24');
    assert.equal(bans.activeBan(connection('cam-3', '10.0.1.5')), undefined);

    clock.advance(59_999);
    assert.equal(bans.activeBan(connection('cam-3'))?.value, '10.0.0.0/24');
    clock.advance(1);
    assert.equal(bans.activeBan(connection('cam-3')), undefined);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(await store.listDocuments('ban'), []);
    assert.equal(await bans.liftBan('ban-10.0.0.0/24'), false);
  });

  test('timer lifts expired ban', async () => {
    const bans = enforcement(systemClock);
    const now = Date.now();
    await bans.addBan(banOf({ scope: 'CLIENT_ID', value: 'cam-4', expiresAt: now + 50 }));
    assert.equal(bans.bans().length, 1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.deepEqual(bans.bans(), []);
    assert.deepEqual(await store.listDocuments('ban'), []);
  });

  test('new ban drops matching sessions', async () => {
    const bans = enforcement(new FakeClock(START));
    const sessions = [
      sessionOf('cam-5', '10.0.0.5'),
      sessionOf('cam-6', '10.0.0.6'),
      sessionOf('cam-7', '192.168.1.7'),
    ];
    const dropped: [string, string][] = [];
    bans.attach({
      liveSessions: () => sessions,
      dropSession: (session, reason) => dropped.push([session.clientId, reason]),
    });
    const clientIds = await bans.addBan(banOf({ scope: 'SOURCE_IP', value: '10.0.0.0/24' }));
    assert.deepEqual(clientIds, ['cam-5', 'cam-6']);
    assert.deepEqual(dropped, [
      ['cam-5', 'banned'],
      ['cam-6', 'banned'],
    ]);
    await bans.liftBan('ban-10.0.0.0/24');
  });

  test('throttle drops and counts excess', async () => {
    const clock = new FakeClock(START);
    const throttles = enforcement(clock);
    await throttles.addThrottle(throttleOf('pump-2', 2));
    const admitted = [1, 2, 3, 4].map(() => throttles.admitPublish('pump-2'));
    assert.deepEqual(admitted, [true, true, false, false]);
    assert.equal(throttles.droppedPublishes('pump-2'), 2);
    assert.equal(throttles.admitPublish('pump-3'), true, 'other things are not throttled');

    clock.advance(30_000);
    assert.equal(throttles.admitPublish('pump-2'), true, 'one token after 30 s at 2 per minute');
    clock.advance(30_000);
    assert.deepEqual(
      [1, 2, 3].map(() => throttles.admitPublish('pump-2')),
      [true, true, true],
      'the throttle expired',
    );
  });
});
