/**
 * The responses Device Defender publishes on `…/defender/metrics/{format}/accepted` and
 * `…/rejected`, in the shapes AWS sends. Agents read `reportId` to match a response to a report.
 */
import { Encoder } from 'cbor-x';
import type { ReportFormat } from './topic.ts';

/**
 * Error codes of a rejected report. AWS documents only `InvalidPayload`, and the others are
 * Warden's names. `Throttled` and `DuplicateReportId` are raised by the intake, which stores the
 * previous reports of each thing. `InternalError` means Warden could not store a valid report,
 * which the device may send again.
 */
export type ReportErrorCode =
  | 'InvalidPayload'
  | 'PayloadTooLarge'
  | 'InvalidThingName'
  | 'Throttled'
  | 'DuplicateReportId'
  | 'InternalError';

/** Response to an accepted report, with `timestamp` in epoch milliseconds. */
export interface AcceptedAnswer {
  thingName: string;
  reportId: number;
  status: 'ACCEPTED';
  timestamp: number;
}

/** Response to a rejected report, without `reportId` when the report's id could not be read. */
export interface RejectedAnswer {
  thingName: string;
  reportId?: number;
  status: 'REJECTED';
  statusDetails: { ErrorCode: ReportErrorCode; ErrorMessage: string };
  timestamp: number;
}

/** Either response. */
export type ReportAnswer = AcceptedAnswer | RejectedAnswer;

/** Builds the response to an accepted report. */
export function buildAcceptedAnswer(input: {
  thingName: string;
  reportId: number;
  timestamp: number;
}): AcceptedAnswer {
  return {
    thingName: input.thingName,
    reportId: input.reportId,
    status: 'ACCEPTED',
    timestamp: input.timestamp,
  };
}

/** Builds the response to a rejected report, with the keys in the order AWS sends them. */
export function buildRejectedAnswer(input: {
  thingName: string;
  reportId?: number | undefined;
  code: ReportErrorCode;
  message: string;
  timestamp: number;
}): RejectedAnswer {
  const statusDetails = { ErrorCode: input.code, ErrorMessage: input.message };
  if (input.reportId === undefined) {
    return {
      thingName: input.thingName,
      status: 'REJECTED',
      statusDetails,
      timestamp: input.timestamp,
    };
  }
  return {
    thingName: input.thingName,
    reportId: input.reportId,
    status: 'REJECTED',
    statusDetails,
    timestamp: input.timestamp,
  };
}

// Plain CBOR maps with minimal length headers, readable by any CBOR decoder.
const cborEncoder = new Encoder({ useRecords: false, variableMapSize: true });

/**
 * Encodes a response as JSON or CBOR, matching the format of the report's topic. In CBOR the
 * integers `reportId` and `timestamp` are written as CBOR unsigned integers: cbor-x would write a
 * number above 2^32 as a float, which a decoder that expects an integer may reject.
 */
export function encodeAnswer(answer: ReportAnswer, format: ReportFormat): Buffer {
  if (format === 'json') return Buffer.from(JSON.stringify(answer), 'utf8');

  const wire: Record<string, unknown> = { ...answer, timestamp: asCborInteger(answer.timestamp) };
  if (answer.reportId !== undefined) wire['reportId'] = asCborInteger(answer.reportId);
  return cborEncoder.encode(wire);
}

function asCborInteger(value: number): number | bigint {
  return Number.isSafeInteger(value) && value > 0xffff_ffff ? BigInt(value) : value;
}
