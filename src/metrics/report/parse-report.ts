import { decodeReport, type DecodeOptions } from './decode.ts';
import { normalizeReport } from './normalize.ts';
import type { ReportProblem } from './problem.ts';
import { applyAgentQuirks } from './quirks.ts';
import type { ReportFormat } from './topic.ts';
import type { NormalizedReport } from './types.ts';
import { validateReport, type ValidateOptions } from './validate.ts';

/** Options of `parseReport`: the decoder's size limit and the validator's caps. */
export type ParseReportOptions = DecodeOptions & Omit<ValidateOptions, 'payloadBytes'>;

/** A report as datapoints, or its first problem and its report id when that was readable. */
export type ParseReportResult =
  { ok: true; report: NormalizedReport } | { ok: false; problem: ReportProblem; reportId?: number };

/**
 * Runs the whole report path on one payload: decode, validate, correct agent quirks, convert to
 * datapoints. The thing name is checked separately, from the topic or the HTTP path.
 */
export function parseReport(
  payload: Uint8Array,
  format: ReportFormat,
  options: ParseReportOptions = {},
): ParseReportResult {
  const decoded = decodeReport(payload, format, options);
  if (!decoded.ok) return decoded;

  const validated = validateReport(decoded.document, {
    ...options,
    payloadBytes: payload.length,
  });
  if (!validated.ok) return validated;

  applyAgentQuirks(validated.report);
  return { ok: true, report: normalizeReport(validated.report) };
}
