/**
 * Validation of a decoded metrics report against the AWS device-side metrics specification,
 * with Warden's choices where AWS documents no rule: one naming style per report, unknown root keys
 * rejected, unknown keys inside known blocks ignored, lists and custom metrics capped.
 */
import {
  isRecord,
  readInteger,
  readObject,
  rejectMissing,
  rejectMixedKey,
  rejectRule,
  type CheckContext,
} from './checks.ts';
import { keyNames, keysOfBlock, type KeyStyle } from './keys.ts';
import { describeType, quote, rejectPayload, Rejection, type ReportProblem } from './problem.ts';
import type { ValidReport } from './types.ts';
import { readCustomMetrics } from './validate-custom.ts';
import { readMetrics } from './validate-metrics.ts';

/** Default cap on the entries of one list (ports, connections, custom list values). */
export const DEFAULT_MAX_LIST_LENGTH = 1000;

/** Default cap on the custom metrics of one report. */
export const DEFAULT_MAX_CUSTOM_METRICS = 100;

/** Options of `validateReport`. */
export interface ValidateOptions {
  /** Maximum number of entries in one list. A longer list rejects the report. */
  maxListLength?: number;
  /** Maximum number of custom metrics in one report. */
  maxCustomMetrics?: number;
  /**
   * Size of the payload the document was decoded from, in bytes. When set, a document that
   * decodes to more list entries and string characters than this is rejected, which stops CBOR
   * value sharing from inflating a small payload into a huge report.
   */
  payloadBytes?: number;
}

/** A validated report, or the first problem found and the report id when it was readable. */
export type ValidateResult =
  { ok: true; report: ValidReport } | { ok: false; problem: ReportProblem; reportId?: number };

const VERSION = /^([0-9]+)\.([0-9]+)$/;

const HEADER_PATHS = {
  long: { reportId: 'header.report_id', version: 'header.version' },
  short: { reportId: 'hed.rid', version: 'hed.v' },
} as const;

/** Validates a decoded report and returns it with key names resolved, or its first problem. */
export function validateReport(document: unknown, options: ValidateOptions = {}): ValidateResult {
  const context = createContext(options);

  try {
    if (!isRecord(document)) {
      rejectPayload('', `Invalid report: must be an object, received ${describeType(document)}`);
    }
    context.style = detectKeyStyle(document);
    context.keys = keyNames(context.style);

    const header = readHeader(context, document);
    return { ok: true, report: readBody(context, document, header.reportId, header.version) };
  } catch (error) {
    if (!(error instanceof Rejection)) throw error;
    const problem = error.problem;
    const reportId = context.reportId;
    return reportId === undefined ? { ok: false, problem } : { ok: false, problem, reportId };
  }
}

function createContext(options: ValidateOptions): CheckContext {
  return {
    keys: keyNames('long'),
    style: 'long',
    maxListLength: readLimit('maxListLength', options.maxListLength, DEFAULT_MAX_LIST_LENGTH),
    maxCustomMetrics: readLimit(
      'maxCustomMetrics',
      options.maxCustomMetrics,
      DEFAULT_MAX_CUSTOM_METRICS,
    ),
    budget: readLimit('payloadBytes', options.payloadBytes, Number.POSITIVE_INFINITY),
    notes: [],
    textPortNoted: false,
    reportId: undefined,
  };
}

function readLimit(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(
      `Invalid option "${name}" ${String(value)}: must be a non-negative integer`,
    );
  }
  return value;
}

/**
 * Detects the naming style from the root keys. Rejects a root key that is neither
 * `header`/`metrics`/`custom_metrics` nor `hed`/`met`/`cmet`, and a root that mixes the two.
 * An empty root counts as long, so its problem is reported with long names.
 */
function detectKeyStyle(document: Record<string, unknown>): KeyStyle {
  const longRoot = keysOfBlock('long', 'root');
  const shortRoot = keysOfBlock('short', 'root');

  let style: KeyStyle | undefined;
  let mixed: string | undefined;
  for (const key in document) {
    const keyStyle = longRoot.has(key) ? 'long' : shortRoot.has(key) ? 'short' : undefined;
    if (keyStyle === undefined) rejectUnknownRootKey(key, document);
    if (style === undefined) style = keyStyle;
    else if (keyStyle !== style && mixed === undefined) mixed = key;
  }

  if (mixed !== undefined && style !== undefined) {
    rejectMixedKey(style, mixed, mixed);
  }
  return style ?? 'long';
}

function rejectUnknownRootKey(key: string, document: Record<string, unknown>): never {
  const shortRoot = keysOfBlock('short', 'root');
  let style: KeyStyle = 'long';
  for (const other in document) {
    if (shortRoot.has(other)) style = 'short';
  }

  const keys = keyNames(style);
  const allowed = `"${keys.header}", "${keys.metrics}" and "${keys.customMetrics}"`;
  rejectPayload(
    key,
    `Unknown key ${quote(key)} at the root of the report: only ${allowed} are allowed`,
  );
}

interface Header {
  reportId: number;
  version: string;
}

function readHeader(context: CheckContext, document: Record<string, unknown>): Header {
  const keys = context.keys;
  const raw = document[keys.header];
  if (raw === undefined) rejectMissing(keys.header, 'header');
  const header = readObject(context, raw, keys.header, 'header', 'header');

  const paths = HEADER_PATHS[context.style];
  const idPath = paths.reportId;
  const id = header[keys.reportId];
  if (id === undefined) rejectMissing(idPath, 'report id');
  const reportId = readInteger(id, idPath, 'report id', 1);
  context.reportId = reportId;

  const versionPath = paths.version;
  const version = header[keys.version];
  if (version === undefined) rejectMissing(versionPath, 'version');
  return { reportId, version: readVersion(version, versionPath) };
}

function readVersion(value: unknown, path: string): string {
  if (typeof value !== 'string') rejectRule(value, path, 'version', 'a string such as "1.0"', true);

  const match = VERSION.exec(value);
  if (match === null) {
    rejectPayload(
      path,
      `Invalid version ${quote(value)} at "${path}": must be "Major.Minor", such as "1.0"`,
    );
  }
  // Every known agent sends "1.0". A new major version could change field meanings, so Warden
  // rejects it rather than guess.
  if (Number(match[1]) !== 1) {
    rejectPayload(
      path,
      `Unsupported version ${quote(value)} at "${path}": Warden accepts only major version 1`,
    );
  }
  return value;
}

function readBody(
  context: CheckContext,
  document: Record<string, unknown>,
  reportId: number,
  version: string,
): ValidReport {
  const keys = context.keys;
  const metrics = document[keys.metrics];
  const customMetrics = document[keys.customMetrics];
  if (metrics === undefined && customMetrics === undefined) {
    rejectPayload(
      '',
      `Missing metrics: a report must contain "${keys.metrics}" or "${keys.customMetrics}"`,
    );
  }

  const report: ValidReport = {
    reportId,
    version,
    keyStyle: context.style,
    networkStats: undefined,
    listeningTcpPorts: undefined,
    listeningUdpPorts: undefined,
    establishedConnections: undefined,
    customMetrics: [],
    notes: context.notes,
  };
  if (metrics !== undefined) readMetrics(context, metrics, report);
  if (customMetrics !== undefined) {
    report.customMetrics = readCustomMetrics(context, customMetrics, keys.customMetrics);
  }
  return report;
}
