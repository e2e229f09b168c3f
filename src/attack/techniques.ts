/**
 * The MITRE ATT&CK techniques that Warden's catalog maps signals to, with names and tactics as
 * ATT&CK v18.1 (Enterprise and ICS, released 2025-11-13) gives them. The table holds only the
 * techniques the catalog uses, so the service needs no ATT&CK bundle at run time.
 */

/** ATT&CK release the names, tactics and ids below were taken from. */
export const ATTACK_VERSION = '18.1';

/** The ATT&CK matrix a technique belongs to. */
export type AttackDomain = 'enterprise' | 'ics';

/** One ATT&CK technique or sub-technique. */
export interface Technique {
  /** `T1234`, or `T1234.001` for a sub-technique. */
  id: string;
  name: string;
  /** Tactic shortnames (the kill-chain phase names), in ATT&CK's order for the technique. */
  tactics: readonly string[];
  domain: AttackDomain;
}

/** Tactic shortnames of each matrix, in matrix order. */
export const TACTICS: Readonly<Record<AttackDomain, readonly string[]>> = {
  enterprise: [
    'reconnaissance',
    'resource-development',
    'initial-access',
    'execution',
    'persistence',
    'privilege-escalation',
    'defense-evasion',
    'credential-access',
    'discovery',
    'lateral-movement',
    'collection',
    'command-and-control',
    'exfiltration',
    'impact',
  ],
  ics: [
    'initial-access',
    'execution',
    'persistence',
    'privilege-escalation',
    'evasion',
    'discovery',
    'lateral-movement',
    'collection',
    'command-and-control',
    'inhibit-response-function',
    'impair-process-control',
    'impact',
  ],
};

type Row = [id: string, name: string, tactics: string[]];

const ENTERPRISE: readonly Row[] = [
  ['T1018', 'Remote System Discovery', ['discovery']],
  ['T1020', 'Automated Exfiltration', ['exfiltration']],
  ['T1020.001', 'Traffic Duplication', ['exfiltration']],
  ['T1040', 'Network Sniffing', ['credential-access', 'discovery']],
  ['T1041', 'Exfiltration Over C2 Channel', ['exfiltration']],
  ['T1046', 'Network Service Discovery', ['discovery']],
  ['T1048', 'Exfiltration Over Alternative Protocol', ['exfiltration']],
  ['T1048.001', 'Exfiltration Over Symmetric Encrypted Non-C2 Protocol', ['exfiltration']],
  ['T1048.002', 'Exfiltration Over Asymmetric Encrypted Non-C2 Protocol', ['exfiltration']],
  ['T1048.003', 'Exfiltration Over Unencrypted Non-C2 Protocol', ['exfiltration']],
  ['T1071', 'Application Layer Protocol', ['command-and-control']],
  [
    'T1078',
    'Valid Accounts',
    ['defense-evasion', 'persistence', 'privilege-escalation', 'initial-access'],
  ],
  [
    'T1078.004',
    'Cloud Accounts',
    ['defense-evasion', 'persistence', 'privilege-escalation', 'initial-access'],
  ],
  ['T1095', 'Non-Application Layer Protocol', ['command-and-control']],
  ['T1098', 'Account Manipulation', ['persistence', 'privilege-escalation']],
  ['T1110', 'Brute Force', ['credential-access']],
  ['T1133', 'External Remote Services', ['persistence', 'initial-access']],
  ['T1496', 'Resource Hijacking', ['impact']],
  ['T1496.002', 'Bandwidth Hijacking', ['impact']],
  ['T1498', 'Network Denial of Service', ['impact']],
  ['T1498.001', 'Direct Network Flood', ['impact']],
  ['T1499', 'Endpoint Denial of Service', ['impact']],
  ['T1499.002', 'Service Exhaustion Flood', ['impact']],
  ['T1530', 'Data from Cloud Storage', ['collection']],
  ['T1552', 'Unsecured Credentials', ['credential-access']],
  ['T1552.004', 'Private Keys', ['credential-access']],
  ['T1557', 'Adversary-in-the-Middle', ['credential-access', 'collection']],
  ['T1562', 'Impair Defenses', ['defense-evasion']],
  ['T1562.001', 'Disable or Modify Tools', ['defense-evasion']],
  ['T1562.008', 'Disable or Modify Cloud Logs', ['defense-evasion']],
  ['T1571', 'Non-Standard Port', ['command-and-control']],
  ['T1649', 'Steal or Forge Authentication Certificates', ['credential-access']],
];

const ICS: readonly Row[] = [
  ['T0804', 'Block Reporting Message', ['inhibit-response-function']],
  ['T0814', 'Denial of Service', ['inhibit-response-function']],
  ['T0816', 'Device Restart/Shutdown', ['inhibit-response-function']],
  ['T0829', 'Loss of View', ['impact']],
  ['T0830', 'Adversary-in-the-Middle', ['collection']],
  ['T0842', 'Network Sniffing', ['discovery']],
  ['T0846', 'Remote System Discovery', ['discovery']],
  ['T0855', 'Unauthorized Command Message', ['impair-process-control']],
  ['T0856', 'Spoof Reporting Message', ['evasion', 'impair-process-control']],
  ['T0859', 'Valid Accounts', ['persistence', 'lateral-movement']],
  ['T0869', 'Standard Application Layer Protocol', ['command-and-control']],
  ['T0881', 'Service Stop', ['inhibit-response-function']],
  ['T0882', 'Theft of Operational Information', ['impact']],
  ['T0891', 'Hardcoded Credentials', ['lateral-movement', 'persistence']],
];

const toTechnique =
  (domain: AttackDomain) =>
  ([id, name, tactics]: Row): Technique => ({ id, name, tactics, domain });

/** Every technique the catalog uses, Enterprise first, each matrix sorted by id. */
export const TECHNIQUES: readonly Technique[] = [
  ...ENTERPRISE.map(toTechnique('enterprise')),
  ...ICS.map(toTechnique('ics')),
];

const BY_ID = new Map(TECHNIQUES.map((entry) => [entry.id, entry]));

/** Looks a technique up by id; undefined for an id outside Warden's table. */
export function technique(id: string): Technique | undefined {
  return BY_ID.get(id);
}

/** Tells a sub-technique id (`T1234.001`) from a technique id. */
export function isSubtechnique(id: string): boolean {
  return /^T\d{4}\.\d{3}$/.test(id);
}

/** Returns the parent technique id of a sub-technique, or undefined for a technique id. */
export function parentTechniqueId(id: string): string | undefined {
  return isSubtechnique(id) ? id.slice(0, 5) : undefined;
}

/**
 * Guesses the matrix of an id outside the table: ICS ids are `T08xx` and `T09xx`, and every
 * other `T` id is treated as Enterprise.
 */
export function domainOf(id: string): AttackDomain {
  return technique(id)?.domain ?? (/^T0\d{3}$/.test(id) ? 'ics' : 'enterprise');
}
