import { z } from 'zod';
import type { ResourceIdentifier } from '../audit-types.ts';

/** Request shapes shared by the audit operations, with the service model's constraints. */

export const checkName = z.string().min(1).max(128);
export const taskId = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-zA-Z0-9-]+$/);
export const epochSeconds = z.number().nonnegative();

export const resourceIdentifier = z.strictObject({
  deviceCertificateId: z
    .string()
    .min(64)
    .max(66)
    .regex(/^(0x)?[a-fA-F0-9]+$/)
    .optional(),
  caCertificateId: z
    .string()
    .min(64)
    .max(66)
    .regex(/^(0x)?[a-fA-F0-9]+$/)
    .optional(),
  cognitoIdentityPoolId: z.string().optional(),
  clientId: z.string().optional(),
  policyVersionIdentifier: z
    .strictObject({
      policyName: z
        .string()
        .min(1)
        .max(128)
        .regex(/^[\w+=,.@-]+$/)
        .optional(),
      policyVersionId: z
        .string()
        .regex(/^[0-9]+$/)
        .optional(),
    })
    .optional(),
  account: z
    .string()
    .regex(/^[0-9]{12}$/)
    .optional(),
  iamRoleArn: z.string().min(20).max(2048).optional(),
  roleAliasArn: z.string().min(1).max(2048).optional(),
  issuerCertificateIdentifier: z
    .strictObject({
      issuerCertificateSubject: z.string().max(1000).optional(),
      issuerId: z.string().max(64).optional(),
      issuerCertificateSerialNumber: z.string().max(20).optional(),
    })
    .optional(),
  deviceCertificateArn: z.string().optional(),
});

export const description = z
  .string()
  .max(1000)
  .regex(/^[^\p{Cc}]*$/u);

/** Drops absent members so the identifier compares and stores as the client sent it. */
export function toIdentifier(parsed: z.infer<typeof resourceIdentifier>): ResourceIdentifier {
  return JSON.parse(JSON.stringify(parsed)) as ResourceIdentifier;
}
