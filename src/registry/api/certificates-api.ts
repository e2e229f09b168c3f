import { z } from 'zod';
import { paginate } from '../../api/pagination.ts';
import { Query } from '../../api/query.ts';
import type { Route } from '../../api/route.ts';
import { toEpochSeconds } from '../../api/timestamps.ts';
import { fields, parseBody, parseParam } from '../../api/validation.ts';
import {
  deleteCaCertificate,
  deleteCertificate,
  registerCaCertificate,
  registerCertificate,
  requireCaCertificate,
  requireCertificate,
  updateCaCertificate,
  updateCertificateStatus,
} from '../certificates.ts';
import type { RegistryState } from '../registry.ts';
import type { CaCertificateRecord, CertificateRecord, CertificateStatus } from '../types.ts';

const STATUSES = [
  'ACTIVE',
  'INACTIVE',
  'REVOKED',
  'PENDING_TRANSFER',
  'REGISTER_INACTIVE',
  'PENDING_ACTIVATION',
] as const;
const pem = z.string().min(1).max(65536);
const registrationConfig = z.strictObject({
  templateBody: z.string().optional(),
  roleArn: z.string().optional(),
  templateName: z.string().optional(),
});

const registerCaBody = z.strictObject({
  caCertificate: pem,
  verificationCertificate: pem.optional(),
  registrationConfig: registrationConfig.optional(),
  tags: fields.tags,
  certificateMode: z.enum(['DEFAULT', 'SNI_ONLY']).optional(),
});
const updateCaBody = z.strictObject({
  registrationConfig: registrationConfig.optional(),
  removeAutoRegistration: z.boolean().optional(),
});
const registerBody = z.strictObject({
  certificatePem: pem,
  caCertificatePem: pem.optional(),
  status: z.enum(STATUSES).optional(),
});
const registerNoCaBody = z.strictObject({
  certificatePem: pem,
  status: z.enum(STATUSES).optional(),
});

/** Routes for device and CA certificates. */
export function certificateRoutes(registry: RegistryState): Route[] {
  return [...caRoutes(registry), ...deviceRoutes(registry)];
}

function caRoutes(registry: RegistryState): Route[] {
  return [
    {
      operation: 'RegisterCACertificate',
      method: 'POST',
      path: '/cacertificate',
      handler: async ({ body, query }) => {
        const input = parseBody(registerCaBody, body);
        const q = new Query(query);
        const record = await registerCaCertificate(registry, {
          caCertificate: input.caCertificate,
          verificationCertificate: input.verificationCertificate,
          setAsActive: q.boolean('setAsActive') ?? false,
          allowAutoRegistration: q.boolean('allowAutoRegistration') ?? false,
          certificateMode: input.certificateMode,
        });
        return {
          body: {
            certificateArn: registry.arns.caCertificate(record.certificateId),
            certificateId: record.certificateId,
          },
        };
      },
    },
    {
      operation: 'UpdateCACertificate',
      method: 'PUT',
      path: '/cacertificate/{caCertificateId}',
      handler: async ({ params, query, body }) => {
        parseBody(updateCaBody, body);
        const q = new Query(query);
        const id = parseParam(fields.certificateId, 'caCertificateId', params['caCertificateId']);
        await updateCaCertificate(registry, id, {
          newStatus: q.oneOf('newStatus', ['ACTIVE', 'INACTIVE'] as const),
          newAutoRegistrationStatus: q.oneOf('newAutoRegistrationStatus', [
            'ENABLE',
            'DISABLE',
          ] as const),
        });
      },
    },
    {
      operation: 'DescribeCACertificate',
      method: 'GET',
      path: '/cacertificate/{caCertificateId}',
      handler: ({ params }) => {
        const record = requireCaCertificate(
          registry,
          parseParam(fields.certificateId, 'caCertificateId', params['caCertificateId']),
        );
        return { body: { certificateDescription: describeCa(registry, record) } };
      },
    },
    {
      operation: 'ListCACertificates',
      method: 'GET',
      path: '/cacertificates',
      handler: ({ query }) => {
        const page = pageByDate(registry.all('caCertificate'), new Query(query));
        const certificates = page.items.map((record) => ({
          certificateArn: registry.arns.caCertificate(record.certificateId),
          certificateId: record.certificateId,
          status: record.status,
          creationDate: toEpochSeconds(record.createdAt),
        }));
        return { body: { certificates, nextMarker: page.nextToken } };
      },
    },
    {
      operation: 'DeleteCACertificate',
      method: 'DELETE',
      path: '/cacertificate/{caCertificateId}',
      handler: async ({ params }) => {
        await deleteCaCertificate(
          registry,
          parseParam(fields.certificateId, 'caCertificateId', params['caCertificateId']),
        );
      },
    },
  ];
}

function deviceRoutes(registry: RegistryState): Route[] {
  const registered = (record: CertificateRecord) => ({
    body: {
      certificateArn: registry.arns.certificate(record.certificateId),
      certificateId: record.certificateId,
    },
  });
  return [
    {
      operation: 'RegisterCertificate',
      method: 'POST',
      path: '/certificate/register',
      handler: async ({ body, query }) => {
        const input = parseBody(registerBody, body);
        const setAsActive = new Query(query).boolean('setAsActive');
        const status: CertificateStatus | undefined =
          input.status ?? (setAsActive ? 'ACTIVE' : undefined);
        return registered(
          await registerCertificate(registry, {
            certificatePem: input.certificatePem,
            caCertificatePem: input.caCertificatePem,
            status,
            withoutCa: false,
          }),
        );
      },
    },
    {
      operation: 'RegisterCertificateWithoutCA',
      method: 'POST',
      path: '/certificate/register-no-ca',
      handler: async ({ body }) => {
        const input = parseBody(registerNoCaBody, body);
        return registered(
          await registerCertificate(registry, {
            certificatePem: input.certificatePem,
            status: input.status,
            withoutCa: true,
          }),
        );
      },
    },
    {
      operation: 'UpdateCertificate',
      method: 'PUT',
      path: '/certificates/{certificateId}',
      handler: async ({ params, query }) => {
        const id = parseParam(fields.certificateId, 'certificateId', params['certificateId']);
        const q = new Query(query);
        q.required('newStatus');
        await updateCertificateStatus(registry, id, q.oneOf('newStatus', STATUSES) ?? 'ACTIVE');
      },
    },
    {
      operation: 'DescribeCertificate',
      method: 'GET',
      path: '/certificates/{certificateId}',
      handler: ({ params }) => {
        const record = requireCertificate(
          registry,
          parseParam(fields.certificateId, 'certificateId', params['certificateId']),
        );
        return { body: { certificateDescription: describeCertificate(registry, record) } };
      },
    },
    {
      operation: 'ListCertificates',
      method: 'GET',
      path: '/certificates',
      handler: ({ query }) => {
        const page = pageByDate(registry.all('certificate'), new Query(query));
        const certificates = page.items.map((record) => ({
          certificateArn: registry.arns.certificate(record.certificateId),
          certificateId: record.certificateId,
          status: record.status,
          certificateMode: record.mode,
          creationDate: toEpochSeconds(record.createdAt),
        }));
        return { body: { certificates, nextMarker: page.nextToken } };
      },
    },
    {
      operation: 'DeleteCertificate',
      method: 'DELETE',
      path: '/certificates/{certificateId}',
      handler: async ({ params, query }) => {
        const id = parseParam(fields.certificateId, 'certificateId', params['certificateId']);
        await deleteCertificate(registry, id, new Query(query).boolean('forceDelete') ?? false);
      },
    },
  ];
}

/** Lists sorted by creation date, newest first unless `isAscendingOrder=true`, then by id. */
function pageByDate<T extends { createdAt: number; certificateId: string }>(
  records: T[],
  q: Query,
) {
  const ascending = q.boolean('isAscendingOrder') ?? false;
  const sorted = records.sort(
    (a, b) =>
      (a.createdAt - b.createdAt || a.certificateId.localeCompare(b.certificateId)) *
      (ascending ? 1 : -1),
  );
  return paginate(sorted, q.string('marker'), q.integer('pageSize', { min: 1, max: 250 }) ?? 50);
}

function describeCertificate(registry: RegistryState, record: CertificateRecord) {
  return {
    certificateArn: registry.arns.certificate(record.certificateId),
    certificateId: record.certificateId,
    caCertificateId: record.caCertificateId,
    status: record.status,
    certificatePem: record.pem,
    ownedBy: registry.arns.accountId,
    creationDate: toEpochSeconds(record.createdAt),
    lastModifiedDate: toEpochSeconds(record.lastModifiedAt),
    customerVersion: record.customerVersion,
    generationId: record.generationId,
    validity: {
      notBefore: toEpochSeconds(record.notBefore),
      notAfter: toEpochSeconds(record.notAfter),
    },
    certificateMode: record.mode,
  };
}

function describeCa(registry: RegistryState, record: CaCertificateRecord) {
  return {
    certificateArn: registry.arns.caCertificate(record.certificateId),
    certificateId: record.certificateId,
    status: record.status,
    certificatePem: record.pem,
    ownedBy: registry.arns.accountId,
    creationDate: toEpochSeconds(record.createdAt),
    autoRegistrationStatus: record.autoRegistrationStatus,
    lastModifiedDate: toEpochSeconds(record.lastModifiedAt),
    customerVersion: record.customerVersion,
    generationId: record.generationId,
    validity: {
      notBefore: toEpochSeconds(record.notBefore),
      notAfter: toEpochSeconds(record.notAfter),
    },
    certificateMode: record.mode,
  };
}
