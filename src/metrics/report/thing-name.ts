import { quote, type ReportProblem } from './problem.ts';

/** AWS limit on a thing name in a metrics report topic, in bytes of UTF-8. */
export const MAX_THING_NAME_BYTES = 128;

// A high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// C0 controls, DEL and C1 controls.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

// Warden's choice: "+" and "#" are MQTT wildcards and "/" separates topic levels, so a name with
// them could not get a response on its own `/accepted` or `/rejected` topic.
const RESERVED_CHARACTER = /[+#/]/;

/**
 * Checks a thing name taken from a report topic or from the HTTP intake path: 1-128 bytes of
 * UTF-8, no control characters, no `+`, `#` or `/`. Returns the problem, or `undefined`.
 */
export function validateThingName(thingName: string): ReportProblem | undefined {
  const bytes = Buffer.byteLength(thingName, 'utf8');
  if (bytes === 0 || bytes > MAX_THING_NAME_BYTES) {
    const received = `received ${bytes}`;
    return invalid(thingName, `must be 1-${MAX_THING_NAME_BYTES} bytes of UTF-8, ${received}`);
  }

  if (UNPAIRED_SURROGATE.test(thingName)) {
    return invalid(thingName, 'must be valid Unicode, it contains an unpaired surrogate');
  }
  if (CONTROL_CHARACTER.test(thingName)) {
    return invalid(thingName, 'must not contain control characters');
  }
  if (RESERVED_CHARACTER.test(thingName)) {
    return invalid(thingName, 'must not contain "+", "#" or "/"');
  }
  return undefined;
}

/** Result of reading a thing name from one percent-encoded URL path segment. */
export type ThingNameSegmentResult =
  { ok: true; thingName: string } | { ok: false; problem: ReportProblem };

/**
 * Decodes the thing name segment of the HTTP intake path (percent-encoded UTF-8) and checks it
 * with the same rules as the MQTT topic, so both transports accept the same names.
 */
export function parseThingNamePathSegment(segment: string): ThingNameSegmentResult {
  let thingName: string;
  try {
    thingName = decodeURIComponent(segment);
  } catch {
    return { ok: false, problem: invalid(segment, 'must be valid percent-encoded UTF-8') };
  }

  const problem = validateThingName(thingName);
  return problem === undefined ? { ok: true, thingName } : { ok: false, problem };
}

function invalid(thingName: string, rule: string): ReportProblem {
  return {
    code: 'InvalidThingName',
    path: 'thingName',
    message: `Invalid thing name ${quote(thingName)}: ${rule}`,
  };
}
