import { isUtf8 } from 'node:buffer';
import { Decoder } from 'cbor-x';
import type { ReportProblem } from './problem.ts';
import type { ReportFormat } from './topic.ts';

/**
 * Largest report accepted by default, in bytes: AWS IoT Core's 128 KiB publish limit, which bounds
 * every report sent to AWS.
 */
export const DEFAULT_MAX_REPORT_BYTES = 131_072;

/** Options of `decodeReport`. */
export interface DecodeOptions {
  /** Largest payload accepted, in bytes; larger ones fail with `PayloadTooLarge`. */
  maxBytes?: number;
}

/** A decoded document, not yet validated, or the problem that stopped decoding. */
export type DecodeResult = { ok: true; document: unknown } | { ok: false; problem: ReportProblem };

// Plain CBOR maps become plain objects. The record extension of cbor-x is off because no known
// agent sends it. Integers encoded in 8 bytes stay `bigint`, so the validator can reject unsafe
// counters instead of reading them rounded. cbor-x renames a `__proto__` key, so decoding cannot change
// an object's prototype.
const cborDecoder = new Decoder({ useRecords: false, mapsAsObjects: true });

/**
 * Decodes a report payload as JSON (UTF-8) or CBOR (definite or indefinite-length maps and
 * arrays). The document's shape is checked by `validateReport`.
 *
 * NOTE: cbor-x 1.6 rejects indefinite-length text and byte strings. No known agent sends them.
 */
export function decodeReport(
  payload: Uint8Array,
  format: ReportFormat,
  options: DecodeOptions = {},
): DecodeResult {
  const maxBytes = readMaxBytes(options.maxBytes);
  if (payload.length > maxBytes) {
    const message = `Metrics report too large: ${payload.length} bytes, the maximum is ${maxBytes} bytes`;
    return { ok: false, problem: { code: 'PayloadTooLarge', path: '', message } };
  }

  try {
    const document = format === 'json' ? parseJson(payload) : cborDecoder.decode(payload);
    return { ok: true, document };
  } catch (error) {
    return { ok: false, problem: malformed(describeDecodeError(error, format)) };
  }
}

function parseJson(payload: Uint8Array): unknown {
  // RFC 8259 requires UTF-8. Buffer#toString would silently replace bad bytes with U+FFFD.
  if (!isUtf8(payload)) throw new SyntaxError('payload is not valid UTF-8');

  const buffer = Buffer.isBuffer(payload)
    ? payload
    : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  return JSON.parse(buffer.toString('utf8'));
}

function describeDecodeError(error: unknown, format: ReportFormat): string {
  if (!(error instanceof Error)) return String(error);

  // Deeply nested input overflows the parser's stack. cbor-x reports a truncated payload in
  // several wordings, depending on where it stops and on its native string reader, or as a
  // DataView range error. One message keeps the rejection stable.
  if (error instanceof RangeError && error.message.includes('call stack')) {
    return 'nesting is too deep';
  }
  if (
    format === 'cbor' &&
    (error instanceof RangeError || error.message.startsWith('Unexpected end'))
  ) {
    return 'Unexpected end of CBOR data';
  }
  return error.message;
}

function malformed(reason: string): ReportProblem {
  return { code: 'InvalidPayload', path: '', message: `Malformed metrics report: ${reason}` };
}

function readMaxBytes(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_REPORT_BYTES;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`Invalid option "maxBytes" ${String(value)}: must be a positive integer`);
  }
  return value;
}
