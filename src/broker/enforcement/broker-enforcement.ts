import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import type { MitigationStore } from '../../mitigate/mitigation-store.ts';
import type { Session } from '../session.ts';
import {
  banMatches,
  compileBan,
  type BanRecord,
  type CompiledBan,
  type ConnectionIdentity,
} from './ban.ts';
import { ActiveThrottle, type ThrottleRecord } from './publish-throttle.ts';

/** Mitigation documents of these kinds hold the bans and throttles, keyed by their ids. */
export const BAN_DOCUMENT = 'ban';
export const THROTTLE_DOCUMENT = 'throttle';

/** The durable storage enforcement needs: the generic documents of the mitigation store. */
export type EnforcementDocuments = Pick<
  MitigationStore,
  'putDocument' | 'listDocuments' | 'deleteDocument'
>;

/** The broker's live sessions, so a new ban can drop the ones it matches at once. */
export interface SessionControl {
  liveSessions(): Iterable<Session>;
  dropSession(session: Session, reason: string): void;
}

export interface BrokerEnforcementOptions {
  documents: EnforcementDocuments;
  clock: Clock;
  logger: Logger;
}

// setTimeout fires at once for delays above 2^31 - 1 ms, so longer waits are taken in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Bans and publish throttles in force on the broker. Both are written to the mitigation store
 * before they take effect and are loaded again at start. Each lasts until its `expiresAt`: a
 * timer lifts it then, and every check compares `expiresAt` with the injected clock as well, so
 * an expired ban is never enforced even before its timer runs.
 */
export class BrokerEnforcement {
  private readonly banList = new Map<string, CompiledBan>();
  private readonly throttleList = new Map<string, ActiveThrottle>();
  private readonly throttlesByThing = new Map<string, Set<ActiveThrottle>>();
  private control: SessionControl | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sweepPending = false;
  private stopped = false;

  constructor(private readonly options: BrokerEnforcementOptions) {}

  /** Loads the stored bans and throttles; those that expired while Warden was down are lifted. */
  async load(): Promise<void> {
    for (const data of await this.options.documents.listDocuments(BAN_DOCUMENT)) {
      const ban = data as BanRecord;
      this.banList.set(ban.banId, compileBan(ban));
    }
    const now = this.options.clock.now();
    for (const data of await this.options.documents.listDocuments(THROTTLE_DOCUMENT)) {
      this.index(new ActiveThrottle(data as ThrottleRecord, now));
    }
    await this.sweep();
  }

  /** Called by the broker when it starts using this enforcement. */
  attach(control: SessionControl): void {
    this.control = control;
  }

  /** Stops the expiry timer; bans and throttles stay stored for the next start. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  bans(): BanRecord[] {
    return [...this.banList.values()].map((compiled) => compiled.ban);
  }

  throttles(): ThrottleRecord[] {
    return [...this.throttleList.values()].map((active) => active.record);
  }

  /**
   * Stores a ban, puts it in force and drops the live sessions it matches with reason `banned`.
   * Returns the client IDs of the dropped sessions.
   * @throws WardenError InvalidRequestException when a SOURCE_IP ban's value is not a CIDR block.
   */
  async addBan(ban: BanRecord): Promise<string[]> {
    const compiled = compileBan(ban);
    await this.options.documents.putDocument({ kind: BAN_DOCUMENT, key: ban.banId, data: ban });
    this.banList.set(ban.banId, compiled);
    this.schedule();
    this.options.logger.info(
      { banId: ban.banId, scope: ban.scope, value: ban.value, expiresAt: ban.expiresAt },
      'ban in force',
    );
    return this.dropBanned(compiled);
  }

  /** Lifts a ban; returns false when it was not in force, e.g. because it had expired. */
  async liftBan(banId: string): Promise<boolean> {
    const compiled = this.banList.get(banId);
    if (compiled && compiled.ban.expiresAt <= this.options.clock.now()) {
      await this.removeBan(banId, 'ban expired');
      return false;
    }
    return this.removeBan(banId, 'ban lifted');
  }

  /** The ban in force that matches a connection, if any. */
  activeBan(connection: ConnectionIdentity): BanRecord | undefined {
    const now = this.options.clock.now();
    for (const compiled of this.banList.values()) {
      if (compiled.ban.expiresAt <= now) {
        this.expireLater();
        continue;
      }
      if (banMatches(compiled, connection)) return compiled.ban;
    }
    return undefined;
  }

  /** Stores a throttle and puts it in force from the thing's next PUBLISH. */
  async addThrottle(throttle: ThrottleRecord): Promise<void> {
    await this.options.documents.putDocument({
      kind: THROTTLE_DOCUMENT,
      key: throttle.throttleId,
      data: throttle,
    });
    this.index(new ActiveThrottle(throttle, this.options.clock.now()));
    this.schedule();
    this.options.logger.info(
      {
        throttleId: throttle.throttleId,
        thingName: throttle.thingName,
        messagesPerMinute: throttle.messagesPerMinute,
        expiresAt: throttle.expiresAt,
      },
      'publish throttle in force',
    );
  }

  /** Lifts a throttle; returns false when it was not in force, e.g. because it had expired. */
  async liftThrottle(throttleId: string): Promise<boolean> {
    const active = this.throttleList.get(throttleId);
    if (active && active.record.expiresAt <= this.options.clock.now()) {
      await this.removeThrottle(throttleId, 'publish throttle expired');
      return false;
    }
    return this.removeThrottle(throttleId, 'publish throttle lifted');
  }

  /**
   * Takes a token from every throttle in force on the identity; returns false when one is out
   * of tokens and the PUBLISH must be dropped.
   */
  admitPublish(identity: string): boolean {
    const throttles = this.throttlesByThing.get(identity);
    if (!throttles) return true;
    const now = this.options.clock.now();
    let admitted = true;
    for (const active of throttles) {
      if (active.record.expiresAt <= now) {
        this.expireLater();
        continue;
      }
      if (active.bucket.take(now)) continue;
      admitted = false;
      active.dropped++;
      this.logDrops(active);
    }
    return admitted;
  }

  /** Messages the throttles in force on an identity have dropped so far. */
  droppedPublishes(identity: string): number {
    let dropped = 0;
    for (const active of this.throttlesByThing.get(identity) ?? []) dropped += active.dropped;
    return dropped;
  }

  private async removeBan(banId: string, message: string): Promise<boolean> {
    if (!this.banList.has(banId)) return false;
    await this.options.documents.deleteDocument(BAN_DOCUMENT, banId);
    // A concurrent lift may have removed it while the delete ran; only one of them reports true.
    if (!this.banList.delete(banId)) return false;
    this.options.logger.info({ banId }, message);
    return true;
  }

  private async removeThrottle(throttleId: string, message: string): Promise<boolean> {
    const active = this.throttleList.get(throttleId);
    if (!active) return false;
    await this.options.documents.deleteDocument(THROTTLE_DOCUMENT, throttleId);
    if (!this.throttleList.has(throttleId)) return false;
    this.unindex(active);
    this.options.logger.info(
      { throttleId, thingName: active.record.thingName, dropped: active.dropped },
      message,
    );
    return true;
  }

  private dropBanned(compiled: CompiledBan): string[] {
    const dropped: string[] = [];
    for (const session of [...(this.control?.liveSessions() ?? [])]) {
      if (!banMatches(compiled, session)) continue;
      this.control?.dropSession(session, 'banned');
      dropped.push(session.clientId);
    }
    return dropped;
  }

  private index(active: ActiveThrottle): void {
    this.throttleList.set(active.record.throttleId, active);
    let set = this.throttlesByThing.get(active.record.thingName);
    if (!set) {
      set = new Set();
      this.throttlesByThing.set(active.record.thingName, set);
    }
    set.add(active);
  }

  private unindex(active: ActiveThrottle): void {
    this.throttleList.delete(active.record.throttleId);
    const set = this.throttlesByThing.get(active.record.thingName);
    set?.delete(active);
    if (set?.size === 0) this.throttlesByThing.delete(active.record.thingName);
  }

  // The first drop and every 1000th after it are logged, so a flood does not flood the log.
  private logDrops(active: ActiveThrottle): void {
    if (active.dropped % 1000 !== 1) return;
    this.options.logger.info(
      { throttleId: active.record.throttleId, thingName: active.record.thingName },
      `publish throttle dropped ${active.dropped} message(s)`,
    );
  }

  /** Sweeps on the next turn of the event loop, once however many checks found an expiry. */
  private expireLater(): void {
    if (this.sweepPending) return;
    this.sweepPending = true;
    setImmediate(() => void this.sweep());
  }

  /** Lifts everything whose time is up, then arms the timer for the next expiry. */
  private async sweep(): Promise<void> {
    this.sweepPending = false;
    const now = this.options.clock.now();
    try {
      for (const { ban } of [...this.banList.values()]) {
        if (ban.expiresAt <= now) await this.removeBan(ban.banId, 'ban expired');
      }
      for (const { record } of [...this.throttleList.values()]) {
        if (record.expiresAt <= now)
          await this.removeThrottle(record.throttleId, 'publish throttle expired');
      }
    } catch (error) {
      this.options.logger.error({ err: error }, 'lifting expired bans or throttles failed');
    }
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped) return;
    const expiries = [
      ...[...this.banList.values()].map((compiled) => compiled.ban.expiresAt),
      ...[...this.throttleList.values()].map((active) => active.record.expiresAt),
    ];
    if (expiries.length === 0) return;
    const delay = Math.min(
      MAX_TIMER_MS,
      Math.max(0, Math.min(...expiries) - this.options.clock.now()),
    );
    this.timer = setTimeout(() => void this.sweep(), delay);
    this.timer.unref();
  }
}
