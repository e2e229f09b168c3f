/**
 * Warden's entries for ATT&CK for ICS, for fleets whose devices sit in plants, grids or
 * buildings. They reuse the signals of the Enterprise entries: identity audits, broker-side
 * session and message metrics, and the device-side network metrics of the Device Defender agent.
 */

import { CERTIFICATE_CHECKS } from './catalog-published.ts';
import { entriesFor, type CatalogEntry } from './catalog-types.ts';

/** Warden additions for ATT&CK for ICS. */
export const WARDEN_ICS_ENTRIES: readonly CatalogEntry[] = entriesFor('warden', [
  {
    kind: 'metric',
    capabilityIds: ['warden:report-silence'],
    techniqueIds: ['T0804'],
    category: 'detect',
    value: 'minimal',
    reason:
      'Reports that stop while the device stays online are reporting messages being blocked, though a faulty agent looks the same.',
  },
  {
    kind: 'audit-check',
    capabilityIds: [
      'CONFLICTING_CLIENT_IDS_CHECK',
      'DEVICE_CERTIFICATE_SHARED_CHECK',
      'REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK',
    ],
    techniqueIds: ['T0859'],
    category: 'detect',
    value: 'partial',
    reason:
      'Duplicated client IDs and shared or revoked certificates in use suggest a clone using a field device identity, as for Enterprise cloud accounts.',
  },
  {
    kind: 'metric',
    capabilityIds: ['aws:source-ip-address'],
    techniqueIds: ['T0859'],
    category: 'detect',
    value: 'partial',
    reason:
      'A device identity connecting from outside its expected address ranges suggests someone else using it.',
  },
  {
    kind: 'action',
    capabilityIds: ['UPDATE_DEVICE_CERTIFICATE'],
    techniqueIds: ['T0859'],
    category: 'respond',
    value: 'partial',
    reason:
      'Deactivating the certificate makes the broker reject the cloned or stolen device identity.',
  },
  {
    kind: 'audit-check',
    capabilityIds: ['DEVICE_CERTIFICATE_SHARED_CHECK'],
    techniqueIds: ['T0891'],
    category: 'detect',
    value: 'partial',
    reason:
      'One certificate used by many devices is a credential baked into their images, which unlocks every device that carries it.',
  },
  {
    kind: 'audit-check',
    capabilityIds: ['CONFLICTING_CLIENT_IDS_CHECK'],
    techniqueIds: ['T0856'],
    category: 'detect',
    value: 'minimal',
    reason:
      'A second session publishing under a device client ID is how spoofed reports reach the broker, though spoofing through the real session goes unseen.',
  },
  {
    kind: 'audit-check',
    capabilityIds: [
      ...CERTIFICATE_CHECKS,
      'INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK',
    ],
    techniqueIds: ['T0830', 'T0842'],
    category: 'protect',
    value: 'minimal',
    reason:
      'Sound device and CA certificates keep MQTT traffic encrypted, which protects only that traffic and not the plant network around it.',
  },
  {
    kind: 'metric',
    capabilityIds: [
      'aws:num-connection-attempts',
      'aws:num-messages-sent',
      'aws:all-bytes-out',
      'aws:all-packets-out',
    ],
    techniqueIds: ['T0814'],
    category: 'detect',
    value: 'minimal',
    reason:
      'Connection and message storms at the broker, or outbound floods from a device towards its neighbours, show a denial of service before controllers stop responding.',
  },
  {
    kind: 'action',
    capabilityIds: ['THROTTLE_PUBLISH', 'BAN'],
    techniqueIds: ['T0814'],
    category: 'respond',
    value: 'minimal',
    reason:
      'Throttling or banning the flooding client protects the broker but not other targets of the flood.',
  },
  {
    kind: 'metric',
    capabilityIds: ['aws:num-disconnects'],
    techniqueIds: ['T0816'],
    category: 'detect',
    value: 'minimal',
    reason: 'Repeated disconnects and reconnects of a device follow each restart of it.',
  },
  {
    kind: 'metric',
    capabilityIds: ['aws:disconnect-duration'],
    techniqueIds: ['T0816', 'T0829'],
    category: 'detect',
    value: 'minimal',
    reason:
      'A device that stays disconnected past a threshold has been shut down or cut off, and operators have lost its telemetry.',
  },
  {
    kind: 'metric',
    capabilityIds: ['aws:num-listening-tcp-ports', 'aws:num-listening-udp-ports'],
    techniqueIds: ['T0881'],
    category: 'detect',
    value: 'minimal',
    reason:
      'A lower bound on the listening port count flags a device whose expected services stopped, as long as its agent still reports.',
  },
  {
    kind: 'metric',
    capabilityIds: ['aws:destination-ip-addresses', 'aws:num-established-tcp-connections'],
    techniqueIds: ['T0846'],
    category: 'detect',
    value: 'minimal',
    reason:
      'Connections to unexpected hosts, or many more of them, show a device sweeping the plant network once handshakes complete.',
  },
  {
    kind: 'metric',
    capabilityIds: ['aws:num-messages-sent', 'aws:num-messages-received', 'aws:message-byte-size'],
    techniqueIds: ['T0869'],
    category: 'detect',
    value: 'minimal',
    reason:
      "MQTT message counts and sizes outside the norm can show command and control riding the fleet protocol, though only in the device's own session.",
  },
  {
    kind: 'metric',
    capabilityIds: ['aws:num-authorization-failures'],
    techniqueIds: ['T0855'],
    category: 'detect',
    value: 'minimal',
    reason:
      'Denied publishes on command topics, counted per topic filter dimension, show a client trying to send commands it may not send, while allowed ones go unseen.',
  },
  {
    kind: 'metric',
    capabilityIds: ['aws:all-bytes-out', 'aws:destination-ip-addresses'],
    techniqueIds: ['T0882'],
    category: 'detect',
    value: 'minimal',
    reason: 'Outbound volume or peers outside the norm can show operational data leaving the site.',
  },
]);
