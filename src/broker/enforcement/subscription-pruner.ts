import type { Client, UnsubscribePacket } from 'aedes';
import type { Logger } from '../../core/logger.ts';
import type { Session } from '../session.ts';

/** The part of the aedes persistence that keeps the subscriptions of non-clean sessions. */
export interface SubscriptionPersistence {
  removeSubscriptions(client: Client, topics: string[]): Promise<unknown>;
}

/** Lists the topic filters a client subscribes to, which aedes keeps on the client untyped. */
export function subscribedFilters(client: Client): string[] {
  const held = (client as unknown as { subscriptions?: Record<string, unknown> }).subscriptions;
  return held ? Object.keys(held) : [];
}

/** Lists the session's topic filters on which its current authorizer denies iot:Subscribe. */
export function deniedFilters(session: Session): string[] {
  return subscribedFilters(session.client).filter(
    (filter) => session.authorizer.subscribe(filter).decision !== 'allow',
  );
}

/**
 * Removes subscriptions from a client, so messages on them stop reaching it even where
 * iot:Receive is still allowed. Non-clean sessions lose them from the persistence too, so they
 * do not come back at the next CONNECT. Resolves once aedes has taken them out of its topic
 * tree, which happens on a later turn of the event loop.
 */
export async function removeSubscriptions(
  client: Client,
  filters: string[],
  persistence: SubscriptionPersistence,
): Promise<void> {
  // Without a messageId aedes sends no UNSUBACK, which the client never asked for.
  const packet: UnsubscribePacket = { cmd: 'unsubscribe', unsubscriptions: filters };
  await new Promise<void>((resolve, reject) =>
    client.unsubscribe(packet, (error) => (error ? reject(error) : resolve())),
  );
  if (!client.clean) await persistence.removeSubscriptions(client, filters);
}

/**
 * Removes the subscriptions a rebound session's authorizer no longer allows (iot:Subscribe on
 * the topic filter) and keeps track of the removals still under way, so a caller can wait until
 * every revoked subscription is gone.
 */
export class SubscriptionPruner {
  private readonly pending = new Set<Promise<void>>();
  // Filters being removed per client, so a second registry change in the same turn of the
  // event loop does not remove them again.
  private readonly removing = new WeakMap<Client, Set<string>>();

  constructor(
    private readonly persistence: () => SubscriptionPersistence,
    private readonly logger: Logger,
  ) {}

  /** Starts removing the session's revoked subscriptions; failures are logged, not thrown. */
  prune(session: Session): void {
    const client = session.client;
    const removing = this.removing.get(client) ?? new Set<string>();
    const denied = deniedFilters(session).filter((filter) => !removing.has(filter));
    if (denied.length === 0) return;
    for (const filter of denied) removing.add(filter);
    this.removing.set(client, removing);

    const removal = removeSubscriptions(client, denied, this.persistence()).then(
      () =>
        this.logger.info(
          { clientId: session.clientId, topicFilters: denied },
          'removed subscriptions the policies no longer allow',
        ),
      (error: unknown) =>
        this.logger.error(
          { err: error, clientId: session.clientId, topicFilters: denied },
          'removing revoked subscriptions failed',
        ),
    );
    this.pending.add(removal);
    void removal.finally(() => {
      this.pending.delete(removal);
      for (const filter of denied) removing.delete(filter);
    });
  }

  /** Resolves when every removal started so far has finished. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
