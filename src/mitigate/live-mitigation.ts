import type { WardenBroker } from '../broker/broker.ts';
import { BrokerEnforcement } from '../broker/enforcement/broker-enforcement.ts';
import { malformedPolicyError, validatePolicyDocument } from '../broker/policy/index.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { AlertDispatcher } from '../detect/alerts.ts';
import type { RegistryState } from '../registry/registry.ts';
import { LiveMitigator } from './live-mitigator.ts';
import type { MitigationStore } from './mitigation-store.ts';
import { TargetResolver } from './target-resolver.ts';

export interface LiveMitigationOptions {
  registry: RegistryState;
  broker: WardenBroker;
  alerts: AlertDispatcher;
  store: MitigationStore;
  clock: Clock;
  logger: Logger;
}

/** The mitigation side of a running Warden. */
export interface LiveMitigation {
  mitigator: LiveMitigator;
  resolver: TargetResolver;
  enforcement: BrokerEnforcement;
  /** Stops the ban and throttle expiry timer; the broker's close does the same. */
  stop(): void;
}

/**
 * Loads the stored bans and throttles, puts them in force on the broker and builds the
 * mitigator over the registry, the broker and the alert targets. Call it before
 * `broker.start()` so stored bans hold from the first CONNECT; calling it later also works.
 */
export async function startLiveMitigation(options: LiveMitigationOptions): Promise<LiveMitigation> {
  const enforcement = new BrokerEnforcement({
    documents: options.store,
    clock: options.clock,
    logger: options.logger,
  });
  await enforcement.load();
  options.broker.useEnforcement(enforcement);

  const mitigator = new LiveMitigator({
    registry: options.registry,
    broker: options.broker,
    enforcement,
    alerts: options.alerts,
    validatePolicy: (document) => {
      const result = validatePolicyDocument(document);
      if (result.document === undefined) throw malformedPolicyError(result.problems);
    },
    clock: options.clock,
    logger: options.logger,
    store: options.store,
  });
  const resolver = new TargetResolver({
    registry: options.registry,
    sessions: () => options.broker.sessions.values(),
  });
  return { mitigator, resolver, enforcement, stop: () => enforcement.stop() };
}
