/**
 * The X.509 CRLs that operators register for their CAs, read and verified for the revocation
 * checks. A CRL counts only when its issuer name is the CA's subject and its signature verifies
 * with the CA's public key (RFC 5280 section 6.3.3, steps (f) and (g)). Every other CRL is
 * ignored and returned as a problem, so the checks can report it.
 *
 * A CRL past its nextUpdate still counts: a revocation does not expire, and the audit reports the
 * CRL as stale next to each revocation it supports. When several valid CRLs are registered for
 * one CA, the one with the latest thisUpdate supersedes the others, as a newer complete CRL does.
 */

import 'reflect-metadata';
import { X509Certificate as PeculiarCertificate, X509Crl } from '@peculiar/x509';

import type { CrlRecord, FleetSnapshot } from '../fleet-snapshot.ts';
import type { CertificateAuthorities, RegisteredCa } from './certificate-authorities.ts';

/** Reason code of a registered CRL that was ignored. */
export type CrlProblemCode =
  'CRL_UNREADABLE' | 'CRL_CA_NOT_REGISTERED' | 'CRL_ISSUER_MISMATCH' | 'CRL_SIGNATURE_INVALID';

/** A registered CRL that the audit could not use. */
export interface CrlProblem {
  code: CrlProblemCode;
  caCertificateId: string;
  registeredAt: number;
  message: string;
}

/** A verified CRL of one CA: the serial numbers it lists, each with its revocation time. */
export interface RevocationList {
  caCertificateId: string;
  thisUpdate: number;
  nextUpdate?: number;
  registeredAt: number;
  /** Normalized serial number to the revocation date, epoch ms. */
  revoked: Map<string, number>;
}

/** One certificate found on a CA's CRL. */
export interface Revocation {
  list: RevocationList;
  revokedAt: number;
  /** True when the CRL is past its nextUpdate at the audit's time. */
  stale: boolean;
}

/** The verified CRLs of a fleet by CA, and the CRLs that were ignored. */
export interface RevocationLists {
  lists: Map<string, RevocationList>;
  problems: CrlProblem[];
}

/** Reads and verifies every CRL of the fleet against the CA it is registered for. */
export async function readRevocationLists(
  fleet: Pick<FleetSnapshot, 'crls'>,
  authorities: CertificateAuthorities,
): Promise<RevocationLists> {
  const result: RevocationLists = { lists: new Map(), problems: [] };
  for (const record of fleet.crls) {
    const outcome = await readCrl(record, authorities.get(record.caCertificateId));
    if ('code' in outcome) {
      result.problems.push(outcome);
      continue;
    }
    const current = result.lists.get(record.caCertificateId);
    if (current === undefined || supersedes(outcome, current)) {
      result.lists.set(record.caCertificateId, outcome);
    }
  }
  return result;
}

/** Looks a serial number up on the CRL of a CA; `now` decides whether that CRL is stale. */
export function findRevocation(
  lists: RevocationLists,
  caCertificateId: string,
  serialNumber: string,
  now: number,
): Revocation | undefined {
  const list = lists.lists.get(caCertificateId);
  const revokedAt = list?.revoked.get(normalizeSerialNumber(serialNumber));
  if (list === undefined || revokedAt === undefined) return undefined;
  return { list, revokedAt, stale: list.nextUpdate !== undefined && list.nextUpdate < now };
}

/** Describes where a revocation comes from, with a warning when the CRL is stale. */
export function describeRevocation(revocation: Revocation): string {
  const { list } = revocation;
  const source = `revoked on ${iso(revocation.revokedAt)} by the CRL of CA "${list.caCertificateId}" issued ${iso(list.thisUpdate)}`;
  if (!revocation.stale || list.nextUpdate === undefined) return source;
  return `${source}, which is past its nextUpdate of ${iso(list.nextUpdate)}`;
}

/** Lowercase hex without separators or leading zeros, so CRL and certificate serials compare. */
export function normalizeSerialNumber(serialNumber: string): string {
  const digits = serialNumber.replace(/:/g, '').toLowerCase().replace(/^0+/, '');
  return digits === '' ? '0' : digits;
}

async function readCrl(
  record: CrlRecord,
  ca: RegisteredCa | undefined,
): Promise<RevocationList | CrlProblem> {
  const id = record.caCertificateId;
  const fail = (code: CrlProblemCode, reason: string): CrlProblem => ({
    code,
    caCertificateId: id,
    registeredAt: record.registeredAt,
    message: `CRL registered for CA "${id}" on ${iso(record.registeredAt)} was ignored: ${reason}`,
  });
  if (ca === undefined)
    return fail('CRL_CA_NOT_REGISTERED', 'no CA certificate with that ID is registered');

  let crl: X509Crl;
  try {
    crl = new X509Crl(record.crlPem);
  } catch (error) {
    const detail = (error as Error).message.replace(/\.$/, '');
    return fail('CRL_UNREADABLE', `it is not a valid X.509 CRL (${detail})`);
  }

  const issuer = new PeculiarCertificate(ca.record.pem);
  if (crl.issuer !== issuer.subject) {
    return fail(
      'CRL_ISSUER_MISMATCH',
      `its issuer "${crl.issuer}" is not the CA's subject "${issuer.subject}"`,
    );
  }
  if (!(await verifies(crl, issuer))) {
    return fail('CRL_SIGNATURE_INVALID', "its signature does not verify with the CA's public key");
  }
  return listOf(record, crl);
}

async function verifies(crl: X509Crl, issuer: PeculiarCertificate): Promise<boolean> {
  try {
    return await crl.verify({ publicKey: issuer });
  } catch {
    return false;
  }
}

function listOf(record: CrlRecord, crl: X509Crl): RevocationList {
  const revoked = new Map<string, number>();
  for (const entry of crl.entries) {
    revoked.set(normalizeSerialNumber(entry.serialNumber), entry.revocationDate.getTime());
  }
  const list: RevocationList = {
    caCertificateId: record.caCertificateId,
    thisUpdate: crl.thisUpdate.getTime(),
    registeredAt: record.registeredAt,
    revoked,
  };
  if (crl.nextUpdate !== undefined) list.nextUpdate = crl.nextUpdate.getTime();
  return list;
}

function supersedes(candidate: RevocationList, current: RevocationList): boolean {
  if (candidate.thisUpdate !== current.thisUpdate) return candidate.thisUpdate > current.thisUpdate;
  return candidate.registeredAt > current.registeredAt;
}

function iso(time: number): string {
  return new Date(time).toISOString();
}
