import type { ConnectionHistoryStore } from '../history/connection-event.ts';
import type { RegistryState } from '../registry/registry.ts';
import type { FleetSnapshot } from './fleet-snapshot.ts';

/** The role, identity-pool and CRL parts of a snapshot, from wherever the registry keeps them. */
export type IdentitySource = () => Pick<
  FleetSnapshot,
  'roleAliases' | 'roles' | 'identityPools' | 'crls'
>;

const NO_IDENTITIES: IdentitySource = () => ({
  roleAliases: [],
  roles: [],
  identityPools: [],
  crls: [],
});

/** Builds the snapshot of the running service: registry records plus the connection window. */
export function liveSnapshotSource(
  registry: RegistryState,
  history: ConnectionHistoryStore,
  identities: IdentitySource = NO_IDENTITIES,
) {
  return async (window: { since: number; until: number }): Promise<FleetSnapshot> => {
    const policies = registry.all('policy');
    const policyTargets = Object.fromEntries(
      policies.map((policy) => [
        policy.policyName,
        registry.linkedFrom('policy-target', policy.policyName).sort(),
      ]),
    );
    return {
      accountId: registry.arns.accountId,
      region: registry.arns.region,
      certificates: registry.all('certificate'),
      caCertificates: registry.all('caCertificate'),
      policies,
      policyTargets,
      ...identities(),
      logging: registry.logging,
      connections: await history.query({ since: window.since, until: window.until }),
      window,
    };
  };
}
