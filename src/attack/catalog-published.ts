/**
 * The published CTID mapping of AWS IoT Device Defender (Mappings Explorer, AWS mapping of
 * 12/12/2024 for ATT&CK 16.1), split per capability. The mapping scores the service as a whole.
 * Its comments name the metrics, audit checks and mitigation actions behind each score, so each
 * group below gives those capabilities the row's technique, category and value. Technique names
 * come from the technique table, because five names in the mapping are outdated.
 */

import { entriesFor, type CatalogEntry } from './catalog-types.ts';

const DEVICE_TRAFFIC = [
  'aws:all-bytes-in',
  'aws:all-bytes-out',
  'aws:all-packets-in',
  'aws:all-packets-out',
];

const DEVICE_PORTS_AND_PEERS = [
  'aws:destination-ip-addresses',
  'aws:listening-tcp-ports',
  'aws:num-listening-tcp-ports',
  'aws:num-established-tcp-connections',
  'aws:listening-udp-ports',
  'aws:num-listening-udp-ports',
];

const CLOUD_MESSAGING = [
  'aws:source-ip-address',
  'aws:num-messages-sent',
  'aws:num-messages-received',
  'aws:message-byte-size',
];

/** Audit checks that keep the TLS trust chain sound, and the actions that fix what they find. */
export const CERTIFICATE_CHECKS = [
  'CA_CERTIFICATE_EXPIRING_CHECK',
  'CA_CERTIFICATE_KEY_QUALITY_CHECK',
  'REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK',
  'DEVICE_CERTIFICATE_EXPIRING_CHECK',
  'DEVICE_CERTIFICATE_KEY_QUALITY_CHECK',
  'DEVICE_CERTIFICATE_SHARED_CHECK',
  'REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK',
];
const CERTIFICATE_ACTIONS = [
  'UPDATE_CA_CERTIFICATE',
  'UPDATE_DEVICE_CERTIFICATE',
  'ADD_THINGS_TO_THING_GROUP',
];

const CLONED_IDENTITY_CHECKS = [
  'REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK',
  'DEVICE_CERTIFICATE_SHARED_CHECK',
  'REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK',
  'CONFLICTING_CLIENT_IDS_CHECK',
];
const SESSION_METRICS = [
  'aws:source-ip-address',
  'aws:num-authorization-failures',
  'aws:num-disconnects',
  'aws:num-connection-attempts',
];

const PERMISSION_CHECKS = [
  'AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK',
  'UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK',
  'IOT_POLICY_OVERLY_PERMISSIVE_CHECK',
  'IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK',
  'IOT_ROLE_ALIAS_ALLOWS_ACCESS_TO_UNUSED_SERVICES_CHECK',
];

const EXFILTRATION_AND_SCANNING = [
  'T1041',
  'T1046',
  'T1048',
  'T1048.001',
  'T1048.002',
  'T1048.003',
  'T1496',
];

const TRAFFIC_REASON =
  "Device-side traffic, peer and listening-port values outside a device's normal range show it scanning its network, sending data out or spending its resources for someone else.";
const C2_REASON =
  "Traffic and MQTT message values outside the norm can show command and control, but only for the device's own traffic and none of the sub-techniques.";
const CLOUD_DATA_REASON =
  'Unusual MQTT message counts, sizes and source IPs can show a device pulling data out of the cloud side over its own connection.';

/** The published rows, one entry per capability their comments name. */
export const PUBLISHED_ENTRIES: readonly CatalogEntry[] = entriesFor('published', [
  {
    kind: 'metric',
    capabilityIds: [...DEVICE_TRAFFIC, ...DEVICE_PORTS_AND_PEERS],
    techniqueIds: EXFILTRATION_AND_SCANNING,
    category: 'detect',
    value: 'partial',
    reason: TRAFFIC_REASON,
  },
  {
    kind: 'metric',
    capabilityIds: [...DEVICE_TRAFFIC, ...DEVICE_PORTS_AND_PEERS, ...CLOUD_MESSAGING],
    techniqueIds: ['T1071', 'T1095'],
    category: 'detect',
    value: 'minimal',
    reason: C2_REASON,
  },
  {
    kind: 'metric',
    capabilityIds: [...DEVICE_TRAFFIC, ...CLOUD_MESSAGING],
    techniqueIds: ['T1530'],
    category: 'detect',
    value: 'partial',
    reason: CLOUD_DATA_REASON,
  },
  {
    kind: 'audit-check',
    capabilityIds: CLONED_IDENTITY_CHECKS,
    techniqueIds: ['T1078.004'],
    category: 'detect',
    value: 'partial',
    reason:
      'Shared, duplicated or revoked certificates and client IDs in use suggest clones of a compromised device using its access.',
  },
  {
    kind: 'metric',
    capabilityIds: SESSION_METRICS,
    techniqueIds: ['T1078.004'],
    category: 'detect',
    value: 'partial',
    reason:
      "A new source IP, denied requests or a churn of connects and disconnects suggest someone else using a device's identity.",
  },
  {
    kind: 'audit-check',
    capabilityIds: CLONED_IDENTITY_CHECKS,
    techniqueIds: ['T1078'],
    category: 'detect',
    value: 'minimal',
    reason:
      'Covers one sub-technique of Valid Accounts (cloud accounts) and few of its procedures.',
  },
  {
    kind: 'metric',
    capabilityIds: SESSION_METRICS,
    techniqueIds: ['T1078'],
    category: 'detect',
    value: 'minimal',
    reason:
      'Covers one sub-technique of Valid Accounts (cloud accounts) and few of its procedures.',
  },
  {
    kind: 'audit-check',
    capabilityIds: PERMISSION_CHECKS,
    techniqueIds: ['T1078.004'],
    category: 'protect',
    value: 'partial',
    reason:
      'Finding policies, role aliases and Cognito roles that grant more than devices need limits what a compromised identity can reach.',
  },
  {
    kind: 'action',
    capabilityIds: ['REPLACE_DEFAULT_POLICY_VERSION'],
    techniqueIds: ['T1078.004'],
    category: 'protect',
    value: 'partial',
    reason:
      'Replacing an overly permissive policy version with a blank one takes away what a compromised identity could use.',
  },
  {
    kind: 'audit-check',
    capabilityIds: PERMISSION_CHECKS,
    techniqueIds: ['T1078'],
    category: 'protect',
    value: 'minimal',
    reason:
      'Protects one sub-technique of Valid Accounts (cloud accounts) and few of its procedures.',
  },
  {
    kind: 'action',
    capabilityIds: ['REPLACE_DEFAULT_POLICY_VERSION'],
    techniqueIds: ['T1078'],
    category: 'protect',
    value: 'minimal',
    reason:
      'Protects one sub-technique of Valid Accounts (cloud accounts) and few of its procedures.',
  },
  ...(['audit-check', 'action'] as const).flatMap((kind) => {
    const capabilityIds = kind === 'audit-check' ? CERTIFICATE_CHECKS : CERTIFICATE_ACTIONS;
    return [
      {
        kind,
        capabilityIds,
        techniqueIds: ['T1020.001', 'T1040'],
        category: 'protect' as const,
        value: 'partial' as const,
        reason:
          'Sound, unexpired and unshared certificates keep device traffic encrypted, which stops only adversaries who cannot decrypt it.',
      },
      {
        kind,
        capabilityIds,
        techniqueIds: ['T1020', 'T1557'],
        category: 'protect' as const,
        value: 'minimal' as const,
        reason:
          'Sound device and CA certificates keep TLS intact, which covers the technique only in general and none of its sub-techniques specifically.',
      },
    ];
  }),
  {
    kind: 'audit-check',
    capabilityIds: [
      'DEVICE_CERTIFICATE_SHARED_CHECK',
      'REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK',
    ],
    techniqueIds: ['T1552.004'],
    category: 'detect',
    value: 'partial',
    reason:
      'A certificate in use by several devices or after its revocation suggests a private key taken from a device and reused.',
  },
  {
    kind: 'audit-check',
    capabilityIds: [
      'DEVICE_CERTIFICATE_SHARED_CHECK',
      'REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK',
    ],
    techniqueIds: ['T1552'],
    category: 'detect',
    value: 'minimal',
    reason: 'Covers only the private-keys sub-technique of Unsecured Credentials.',
  },
  {
    kind: 'audit-check',
    capabilityIds: ['LOGGING_DISABLED_CHECK'],
    techniqueIds: ['T1562.008'],
    category: 'detect',
    value: 'partial',
    reason: 'Finds IoT logging turned off, though it watches no logs other than IoT logging.',
  },
  {
    kind: 'audit-check',
    capabilityIds: ['LOGGING_DISABLED_CHECK'],
    techniqueIds: ['T1562'],
    category: 'detect',
    value: 'minimal',
    reason: 'Covers only the cloud-logs sub-technique of Impair Defenses.',
  },
  {
    kind: 'action',
    capabilityIds: ['ENABLE_IOT_LOGGING'],
    techniqueIds: ['T1562.008'],
    category: 'respond',
    value: 'partial',
    reason: 'Turns IoT logging back on, which undoes an adversary disabling it but no other log.',
  },
  {
    kind: 'action',
    capabilityIds: ['ENABLE_IOT_LOGGING'],
    techniqueIds: ['T1562'],
    category: 'respond',
    value: 'minimal',
    reason: 'Responds to only the cloud-logs sub-technique of Impair Defenses.',
  },
]);
