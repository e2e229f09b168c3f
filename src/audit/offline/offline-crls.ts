/**
 * Matches the CRLs of an offline folder with the CA certificates that issued them: a CRL belongs
 * to the CA whose subject is its issuer and whose key verifies its signature (RFC 5280, section
 * 6.3.3). A CRL no CA in the folder issued is skipped, because the revocation checks could not
 * trust it.
 */

import type { CrlRecord } from '../fleet-snapshot.ts';
import type { CaCertificateRecord } from '../../registry/types.ts';
import { crlIssueProblem, parseCrlPem } from '../../registry/iam/crl-pem.ts';
import type { OfflineProblem, SourceLocation } from './offline-inputs.ts';
import type { CrlSource } from './pem-files.ts';

/** The CRL records of a folder, with where each was read. */
export interface OfflineCrls {
  crls: CrlRecord[];
  locations: Map<CrlRecord, SourceLocation>;
}

/** Assigns each CRL to the CA that issued it, with `now` as the registration time. */
export async function assignCrls(
  sources: readonly CrlSource[],
  cas: readonly CaCertificateRecord[],
  problems: OfflineProblem[],
  now: number,
): Promise<OfflineCrls> {
  const result: OfflineCrls = { crls: [], locations: new Map() };
  for (const source of sources) {
    const outcome = await issuingCa(source, cas);
    if (typeof outcome === 'string') {
      problems.push({ ...source.location, message: outcome });
      continue;
    }
    const record = {
      caCertificateId: outcome.certificateId,
      crlPem: source.pem,
      registeredAt: now,
    };
    result.crls.push(record);
    result.locations.set(record, source.location);
  }
  return result;
}

/** Finds the CA that issued the CRL, or returns the reason none did. */
async function issuingCa(
  source: CrlSource,
  cas: readonly CaCertificateRecord[],
): Promise<CaCertificateRecord | string> {
  let parsed;
  try {
    parsed = parseCrlPem(source.pem);
  } catch (error) {
    return (error as Error).message;
  }
  const reasons: string[] = [];
  for (const ca of cas) {
    const problem = await crlIssueProblem(parsed, ca.pem);
    if (problem === undefined) return ca;
    if (!problem.startsWith('its issuer')) reasons.push(`CA "${ca.certificateId}": ${problem}`);
  }
  const detail = reasons.length === 0 ? '' : `; ${reasons.join('; ')}`;
  return `No CA certificate in the folder issued this CRL (issuer "${parsed.issuer}")${detail}`;
}
