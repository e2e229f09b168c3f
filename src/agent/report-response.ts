/**
 * Decoding of the service's responses on `.../defender/metrics/{json,cbor}/accepted` and
 * `/rejected`, which arrive in the encoding of the report topic they respond to.
 */
import { decode } from 'cbor-x';

/** Encoding of reports and responses, chosen by the last level of the report topic. */
export type ReportFormat = 'json' | 'cbor';

/** One response from the service. `reportId` is absent if the service could not read the report. */
export type ReportResponse =
  | { status: 'ACCEPTED'; reportId?: number }
  | { status: 'REJECTED'; reportId?: number; errorCode: string; errorMessage: string };

/**
 * Decodes a response. The topic decides acceptance, so a body whose `status` disagrees with its
 * topic is reported as malformed instead of being trusted either way.
 *
 * @throws {Error} when the payload cannot be decoded or lacks the fields of its kind
 */
export function decodeResponse(
  payload: Uint8Array,
  format: ReportFormat,
  kind: 'accepted' | 'rejected',
): ReportResponse {
  const body = decodePayload(payload, format);
  const expected = kind === 'accepted' ? 'ACCEPTED' : 'REJECTED';

  if (body.status !== undefined && body.status !== expected) {
    throw new Error(`Invalid response on the ${kind} topic: status is "${String(body.status)}"`);
  }

  const reportId = toReportId(body.reportId);
  const id = reportId === undefined ? {} : { reportId };
  if (kind === 'accepted') return { status: 'ACCEPTED', ...id };

  const details = isRecord(body.statusDetails) ? body.statusDetails : {};
  return {
    status: 'REJECTED',
    ...id,
    errorCode: typeof details.ErrorCode === 'string' ? details.ErrorCode : 'unknown',
    errorMessage: typeof details.ErrorMessage === 'string' ? details.ErrorMessage : '',
  };
}

function decodePayload(payload: Uint8Array, format: ReportFormat): Record<string, unknown> {
  let body: unknown;
  try {
    body = format === 'cbor' ? decode(payload) : JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch (error) {
    throw new Error(`Cannot decode ${format} response: ${(error as Error).message}`, {
      cause: error,
    });
  }

  if (!isRecord(body)) throw new Error(`Invalid ${format} response: expected an object`);
  return body;
}

/** Accepts an integer id as a number or, from CBOR 64-bit integers, a bigint. */
function toReportId(value: unknown): number | undefined {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Formats a response as the one line the agent prints for it. */
export function describeResponse(response: ReportResponse): string {
  const report =
    response.reportId === undefined ? 'Report with unknown id' : `Report ${response.reportId}`;
  if (response.status === 'ACCEPTED') return `${report} accepted`;

  const message = response.errorMessage === '' ? '' : `: ${response.errorMessage}`;
  return `${report} rejected with ${response.errorCode}${message}`;
}
