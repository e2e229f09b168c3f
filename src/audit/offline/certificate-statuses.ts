/**
 * Reads `certificates.json` and `certificates/*.json`: the statuses and registration details of
 * the folder's certificates, in the shapes the AWS CLI prints. Accepted are the output of
 * `aws iot list-certificates` and `list-ca-certificates` (`{ certificates: [...] }`), of
 * `describe-certificate` and `describe-ca-certificate` (`{ certificateDescription }`, whose
 * `certificatePem` also supplies the certificate), and a JSON array of either kind of entry.
 */

import { z } from 'zod';
import { iamFields } from '../../registry/iam/iam-fields.ts';
import { formatPath, zodProblems } from '../../registry/iam/document-problems.ts';
import type { OfflineProblem, SourceLocation } from './offline-inputs.ts';

const certificateId = z.string().regex(/^[0-9a-fA-F]{64}$/);

const entrySchema = z.looseObject({
  certificateId,
  status: z.string().min(1),
  certificateArn: z.string().optional(),
  caCertificateId: certificateId.optional(),
  creationDate: iamFields.time.optional(),
  lastModifiedDate: iamFields.time.optional(),
  certificateMode: z.enum(['DEFAULT', 'SNI_ONLY']).optional(),
  certificatePem: z.string().optional(),
  autoRegistrationStatus: z.enum(['ENABLE', 'DISABLE']).optional(),
  customerVersion: z.number().int().min(1).optional(),
});

/** One certificate's registration details, as a list or describe output gives them. */
export interface StatusEntry {
  /** Lowercase hex, as Warden and AWS print certificate ids. */
  certificateId: string;
  /** Checked against the certificate's kind (device or CA) once its PEM is known. */
  status: string;
  location: SourceLocation;
  /** Path of the entry inside the file, such as `certificates[3]`, for messages. */
  path: string;
  arn?: string;
  caCertificateId?: string;
  createdAt?: number;
  lastModifiedAt?: number;
  mode?: 'DEFAULT' | 'SNI_ONLY';
  autoRegistrationStatus?: 'ENABLE' | 'DISABLE';
  customerVersion?: number;
  pem?: string;
}

const EXPECTED_SHAPE =
  'Not a certificate list: expected the output of aws iot list-certificates, list-ca-certificates, describe-certificate or describe-ca-certificate, or a JSON array of their entries';

/** Reads the entries of one certificate JSON file, adding a problem for each unusable entry. */
export function readCertificateStatuses(
  file: string,
  document: unknown,
  problems: OfflineProblem[],
): StatusEntry[] {
  const located = locateEntries(document);
  if (located === undefined) {
    problems.push({ file, message: EXPECTED_SHAPE });
    return [];
  }
  const entries: StatusEntry[] = [];
  for (const { value, path } of located) {
    const parsed = entrySchema.safeParse(withoutNulls(value));
    if (!parsed.success) {
      for (const problem of zodProblems(parsed.error.issues, withoutNulls(value), path))
        problems.push({ file, message: problem.message });
      continue;
    }
    entries.push(toEntry(parsed.data, file, formatPath(path)));
  }
  return entries;
}

/** Finds the entries of each accepted shape, with their path inside the document. */
function locateEntries(document: unknown): { value: unknown; path: PropertyKey[] }[] | undefined {
  if (Array.isArray(document)) return document.map((item, index) => unwrap(item, [index]));
  if (!isObject(document)) return undefined;
  if (Array.isArray(document['certificates'])) {
    return document['certificates'].map((value, index) => ({
      value,
      path: ['certificates', index],
    }));
  }
  if (isObject(document['certificateDescription'])) return [unwrap(document, [])];
  return undefined;
}

function unwrap(item: unknown, path: PropertyKey[]): { value: unknown; path: PropertyKey[] } {
  if (isObject(item) && isObject(item['certificateDescription']))
    return { value: item['certificateDescription'], path: [...path, 'certificateDescription'] };
  return { value: item, path };
}

function toEntry(data: z.infer<typeof entrySchema>, file: string, path: string): StatusEntry {
  const entry: StatusEntry = {
    certificateId: data.certificateId.toLowerCase(),
    status: data.status,
    location: { file },
    path,
  };
  if (data.certificateArn !== undefined) entry.arn = data.certificateArn;
  if (data.caCertificateId !== undefined)
    entry.caCertificateId = data.caCertificateId.toLowerCase();
  if (data.creationDate !== undefined) entry.createdAt = data.creationDate;
  if (data.lastModifiedDate !== undefined) entry.lastModifiedAt = data.lastModifiedDate;
  if (data.certificateMode !== undefined) entry.mode = data.certificateMode;
  if (data.autoRegistrationStatus !== undefined)
    entry.autoRegistrationStatus = data.autoRegistrationStatus;
  if (data.customerVersion !== undefined) entry.customerVersion = data.customerVersion;
  if (data.certificatePem !== undefined) entry.pem = data.certificatePem;
  return entry;
}

/** Drops `null` members, which the AWS CLI can print for absent ones. */
function withoutNulls(value: unknown): unknown {
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== null));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
