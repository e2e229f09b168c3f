/**
 * Evidence that the three revocation checks read: the registered CAs with their issuing relations, and the
 * verified CRLs of those CAs. Each check also reports every registered CRL it had to ignore (bad
 * signature, another issuer, unreadable, unknown CA), because an ignored CRL hides revocations.
 * Such a finding names the CA the CRL was registered for and carries a Warden reason code
 * (`CRL_SIGNATURE_INVALID`, `CRL_ISSUER_MISMATCH`, `CRL_UNREADABLE`, `CRL_CA_NOT_REGISTERED`).
 */

import type { AuditResource, NonCompliance } from '../audit-types.ts';
import type { FleetSnapshot } from '../fleet-snapshot.ts';
import { CertificateAuthorities, type RegisteredCa } from '../analysis/certificate-authorities.ts';
import {
  describeRevocation,
  findRevocation,
  readRevocationLists,
  type CrlProblem,
  type Revocation,
  type RevocationLists,
} from '../analysis/certificate-revocation-lists.ts';
import { caCertificateResource } from './certificate-scope.ts';

/** The registered CAs and their verified CRLs. */
export interface RevocationEvidence {
  authorities: CertificateAuthorities;
  lists: RevocationLists;
}

/** Parses the fleet's CAs and reads every registered CRL against them. */
export async function readRevocationEvidence(fleet: FleetSnapshot): Promise<RevocationEvidence> {
  const authorities = new CertificateAuthorities(fleet);
  return { authorities, lists: await readRevocationLists(fleet, authorities) };
}

/** Turns each ignored CRL into a finding on the CA it was registered for. */
export function crlProblemFindings(problems: readonly CrlProblem[]): NonCompliance[] {
  return problems.map((problem) => ({
    resource: caCertificateResource(problem.caCertificateId),
    relatedResources: [],
    reasonForNonCompliance: `${problem.message}.`,
    reasonForNonComplianceCode: problem.code,
  }));
}

/** Builds the `additionalInfo` of a revoked certificate: when it was revoked, and the CRL's staleness. */
export function revocationInfo(revocation: Revocation): Record<string, string> {
  const info: Record<string, string> = { REVOCATION_TIME: String(revocation.revokedAt) };
  if (revocation.stale && revocation.list.nextUpdate !== undefined) {
    info['CRL_NEXT_UPDATE'] = String(revocation.list.nextUpdate);
  }
  return info;
}

/** Builds the reason text of a revoked certificate, naming its serial number and the CRL. */
export function revokedReason(
  serialNumber: string,
  revocation: Revocation,
  subject: string,
): string {
  return `${subject} is revoked by its issuer but still active: serial number ${serialNumber}, ${describeRevocation(revocation)}.`;
}

/** Names the CA whose CRL revoked a certificate, as a related resource. */
export function revokingCaResource(revocation: Revocation): AuditResource {
  return caCertificateResource(revocation.list.caCertificateId);
}

/** Finds the first of `issuers` whose CRL lists the serial number. */
export function revocationByAny(
  evidence: RevocationEvidence,
  issuers: readonly RegisteredCa[],
  serialNumber: string,
  now: number,
): Revocation | undefined {
  for (const issuer of issuers) {
    const id = issuer.record.certificateId;
    const revocation = findRevocation(evidence.lists, id, serialNumber, now);
    if (revocation !== undefined) return revocation;
  }
  return undefined;
}
