/**
 * Warden's own Enterprise entries for Detect metrics: techniques the broker-side and device-side
 * metrics support that the published mapping leaves out, each with the rule that would flag it.
 */

import { entriesFor, type CatalogEntry } from './catalog-types.ts';

const DEVICE_FLOOD_METRICS = [
  'aws:all-bytes-out',
  'aws:all-packets-out',
  'aws:num-established-tcp-connections',
  'aws:destination-ip-addresses',
];

/** Warden additions for Detect metrics, ATT&CK Enterprise. */
export const WARDEN_METRIC_ENTRIES: readonly CatalogEntry[] = entriesFor('warden', [
  {
    kind: 'metric',
    capabilityIds: ['warden:report-silence'],
    techniqueIds: ['T1562.001'],
    category: 'detect',
    value: 'partial',
    reason:
      'A device that stays connected while its Device Defender agent stops reporting has had its monitoring tool stopped or changed, though a crashed agent looks the same.',
  },
  {
    kind: 'metric',
    capabilityIds: ['aws:message-byte-size'],
    techniqueIds: ['T1041'],
    category: 'detect',
    value: 'partial',
    reason:
      "Messages far larger than a device's usual telemetry are data leaving over MQTT, the channel the device is already controlled through, although small messages spread over time stay under the threshold.",
  },
  {
    kind: 'metric',
    capabilityIds: ['aws:num-connection-attempts'],
    techniqueIds: ['T1110'],
    category: 'detect',
    value: 'minimal',
    reason:
      'Rejected CONNECTs count towards the client ID they name, so repeated tries with unregistered or inactive certificates against a thing show up, while Warden accepts no passwords to guess.',
  },
  {
    kind: 'metric',
    capabilityIds: ['aws:num-connection-attempts', 'aws:num-messages-sent'],
    techniqueIds: ['T1499.002'],
    category: 'detect',
    value: 'partial',
    reason:
      'A storm of connection attempts or published messages from one client ID is a flood aimed at the broker, though a flood spread over many client IDs stays under each threshold.',
  },
  {
    kind: 'metric',
    capabilityIds: ['aws:num-connection-attempts', 'aws:num-messages-sent'],
    techniqueIds: ['T1499'],
    category: 'detect',
    value: 'minimal',
    reason: 'Covers one sub-technique of Endpoint Denial of Service (service exhaustion).',
  },
  {
    kind: 'metric',
    capabilityIds: DEVICE_FLOOD_METRICS,
    techniqueIds: ['T1496.002', 'T1498.001'],
    category: 'detect',
    value: 'partial',
    reason:
      'A spike in outbound bytes, packets or connections, or connections to unexpected peers, shows a device flooding a target or carrying traffic for someone else.',
  },
  {
    kind: 'metric',
    capabilityIds: DEVICE_FLOOD_METRICS,
    techniqueIds: ['T1498'],
    category: 'detect',
    value: 'minimal',
    reason:
      'Covers the direct flood sub-technique of Network Denial of Service but not reflection.',
  },
  {
    kind: 'metric',
    capabilityIds: ['aws:listening-tcp-ports', 'aws:listening-udp-ports'],
    techniqueIds: ['T1571'],
    category: 'detect',
    value: 'minimal',
    reason:
      'A port-set rule flags a listener outside the device profile, as a bind shell on an odd port opens, but remote ports of outbound connections are not a metric.',
  },
  {
    kind: 'metric',
    capabilityIds: ['aws:listening-tcp-ports'],
    techniqueIds: ['T1133'],
    category: 'detect',
    value: 'minimal',
    reason:
      'A port-set rule flags a device that starts listening on a remote-management port such as telnet 23 or 2323, SSH 22 or HTTP 80 and 8080, but not who logs in through it.',
  },
  {
    kind: 'metric',
    capabilityIds: ['aws:destination-ip-addresses', 'aws:num-established-tcp-connections'],
    techniqueIds: ['T1018'],
    category: 'detect',
    value: 'minimal',
    reason:
      'Connections to hosts outside the expected ranges, or many more of them, show a sweep of the local network once handshakes complete, while half-open probes stay unseen.',
  },
]);
