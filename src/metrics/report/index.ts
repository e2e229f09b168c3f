/**
 * Device Defender metrics reports: topic and thing name rules, decoding, validation, agent
 * quirks, conversion to datapoints and the accepted/rejected responses. Pure functions, no I/O.
 */
export {
  buildAcceptedAnswer,
  buildRejectedAnswer,
  encodeAnswer,
  type AcceptedAnswer,
  type RejectedAnswer,
  type ReportAnswer,
  type ReportErrorCode,
} from './answers.ts';
export { parseRemoteAddress, isIpAddress } from './address.ts';
export {
  decodeReport,
  DEFAULT_MAX_REPORT_BYTES,
  type DecodeOptions,
  type DecodeResult,
} from './decode.ts';
export { LONG_KEYS, SHORT_KEYS, type KeyNames, type KeyStyle } from './keys.ts';
export { normalizeReport } from './normalize.ts';
export { parseReport, type ParseReportOptions, type ParseReportResult } from './parse-report.ts';
export type { ProblemCode, ReportProblem } from './problem.ts';
export { applyAgentQuirks, moveUdpListenersOutOfTcpList } from './quirks.ts';
export {
  MAX_THING_NAME_BYTES,
  parseThingNamePathSegment,
  validateThingName,
  type ThingNameSegmentResult,
} from './thing-name.ts';
export {
  buildAnswerTopic,
  parseReportTopic,
  type ReportFormat,
  type ReportTopic,
} from './topic.ts';
export type {
  CustomMetric,
  EstablishedConnections,
  ListeningPorts,
  NetworkStats,
  NormalizedReport,
  ValidReport,
} from './types.ts';
export {
  DEFAULT_MAX_CUSTOM_METRICS,
  DEFAULT_MAX_LIST_LENGTH,
  validateReport,
  type ValidateOptions,
  type ValidateResult,
} from './validate.ts';
