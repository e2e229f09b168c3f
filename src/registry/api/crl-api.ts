import { z } from 'zod';
import type { Route } from '../../api/route.ts';
import { toEpochSeconds } from '../../api/timestamps.ts';
import { fields, parseBody, parseParam } from '../../api/validation.ts';
import { deleteCrl, describeCrl, putCrl, requireCrl, type CrlDescription } from '../iam/crls.ts';
import type { RegistryState } from '../registry.ts';

const PATH = '/warden/ca-certificates/{caCertificateId}/crl';

/**
 * NOTE: Warden's own bound, as large as the API's default request body limit; a CRL listing
 * tens of thousands of certificates can pass it.
 */
const putCrlBody = z.strictObject({
  crlPem: z
    .string()
    .min(1)
    .max(1024 * 1024),
});

/**
 * Warden's routes for the CRL of a registered CA certificate, which the revoked-certificate audit
 * checks read. AWS IoT has no such operations: there the audit reads revocation on its own.
 */
export function crlRoutes(registry: RegistryState): Route[] {
  const caParam = (params: Record<string, string>) =>
    parseParam(fields.certificateId, 'caCertificateId', params['caCertificateId']);
  return [
    {
      operation: 'PutCaCertificateCrl',
      method: 'PUT',
      path: PATH,
      handler: async ({ params, body }) => {
        const id = caParam(params);
        const { crlPem } = parseBody(putCrlBody, body);
        return { body: crlView(describeCrl(await putCrl(registry, id, crlPem))) };
      },
    },
    {
      operation: 'GetCaCertificateCrl',
      method: 'GET',
      path: PATH,
      handler: ({ params }) => ({
        body: crlView(describeCrl(requireCrl(registry, caParam(params)))),
      }),
    },
    {
      operation: 'DeleteCaCertificateCrl',
      method: 'DELETE',
      path: PATH,
      handler: async ({ params }) => {
        await deleteCrl(registry, caParam(params));
      },
    },
  ];
}

/** Converts the description's times to epoch seconds, as the rest of the API writes them. */
function crlView(description: CrlDescription) {
  return {
    caCertificateId: description.caCertificateId,
    crlPem: description.crlPem,
    issuer: description.issuer,
    thisUpdate: toEpochSeconds(description.thisUpdate),
    nextUpdate:
      description.nextUpdate === undefined ? undefined : toEpochSeconds(description.nextUpdate),
    revokedCertificateCount: description.revokedCertificateCount,
    registeredAt: toEpochSeconds(description.registeredAt),
  };
}
