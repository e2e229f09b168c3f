/**
 * The registered CA certificates and the issuing relations among them. A registered CA whose
 * certificate another registered CA signed is an intermediate; following those signatures upward
 * gives the issuing chain of a device certificate. Only registered CAs take part, because the
 * registry stores no other chain certificates.
 */

import type { FleetSnapshot } from '../fleet-snapshot.ts';
import type { CaCertificateRecord, CertificateRecord } from '../../registry/types.ts';
import { isIssuedBy, parseCertificatePem, type ParsedCertificate } from '../../registry/x509.ts';

/** A registered CA certificate with its parsed form. */
export interface RegisteredCa {
  record: CaCertificateRecord;
  certificate: ParsedCertificate;
}

/** The registered CAs of a fleet, with lookups by ID, issuer and chain. */
export class CertificateAuthorities {
  private readonly byId = new Map<string, RegisteredCa>();
  private readonly parents = new Map<string, RegisteredCa[]>();

  /** Parses the fleet's CA certificates; one whose PEM does not parse takes no part. */
  constructor(fleet: Pick<FleetSnapshot, 'caCertificates'>) {
    for (const record of fleet.caCertificates) {
      const certificate = tryParse(record.pem);
      if (certificate !== undefined) this.byId.set(record.certificateId, { record, certificate });
    }
  }

  /** Every registered CA that parsed, in registry order. */
  get all(): RegisteredCa[] {
    return [...this.byId.values()];
  }

  get(caCertificateId: string): RegisteredCa | undefined {
    return this.byId.get(caCertificateId);
  }

  /** Returns the registered CAs, other than the certificate itself, whose signature it carries. */
  issuersOf(certificate: ParsedCertificate): RegisteredCa[] {
    return this.all.filter(
      (ca) =>
        ca.certificate.fingerprint !== certificate.fingerprint &&
        isIssuedBy(certificate, ca.certificate),
    );
  }

  /** Returns the registered CAs that signed a registered CA; empty for a root. */
  parentsOf(ca: RegisteredCa): RegisteredCa[] {
    const id = ca.record.certificateId;
    let parents = this.parents.get(id);
    if (parents === undefined) {
      parents = this.issuersOf(ca.certificate);
      this.parents.set(id, parents);
    }
    return parents;
  }

  /** Returns every CA above `ca` in its issuing chains, nearest first, each once. */
  ancestorsOf(ca: RegisteredCa): RegisteredCa[] {
    const seen = new Set([ca.record.certificateId]);
    const ancestors: RegisteredCa[] = [];
    const queue = [ca];
    for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
      for (const parent of this.parentsOf(current)) {
        if (seen.has(parent.record.certificateId)) continue;
        seen.add(parent.record.certificateId);
        ancestors.push(parent);
        queue.push(parent);
      }
    }
    return ancestors;
  }

  /**
   * Returns the CA that issued a device certificate: the CA the registry records when its
   * signature verifies, else the first registered CA whose signature the certificate carries.
   */
  issuerOfDevice(
    record: CertificateRecord,
    certificate: ParsedCertificate,
  ): RegisteredCa | undefined {
    const recorded =
      record.caCertificateId === undefined ? undefined : this.get(record.caCertificateId);
    if (recorded !== undefined && isIssuedBy(certificate, recorded.certificate)) return recorded;
    return this.issuersOf(certificate)[0];
  }
}

/** Parses a registry PEM, or returns undefined when it is not one valid certificate. */
export function tryParse(pem: string): ParsedCertificate | undefined {
  try {
    return parseCertificatePem(pem);
  } catch {
    return undefined;
  }
}
