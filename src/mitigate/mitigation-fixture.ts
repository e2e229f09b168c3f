import type { MqttClient } from 'mqtt';
import path from 'node:path';
import type { Session } from '../broker/session.ts';
import { silentLogger } from '../core/logger.ts';
import type { ConnectionEvent } from '../history/connection-event.ts';
import { MIGRATIONS } from '../service/migrations.ts';
import { openSqlite, type SqliteHandle } from '../store/sqlite-database.ts';
import { SqliteMitigationStore } from '../store/sqlite-mitigation-store.ts';
import { TestWarden, type TestWardenOptions } from '../testing/harness.ts';
import { createTestCa, issueTestCertificate, type TestCertificate } from '../testing/pki.ts';
import { startLiveMitigation, type LiveMitigation } from './live-mitigation.ts';
import type { LiveMitigator } from './live-mitigator.ts';
import {
  PARAMS_MEMBER,
  type ExecutionSource,
  type MitigationAction,
  type MitigationActionParams,
  type MitigationActionType,
  type MitigationTarget,
} from './mitigation-types.ts';

/**
 * A TestWarden with live mitigation over its registry, broker and alert targets, for the
 * mitigation tests and the benchmark. The mitigation store is a SQLite file of its own in the
 * data directory, because the service does not create one yet.
 */
export class MitigationFixture {
  private constructor(
    readonly warden: TestWarden,
    readonly mitigation: LiveMitigation,
    readonly store: SqliteMitigationStore,
    readonly ca: TestCertificate,
    private readonly db: SqliteHandle,
  ) {}

  static async start(options: TestWardenOptions = {}): Promise<MitigationFixture> {
    const warden = await TestWarden.start(options);
    const db = openSqlite(path.join(warden.dataDir, 'mitigation.db'), MIGRATIONS);
    const store = new SqliteMitigationStore(db);
    const service = warden.service;
    const mitigation = await startLiveMitigation({
      registry: service.registry,
      broker: service.broker,
      alerts: service.alerts,
      store,
      clock: service.clock,
      logger: options.logger ?? silentLogger(),
    });
    const ca = await createTestCa('Fleet CA');
    await warden.registerCa(ca);
    return new MitigationFixture(warden, mitigation, store, ca, db);
  }

  get mitigator(): LiveMitigator {
    return this.mitigation.mitigator;
  }

  /** Issues a certificate, registers it ACTIVE, creates the thing, attaches both and the policy. */
  async device(thingName: string, policyName: string): Promise<TestCertificate> {
    const certificate = await issueTestCertificate(this.ca, thingName);
    await this.warden.registerDevice(thingName, certificate, { policyName });
    return certificate;
  }

  /** Returns the live session of a client ID, if it has one. */
  session(clientId: string): Session | undefined {
    return [...this.warden.service.broker.sessions.values()].find((s) => s.clientId === clientId);
  }

  /**
   * Returns the connection history of a client ID, oldest first, once it contains at least
   * `minimum` events of the types. The broker writes history asynchronously, so this polls.
   */
  async events(
    clientId: string,
    types: ConnectionEvent['type'][],
    minimum = 1,
  ): Promise<ConnectionEvent[]> {
    const history = this.warden.service.history;
    return waitFor(
      async () => {
        const found = await history.query({ since: 0, clientId, types });
        return found.length >= minimum ? found : undefined;
      },
      `${minimum} ${types.join('/')} event(s) of "${clientId}"`,
    );
  }

  async stop(): Promise<void> {
    await this.warden.stop();
    this.db.close();
  }
}

/** Builds a mitigation action of one type, as the store keeps it. */
export function mitigationAction<T extends MitigationActionType>(
  actionName: string,
  actionType: T,
  params: NonNullable<MitigationActionParams[(typeof PARAMS_MEMBER)[T]]>,
): MitigationAction {
  return {
    actionName,
    actionId: `${actionName}-id`,
    actionType,
    roleArn: 'arn:aws:iam::123456789012:role/warden-mitigation',
    actionParams: { [PARAMS_MEMBER[actionType]]: params },
    tags: [],
    createdAt: 0,
    lastModifiedAt: 0,
  };
}

export const MANUAL: ExecutionSource = { kind: 'manual', reason: 'test' };

/** Builds a target that contains only what `members` sets. */
export function targetOf(members: Partial<MitigationTarget>): MitigationTarget {
  return {
    certificateIds: [],
    caCertificateIds: [],
    thingNames: [],
    clientIds: [],
    policyNames: [],
    sourceIps: [],
    subject: {},
    ...members,
  };
}

/** Resolves when the client's connection closes. */
export function closed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => client.once('close', () => resolve()));
}

/** Collects every message a client receives, so a test can check what did not arrive. */
export function inbox(client: MqttClient): { topic: string; payload: string }[] {
  const messages: { topic: string; payload: string }[] = [];
  client.on('message', (topic, payload) => messages.push({ topic, payload: payload.toString() }));
  return messages;
}

/** Polls until `read` returns a value, for at most three seconds. */
export async function waitFor<T>(
  read: () => Promise<T | undefined> | T | undefined,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Publishes at QoS 1 and rejects at once if the broker closes the connection instead. */
export function publishAcknowledged(
  client: MqttClient,
  topic: string,
  payload: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const onClose = () => reject(new Error(`Connection closed before the PUBACK for "${topic}"`));
    client.once('close', onClose);
    client.publishAsync(topic, payload, { qos: 1 }).then(() => {
      client.off('close', onClose);
      resolve();
    }, reject);
  });
}
