import type { ReportProblem } from './problem.ts';
import { validateThingName } from './thing-name.ts';

/** Payload format of a report, chosen by the last level of its topic. */
export type ReportFormat = 'json' | 'cbor';

/** A metrics report topic split into its parts. */
export interface ReportTopic {
  thingName: string;
  format: ReportFormat;
  /** Set when the thing name breaks the rules of `validateThingName`. */
  problem?: ReportProblem;
}

const PREFIX = '$aws/things/';
const JSON_SUFFIX = '/defender/metrics/json';
const CBOR_SUFFIX = '/defender/metrics/cbor';

/**
 * Parses `$aws/things/{thingName}/defender/metrics/{json|cbor}`. Returns `null` for any other
 * topic, including the `/accepted` and `/rejected` response topics and upper-case formats (every
 * agent writes the format in lower case). A topic of the right shape whose thing name is invalid
 * is still returned, with `problem` set, so the intake can reject it.
 */
export function parseReportTopic(topic: string): ReportTopic | null {
  if (!topic.startsWith(PREFIX)) return null;

  let format: ReportFormat;
  if (topic.endsWith(JSON_SUFFIX)) format = 'json';
  else if (topic.endsWith(CBOR_SUFFIX)) format = 'cbor';
  else return null;

  // Both suffixes have the same length. A thing name with "/" in it spans several topic levels
  // and is caught by the thing name rules rather than treated as another topic.
  const end = topic.length - JSON_SUFFIX.length;
  if (end < PREFIX.length) return null;
  const thingName = topic.slice(PREFIX.length, end);

  const problem = validateThingName(thingName);
  return problem === undefined ? { thingName, format } : { thingName, format, problem };
}

/** Builds the topic on which the response to a report is published. */
export function buildAnswerTopic(
  thingName: string,
  format: ReportFormat,
  status: 'accepted' | 'rejected',
): string {
  return `${PREFIX}${thingName}/defender/metrics/${format}/${status}`;
}
