import type { CrlRecord } from '../../audit/fleet-snapshot.ts';
import { invalidRequest, notFound } from '../../core/errors.ts';
import { requireCaCertificate } from '../certificates.ts';
import type { RegistryState } from '../registry.ts';
import { crlIssueProblem, iso, parseCrlPem } from './crl-pem.ts';

/** A stored CRL with the facts read from it, as `GET …/crl` returns them. Times are epoch ms. */
export interface CrlDescription {
  caCertificateId: string;
  crlPem: string;
  issuer: string;
  thisUpdate: number;
  nextUpdate?: number;
  revokedCertificateCount: number;
  registeredAt: number;
}

/**
 * Registers the CRL of a registered CA certificate, replacing the one it had. The CRL must be
 * complete, issued for the CA's subject and signed by its key. A CRL older than the registered one
 * is rejected, so revocations cannot be rolled back by accident; delete the CRL first to do so.
 * @throws WardenError ResourceNotFoundException when the CA is not registered, and
 * InvalidRequestException naming the problem with the CRL.
 */
export async function putCrl(
  registry: RegistryState,
  caCertificateId: string,
  crlPem: string,
): Promise<CrlRecord> {
  const ca = requireCaCertificate(registry, caCertificateId);
  const id = ca.certificateId;
  const parsed = parseCrlPem(crlPem);
  const problem = await crlIssueProblem(parsed, ca.pem);
  if (problem !== undefined)
    throw invalidRequest(`Invalid CRL for CA certificate "${id}": ${problem}`);

  const current = registry.get('crl', id);
  if (current !== undefined) {
    const registered = parseCrlPem(current.crlPem).thisUpdate;
    if (parsed.thisUpdate < registered) {
      throw invalidRequest(
        `Invalid CRL for CA certificate "${id}": its thisUpdate ${iso(parsed.thisUpdate)} is before that of the registered CRL, ${iso(registered)}; delete the registered CRL first to replace it with an older one`,
      );
    }
  }

  const record: CrlRecord = {
    caCertificateId: id,
    crlPem: parsed.pem,
    registeredAt: registry.clock.now(),
  };
  await registry.commit([{ type: 'put', kind: 'crl', key: id, record }]);
  return record;
}

/** @throws WardenError ResourceNotFoundException when the CA is not registered or has no CRL. */
export function requireCrl(registry: RegistryState, caCertificateId: string): CrlRecord {
  const id = requireCaCertificate(registry, caCertificateId).certificateId;
  const record = registry.get('crl', id);
  if (!record) throw notFound(`CA certificate "${id}" has no CRL`);
  return record;
}

/** Reads the stored CRL again for its dates and revoked-certificate count. */
export function describeCrl(record: CrlRecord): CrlDescription {
  const parsed = parseCrlPem(record.crlPem);
  const description: CrlDescription = {
    caCertificateId: record.caCertificateId,
    crlPem: record.crlPem,
    issuer: parsed.issuer,
    thisUpdate: parsed.thisUpdate,
    revokedCertificateCount: parsed.revokedSerialNumbers.length,
    registeredAt: record.registeredAt,
  };
  if (parsed.nextUpdate !== undefined) description.nextUpdate = parsed.nextUpdate;
  return description;
}

/** @throws WardenError ResourceNotFoundException when the CA is not registered or has no CRL. */
export async function deleteCrl(registry: RegistryState, caCertificateId: string): Promise<void> {
  const record = requireCrl(registry, caCertificateId);
  await registry.commit([{ type: 'delete', kind: 'crl', key: record.caCertificateId }]);
}
