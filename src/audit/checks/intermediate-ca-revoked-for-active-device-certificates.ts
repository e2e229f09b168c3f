/**
 * INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK: intermediate CAs that their issuer
 * has revoked while active device certificates still chain through them.
 *
 * Issuing chains are built from the registered CA certificates: a registered CA that another
 * registered CA signed is an intermediate, and it is revoked when a verified CRL of that issuer
 * lists its serial number. The finding names the intermediate as `ISSUER_CERTIFICATE` and lists
 * every affected device certificate (`ACTIVE` or `PENDING_TRANSFER`) as a related resource. The
 * intermediate is reported whatever its own registry status, because the devices below it stay
 * active either way.
 *
 * NOTE: `issuerId` is the intermediate's certificate ID (its SHA-256 fingerprint). The service
 * model allows at most 20 characters of `issuerCertificateSerialNumber`, fewer than the 40 hex
 * digits of a 20-octet serial number; Warden writes the whole serial number.
 */

import 'reflect-metadata';
import { X509Certificate as PeculiarCertificate } from '@peculiar/x509';

import type { AuditCheck } from '../audit-check.ts';
import type { AuditResource, NonCompliance } from '../audit-types.ts';
import type { FleetSnapshot } from '../fleet-snapshot.ts';
import {
  tryParse,
  type CertificateAuthorities,
  type RegisteredCa,
} from '../analysis/certificate-authorities.ts';
import { describeRevocation } from '../analysis/certificate-revocation-lists.ts';
import { activeDeviceCertificates, deviceCertificateWithArn } from './certificate-scope.ts';
import { rejectsConfiguration } from './check-configuration.ts';
import {
  crlProblemFindings,
  readRevocationEvidence,
  revocationByAny,
  revocationInfo,
} from './revocation-evidence.ts';

const NAME = 'INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK';

/** Reports revoked intermediate CAs with the active device certificates below them. */
export const intermediateCaRevokedForActiveDeviceCertificatesCheck: AuditCheck = {
  name: NAME,
  severity: 'CRITICAL',
  enabledByDefault: true,
  validateConfiguration: rejectsConfiguration(NAME),
  async run({ fleet, now }) {
    const evidence = await readRevocationEvidence(fleet);
    const { authorities } = evidence;
    const intermediates = authorities.all.filter((ca) => authorities.parentsOf(ca).length > 0);
    const chains = deviceChains(fleet, authorities);
    const nonCompliant: NonCompliance[] = [];
    for (const ca of intermediates) {
      const serialNumber = ca.certificate.serialNumber;
      const parents = authorities.parentsOf(ca);
      const revocation = revocationByAny(evidence, parents, serialNumber, now);
      if (revocation === undefined) continue;
      const devices = [...chains]
        .filter(([, chain]) => chain.has(ca.record.certificateId))
        .map(([certificateId]) => deviceCertificateWithArn(fleet, certificateId));
      if (devices.length === 0) continue;
      nonCompliant.push({
        resource: { ...issuerResource(ca), additionalInfo: revocationInfo(revocation) },
        relatedResources: devices,
        reasonForNonCompliance: `Intermediate CA "${ca.record.certificateId}" is revoked by its issuer while ${devices.length} active device certificates chain through it: serial number ${serialNumber}, ${describeRevocation(revocation)}.`,
        reasonForNonComplianceCode: 'INTERMEDIATE_CA_REVOKED_BY_ISSUER',
      });
    }

    const problems = crlProblemFindings(evidence.lists.problems);
    return {
      totalResourcesCount: intermediates.length + problems.length,
      nonCompliant: [...nonCompliant, ...problems],
    };
  },
};

/** Maps each active device certificate to the IDs of every registered CA in its issuing chains. */
function deviceChains(
  fleet: FleetSnapshot,
  authorities: CertificateAuthorities,
): Map<string, Set<string>> {
  const chains = new Map<string, Set<string>>();
  for (const record of activeDeviceCertificates(fleet)) {
    const certificate = tryParse(record.pem);
    const issuer = certificate && authorities.issuerOfDevice(record, certificate);
    if (issuer === undefined) continue;
    const chain = [issuer, ...authorities.ancestorsOf(issuer)];
    chains.set(record.certificateId, new Set(chain.map((ca) => ca.record.certificateId)));
  }
  return chains;
}

function issuerResource(ca: RegisteredCa): AuditResource {
  return {
    resourceType: 'ISSUER_CERTIFICATE',
    resourceIdentifier: {
      issuerCertificateIdentifier: {
        issuerCertificateSubject: new PeculiarCertificate(ca.record.pem).subject,
        issuerId: ca.record.certificateId,
        issuerCertificateSerialNumber: ca.certificate.serialNumber,
      },
    },
  };
}
