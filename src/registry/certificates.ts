import { randomUUID } from 'node:crypto';
import { alreadyExists, invalidRequest, notFound, WardenError } from '../core/errors.ts';
import type { RegistryState } from './registry.ts';
import type { CaCertificateRecord, CertificateRecord, CertificateStatus } from './types.ts';
import { isIssuedBy, parseCertificatePem, type ParsedCertificate } from './x509.ts';

const REGISTRABLE: CertificateStatus[] = [
  'ACTIVE',
  'INACTIVE',
  'REVOKED',
  'REGISTER_INACTIVE',
  'PENDING_ACTIVATION',
];
const SETTABLE: CertificateStatus[] = ['ACTIVE', 'INACTIVE', 'REVOKED', 'REGISTER_INACTIVE'];

export interface RegisterCertificateInput {
  certificatePem: string;
  caCertificatePem?: string | undefined;
  status?: CertificateStatus | undefined;
  withoutCa: boolean;
}

/**
 * Registers a device certificate. With a CA, the certificate must chain to a registered CA
 * certificate (the one given, or any registered one that issued it); without, any valid
 * certificate is accepted and marked SNI_ONLY, as RegisterCertificateWithoutCA does.
 */
export async function registerCertificate(
  registry: RegistryState,
  input: RegisterCertificateInput,
): Promise<CertificateRecord> {
  const parsed = parseCertificatePem(input.certificatePem);
  checkValidity(parsed, registry.clock.now(), 'certificate');
  // A CA's key must not connect as a device; register CAs with RegisterCACertificate.
  if (parsed.isCa) {
    throw new WardenError(
      'CertificateValidationException',
      `Cannot register certificate "${parsed.fingerprint}": its basic constraints mark it as a CA; register it with RegisterCACertificate`,
    );
  }
  const status = input.status ?? 'INACTIVE';
  if (!REGISTRABLE.includes(status))
    throw new WardenError(
      'CertificateStateException',
      `Cannot register a certificate with status "${status}"`,
    );
  if (registry.get('certificate', parsed.fingerprint)) {
    throw alreadyExists(
      `Certificate "${parsed.fingerprint}" is already registered`,
      parsed.fingerprint,
      registry.arns.certificate(parsed.fingerprint),
    );
  }

  const ca = input.withoutCa ? undefined : findIssuingCa(registry, parsed, input.caCertificatePem);
  const now = registry.clock.now();
  const record: CertificateRecord = {
    certificateId: parsed.fingerprint,
    pem: parsed.pem,
    status,
    mode: input.withoutCa ? 'SNI_ONLY' : 'DEFAULT',
    createdAt: now,
    lastModifiedAt: now,
    customerVersion: 1,
    generationId: randomUUID(),
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
  };
  if (ca) record.caCertificateId = ca.certificateId;
  await registry.commit([{ type: 'put', kind: 'certificate', key: record.certificateId, record }]);
  return record;
}

function findIssuingCa(
  registry: RegistryState,
  certificate: ParsedCertificate,
  caPem: string | undefined,
): CaCertificateRecord {
  const id = certificate.fingerprint;
  if (caPem !== undefined) {
    const caParsed = parseCertificatePem(caPem, 'CA certificate');
    const ca = registry.get('caCertificate', caParsed.fingerprint);
    if (!ca)
      throw new WardenError(
        'CertificateValidationException',
        `Cannot register certificate "${id}": CA certificate "${caParsed.fingerprint}" is not registered`,
      );
    if (!isIssuedBy(certificate, caParsed))
      throw new WardenError(
        'CertificateValidationException',
        `Cannot register certificate "${id}": it is not signed by CA certificate "${ca.certificateId}"`,
      );
    return ca;
  }
  for (const ca of registry.all('caCertificate')) {
    if (isIssuedBy(certificate, parseCertificatePem(ca.pem))) return ca;
  }
  throw new WardenError(
    'CertificateValidationException',
    `Cannot register certificate "${id}": it is not signed by a registered CA certificate; register its CA first or use RegisterCertificateWithoutCA`,
  );
}

function checkValidity(parsed: ParsedCertificate, now: number, label: string): void {
  if (Number.isNaN(parsed.notAfter) || parsed.notAfter <= now) {
    throw new WardenError(
      'CertificateValidationException',
      `Cannot register ${label} "${parsed.fingerprint}": it expired on ${new Date(parsed.notAfter).toISOString()}`,
    );
  }
  if (parsed.notBefore > now) {
    throw new WardenError(
      'CertificateValidationException',
      `Cannot register ${label} "${parsed.fingerprint}": it is not valid before ${new Date(parsed.notBefore).toISOString()}`,
    );
  }
}

export interface RegisterCaInput {
  caCertificate: string;
  verificationCertificate?: string | undefined;
  setAsActive: boolean;
  allowAutoRegistration: boolean;
  certificateMode?: 'DEFAULT' | 'SNI_ONLY' | undefined;
}

/**
 * Registers a CA certificate. Warden issues no registration codes, so a verification certificate
 * is optional; when given it must be signed by the CA, which proves possession of its key.
 */
export async function registerCaCertificate(
  registry: RegistryState,
  input: RegisterCaInput,
): Promise<CaCertificateRecord> {
  const parsed = parseCertificatePem(input.caCertificate, 'CA certificate');
  checkValidity(parsed, registry.clock.now(), 'CA certificate');
  if (!parsed.isCa) {
    throw new WardenError(
      'CertificateValidationException',
      `Cannot register CA certificate "${parsed.fingerprint}": its basic constraints do not mark it as a CA`,
    );
  }
  if (input.verificationCertificate !== undefined) {
    const verification = parseCertificatePem(
      input.verificationCertificate,
      'verification certificate',
    );
    if (!isIssuedBy(verification, parsed)) {
      throw new WardenError(
        'CertificateValidationException',
        `Cannot register CA certificate "${parsed.fingerprint}": the verification certificate is not signed by it`,
      );
    }
  }
  if (registry.get('caCertificate', parsed.fingerprint)) {
    throw alreadyExists(
      `CA certificate "${parsed.fingerprint}" is already registered`,
      parsed.fingerprint,
      registry.arns.caCertificate(parsed.fingerprint),
    );
  }

  const now = registry.clock.now();
  const record: CaCertificateRecord = {
    certificateId: parsed.fingerprint,
    pem: parsed.pem,
    status: input.setAsActive ? 'ACTIVE' : 'INACTIVE',
    autoRegistrationStatus: input.allowAutoRegistration ? 'ENABLE' : 'DISABLE',
    mode: input.certificateMode ?? 'DEFAULT',
    createdAt: now,
    lastModifiedAt: now,
    customerVersion: 1,
    generationId: randomUUID(),
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
  };
  await registry.commit([
    { type: 'put', kind: 'caCertificate', key: record.certificateId, record },
  ]);
  return record;
}

export function requireCertificate(registry: RegistryState, id: string): CertificateRecord {
  const record = registry.get('certificate', normalizeId(id));
  if (!record) throw notFound(`Certificate "${id}" does not exist`);
  return record;
}

export function requireCaCertificate(registry: RegistryState, id: string): CaCertificateRecord {
  const record = registry.get('caCertificate', normalizeId(id));
  if (!record) throw notFound(`CA certificate "${id}" does not exist`);
  return record;
}

/** Changes a certificate's status; a revoked certificate cannot be made active again. */
export async function updateCertificateStatus(
  registry: RegistryState,
  id: string,
  status: CertificateStatus,
): Promise<CertificateRecord> {
  const record = requireCertificate(registry, id);
  if (!SETTABLE.includes(status))
    throw new WardenError(
      'CertificateStateException',
      `Cannot set certificate "${record.certificateId}" to status "${status}"`,
    );
  if (record.status === 'REVOKED' && status === 'ACTIVE') {
    throw new WardenError(
      'CertificateStateException',
      `Cannot activate certificate "${record.certificateId}": it is revoked`,
    );
  }
  const updated = touch(registry, record, { status });
  await registry.commit([
    { type: 'put', kind: 'certificate', key: updated.certificateId, record: updated },
  ]);
  registry.emit('certificate-changed', updated.certificateId);
  return updated;
}

export interface CaUpdate {
  newStatus?: 'ACTIVE' | 'INACTIVE' | undefined;
  newAutoRegistrationStatus?: 'ENABLE' | 'DISABLE' | undefined;
}

export async function updateCaCertificate(
  registry: RegistryState,
  id: string,
  update: CaUpdate,
): Promise<CaCertificateRecord> {
  const record = requireCaCertificate(registry, id);
  const changes: Partial<CaCertificateRecord> = {};
  if (update.newStatus !== undefined) changes.status = update.newStatus;
  if (update.newAutoRegistrationStatus !== undefined)
    changes.autoRegistrationStatus = update.newAutoRegistrationStatus;
  const updated = touch(registry, record, changes);
  await registry.commit([
    { type: 'put', kind: 'caCertificate', key: updated.certificateId, record: updated },
  ]);
  registry.emit('ca-certificate-changed', updated.certificateId);
  return updated;
}

/** Deletes an inactive or revoked certificate; with `force`, attached policies are detached first. */
export async function deleteCertificate(
  registry: RegistryState,
  id: string,
  force: boolean,
): Promise<void> {
  const record = requireCertificate(registry, id);
  if (record.status === 'ACTIVE') {
    throw new WardenError(
      'CertificateStateException',
      `Cannot delete certificate "${record.certificateId}": it is ACTIVE; deactivate it first`,
    );
  }
  const arn = registry.arns.certificate(record.certificateId);
  const things = registry.linkedTo('thing-principal', arn);
  if (things.length > 0) {
    throw new WardenError(
      'DeleteConflictException',
      `Cannot delete certificate "${record.certificateId}": it is attached to thing(s) ${things.join(', ')}`,
    );
  }
  const policies = registry.linkedTo('policy-target', arn);
  if (policies.length > 0 && !force) {
    throw new WardenError(
      'DeleteConflictException',
      `Cannot delete certificate "${record.certificateId}": policies ${policies.join(', ')} are attached; detach them or pass forceDelete`,
    );
  }
  await registry.commit([
    ...policies.map((policy) => ({
      type: 'unlink' as const,
      link: { kind: 'policy-target' as const, from: policy, to: arn },
    })),
    { type: 'delete', kind: 'certificate', key: record.certificateId },
  ]);
  registry.emit('certificate-changed', record.certificateId);
}

export async function deleteCaCertificate(registry: RegistryState, id: string): Promise<void> {
  const record = requireCaCertificate(registry, id);
  if (record.status === 'ACTIVE') {
    throw new WardenError(
      'CertificateStateException',
      `Cannot delete CA certificate "${record.certificateId}": it is ACTIVE; deactivate it first`,
    );
  }
  // The CA's CRL goes with it, so it cannot come back if the CA is registered again.
  const crl = registry.get('crl', record.certificateId)
    ? [{ type: 'delete' as const, kind: 'crl' as const, key: record.certificateId }]
    : [];
  await registry.commit([
    { type: 'delete', kind: 'caCertificate', key: record.certificateId },
    ...crl,
  ]);
  registry.emit('ca-certificate-changed', record.certificateId);
}

function touch<T extends { lastModifiedAt: number; customerVersion: number; generationId: string }>(
  registry: RegistryState,
  record: T,
  changes: Partial<T>,
): T {
  return {
    ...record,
    ...changes,
    lastModifiedAt: registry.clock.now(),
    customerVersion: record.customerVersion + 1,
    generationId: randomUUID(),
  };
}

/** Certificate ids may be given with a `0x` prefix and in either case; Warden stores lowercase hex. */
export function normalizeId(id: string): string {
  const bare = id.startsWith('0x') ? id.slice(2) : id;
  if (!/^[a-fA-F0-9]{64}$/.test(bare))
    throw invalidRequest(`Invalid certificate id "${id}": expected 64 hexadecimal characters`);
  return bare.toLowerCase();
}
