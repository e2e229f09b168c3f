/**
 * Warden's own Enterprise entries for mitigation actions: the AWS actions where they respond to
 * more than the published mapping credits, and Warden's DISCONNECT_CLIENT, BAN and
 * THROTTLE_PUBLISH.
 */

import { entriesFor, type CatalogEntry } from './catalog-types.ts';

/** Warden additions for mitigation actions, ATT&CK Enterprise. */
export const WARDEN_ACTION_ENTRIES: readonly CatalogEntry[] = entriesFor('warden', [
  {
    kind: 'action',
    capabilityIds: ['UPDATE_DEVICE_CERTIFICATE'],
    techniqueIds: ['T1078.004', 'T1649'],
    category: 'respond',
    value: 'partial',
    reason:
      'Deactivating the certificate makes the broker reject every later connection with a stolen or cloned device identity.',
  },
  {
    kind: 'action',
    capabilityIds: ['UPDATE_DEVICE_CERTIFICATE'],
    techniqueIds: ['T1078'],
    category: 'respond',
    value: 'minimal',
    reason: 'Responds to one sub-technique of Valid Accounts (cloud accounts).',
  },
  {
    kind: 'action',
    capabilityIds: ['UPDATE_CA_CERTIFICATE'],
    techniqueIds: ['T1649'],
    category: 'respond',
    value: 'partial',
    reason:
      'Deactivating a CA whose key is weak or compromised makes the broker reject device certificates forged with it.',
  },
  {
    kind: 'action',
    capabilityIds: ['DISCONNECT_CLIENT'],
    techniqueIds: ['T1078', 'T1078.004'],
    category: 'respond',
    value: 'minimal',
    reason:
      'Ending the live session of a suspect client ID cuts its current access, but the client can connect again unless its certificate is deactivated or banned.',
  },
  {
    kind: 'action',
    capabilityIds: ['BAN'],
    techniqueIds: ['T1499.002'],
    category: 'respond',
    value: 'partial',
    reason:
      'Rejecting connections from a client ID, certificate or source IP range for a set time stops a connection or message storm at the broker.',
  },
  {
    kind: 'action',
    capabilityIds: ['BAN'],
    techniqueIds: ['T1078', 'T1078.004', 'T1110', 'T1499', 'T1649'],
    category: 'respond',
    value: 'minimal',
    reason:
      'A ban stops a guessing client, a stolen certificate or a flooding source only for its duration, so it buys time rather than removing the access.',
  },
  {
    kind: 'action',
    capabilityIds: ['THROTTLE_PUBLISH'],
    techniqueIds: ['T1499.002'],
    category: 'respond',
    value: 'partial',
    reason:
      'Capping the publish rate of the target things drops the excess of a message flood before it reaches subscribers.',
  },
  {
    kind: 'action',
    capabilityIds: ['THROTTLE_PUBLISH'],
    techniqueIds: ['T1499'],
    category: 'respond',
    value: 'minimal',
    reason: 'Responds to one sub-technique of Endpoint Denial of Service (service exhaustion).',
  },
  {
    kind: 'action',
    capabilityIds: ['REPLACE_DEFAULT_POLICY_VERSION'],
    techniqueIds: ['T1098'],
    category: 'respond',
    value: 'minimal',
    reason:
      'Replacing the default version of a broadened policy with a blank one undoes the added permissions but not other account changes.',
  },
]);
