/**
 * Turns the certificates found in a folder into registry records. A certificate is a CA when its
 * basic constraints have `cA: TRUE`, and a device certificate otherwise. Statuses and registration
 * times come from the certificate JSON files; a certificate they do not list is ACTIVE and counts
 * as registered at its notBefore.
 */

import { randomUUID } from 'node:crypto';
import type {
  CaCertificateRecord,
  CaCertificateStatus,
  CertificateRecord,
  CertificateStatus,
} from '../../registry/types.ts';
import { isIssuedBy, parseCertificatePem, type ParsedCertificate } from '../../registry/x509.ts';
import type { StatusEntry } from './certificate-statuses.ts';
import type { OfflineProblem, SourceLocation } from './offline-inputs.ts';
import type { CertificateSource } from './pem-files.ts';

const DEVICE_STATUSES: readonly CertificateStatus[] = [
  'ACTIVE',
  'INACTIVE',
  'REVOKED',
  'PENDING_TRANSFER',
  'REGISTER_INACTIVE',
  'PENDING_ACTIVATION',
];
const CA_STATUSES: readonly CaCertificateStatus[] = ['ACTIVE', 'INACTIVE'];

/** The certificate records of a folder, with the file each was first found in. */
export interface OfflineCertificates {
  certificates: CertificateRecord[];
  caCertificates: CaCertificateRecord[];
  locations: Map<string, SourceLocation>;
}

/**
 * Builds device and CA certificate records. A certificate found twice (a CA repeated in each
 * device's chain file, say) is kept once, at its first place in path order.
 */
export function buildCertificates(
  sources: readonly CertificateSource[],
  statuses: readonly StatusEntry[],
  problems: OfflineProblem[],
): OfflineCertificates {
  const unique = uniqueCertificates([...sources, ...embeddedSources(statuses, problems)]);
  const entries = statusesById(statuses, problems);
  const cas = unique.filter((source) => source.parsed.isCa);
  const result: OfflineCertificates = {
    certificates: [],
    caCertificates: [],
    locations: new Map(unique.map((source) => [source.parsed.fingerprint, source.location])),
  };

  for (const source of unique) {
    const entry = entries.get(source.parsed.fingerprint);
    if (source.parsed.isCa) result.caCertificates.push(caRecord(source, entry, problems));
    else result.certificates.push(deviceRecord(source, entry, cas, problems));
    entries.delete(source.parsed.fingerprint);
  }
  for (const entry of entries.values()) {
    problems.push({
      ...entry.location,
      message: `Certificate "${entry.certificateId}" at "${entry.path}" has no PEM in the folder, so it is not audited; add its PEM file or the describe-certificate output`,
    });
  }
  return result;
}

/** Certificates that describe-certificate output carries in `certificatePem`. */
function embeddedSources(
  statuses: readonly StatusEntry[],
  problems: OfflineProblem[],
): CertificateSource[] {
  const sources: CertificateSource[] = [];
  for (const entry of statuses) {
    if (entry.pem === undefined) continue;
    try {
      const parsed = parseCertificatePem(entry.pem, `certificatePem at "${entry.path}"`);
      if (parsed.fingerprint !== entry.certificateId) {
        problems.push({
          ...entry.location,
          message: `The certificatePem at "${entry.path}" has id "${parsed.fingerprint}", not the certificateId "${entry.certificateId}"; it is not audited`,
        });
        continue;
      }
      sources.push({ parsed, location: entry.location });
    } catch (error) {
      problems.push({ ...entry.location, message: (error as Error).message });
    }
  }
  return sources;
}

function uniqueCertificates(sources: readonly CertificateSource[]): CertificateSource[] {
  const seen = new Map<string, CertificateSource>();
  for (const source of sources) {
    if (!seen.has(source.parsed.fingerprint)) seen.set(source.parsed.fingerprint, source);
  }
  return [...seen.values()];
}

/** Entries by certificate id; a second entry for an id is reported and ignored. */
function statusesById(
  statuses: readonly StatusEntry[],
  problems: OfflineProblem[],
): Map<string, StatusEntry> {
  const byId = new Map<string, StatusEntry>();
  for (const entry of statuses) {
    const first = byId.get(entry.certificateId);
    if (first === undefined) {
      byId.set(entry.certificateId, entry);
    } else if (first.status !== entry.status) {
      problems.push({
        ...entry.location,
        message: `Certificate "${entry.certificateId}" at "${entry.path}" has status "${entry.status}", but ${first.location.file} gives "${first.status}"; the first is used`,
      });
    }
  }
  return byId;
}

function caRecord(
  source: CertificateSource,
  entry: StatusEntry | undefined,
  problems: OfflineProblem[],
): CaCertificateRecord {
  const { parsed } = source;
  const times = registrationTimes(parsed, entry);
  return {
    certificateId: parsed.fingerprint,
    pem: parsed.pem,
    status: checkedStatus(entry, CA_STATUSES, 'CA certificate', problems),
    autoRegistrationStatus: entry?.autoRegistrationStatus ?? 'DISABLE',
    mode: entry?.mode ?? 'DEFAULT',
    ...times,
    customerVersion: entry?.customerVersion ?? 1,
    generationId: randomUUID(),
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
  };
}

function deviceRecord(
  source: CertificateSource,
  entry: StatusEntry | undefined,
  cas: readonly CertificateSource[],
  problems: OfflineProblem[],
): CertificateRecord {
  const { parsed } = source;
  const caCertificateId =
    entry?.caCertificateId ?? cas.find((ca) => isIssuedBy(parsed, ca.parsed))?.parsed.fingerprint;
  const record: CertificateRecord = {
    certificateId: parsed.fingerprint,
    pem: parsed.pem,
    status: checkedStatus(entry, DEVICE_STATUSES, 'device certificate', problems),
    mode: entry?.mode ?? (caCertificateId === undefined ? 'SNI_ONLY' : 'DEFAULT'),
    ...registrationTimes(parsed, entry),
    customerVersion: entry?.customerVersion ?? 1,
    generationId: randomUUID(),
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
  };
  if (caCertificateId !== undefined) record.caCertificateId = caCertificateId;
  return record;
}

function registrationTimes(parsed: ParsedCertificate, entry: StatusEntry | undefined) {
  const createdAt = entry?.createdAt ?? parsed.notBefore;
  return { createdAt, lastModifiedAt: entry?.lastModifiedAt ?? createdAt };
}

/** Returns the entry's status when it is one of `allowed`, else ACTIVE with a problem. */
function checkedStatus<S extends string>(
  entry: StatusEntry | undefined,
  allowed: readonly S[],
  kind: string,
  problems: OfflineProblem[],
): S {
  if (entry === undefined) return 'ACTIVE' as S;
  if ((allowed as readonly string[]).includes(entry.status)) return entry.status as S;
  problems.push({
    ...entry.location,
    message: `Invalid status "${entry.status}" at "${entry.path}" for ${kind} "${entry.certificateId}": must be one of ${allowed.join(', ')}; the certificate is audited as ACTIVE`,
  });
  return 'ACTIVE' as S;
}
