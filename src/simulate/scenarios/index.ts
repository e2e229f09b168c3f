/** Every scenario `warden simulate` can run, in the order `--list` prints them. */

import type { Scenario } from '../scenario.ts';
import { agentSilenced } from './agent-silenced.ts';
import { authorizationFailures } from './authorization-failures.ts';
import { backdoorPort } from './backdoor-port.ts';
import { broadPolicy } from './broad-policy.ts';
import { bulkCloudRead } from './bulk-cloud-read.ts';
import { commandAndControl } from './c2-unexpected-addresses.ts';
import { clonedCertificate } from './cloned-certificate.ts';
import { conflictingClientId } from './conflicting-client-id.ts';
import { expiringCertificate } from './expiring-certificate.ts';
import { exfiltrationOverC2 } from './exfiltration-c2.ts';
import { exfiltrationOverOtherProtocol } from './exfiltration-other-protocol.ts';
import { loggingDisabled } from './logging-disabled.ts';
import { resourceHijacking } from './resource-hijacking.ts';
import { serviceScan } from './service-scan.ts';
import { weakKeyCertificate } from './weak-key-certificate.ts';

export const SCENARIOS: readonly Scenario[] = [
  exfiltrationOverC2,
  exfiltrationOverOtherProtocol,
  serviceScan,
  backdoorPort,
  commandAndControl,
  resourceHijacking,
  bulkCloudRead,
  clonedCertificate,
  conflictingClientId,
  authorizationFailures,
  loggingDisabled,
  weakKeyCertificate,
  expiringCertificate,
  broadPolicy,
  agentSilenced,
];

/** Finds the scenario of that name; undefined when there is none. */
export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((scenario) => scenario.name === name);
}
