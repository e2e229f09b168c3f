/**
 * MQTT topic names and topic filters, as MQTT 3.1.1 section 4.7 defines them (MQTT 5 keeps the
 * rules). `/` separates topic levels. In a filter, `+` matches exactly one level, and `#` matches
 * its parent level and any number of child levels, so it must be the last level. A filter whose
 * first level is a wildcard does not match topics that start with `$` (section 4.7.2).
 */

const PLUS = 0x2b;
const HASH = 0x23;
const DOLLAR = 0x24;

/** MQTT strings are at most 65,535 bytes of UTF-8 (section 1.5.3). */
const MAX_TOPIC_BYTES = 65535;

/**
 * Checks whether a topic name matches a topic filter. An invalid filter matches nothing: for
 * example a wildcard that shares its level with other characters, or `#` before the last level.
 * The topic must be a valid topic name, which the broker checks before routing.
 */
export function matchesTopicFilter(filter: string, topic: string): boolean {
  if (filter.length === 0 || topic.length === 0) return false;
  const first = filter.charCodeAt(0);
  if (topic.charCodeAt(0) === DOLLAR && (first === PLUS || first === HASH)) return false;

  let f = 0;
  let t = 0;
  for (;;) {
    const filterEnd = levelEnd(filter, f);
    if (isSingleCharacterLevel(filter, f, filterEnd, HASH)) return filterEnd === filter.length;

    const topicEnd = levelEnd(topic, t);
    const plus = isSingleCharacterLevel(filter, f, filterEnd, PLUS);
    if (!plus && !levelsEqual(filter, f, filterEnd, topic, t, topicEnd)) return false;
    if (filterEnd === filter.length) return topicEnd === topic.length;

    f = filterEnd + 1;
    if (topicEnd === topic.length) {
      // "sport/#" also matches "sport": the only filter level that may follow the end is "#".
      return filter.length - f === 1 && filter.charCodeAt(f) === HASH;
    }
    t = topicEnd + 1;
  }
}

/** Checks whether a string is a valid topic filter for SUBSCRIBE (section 4.7.1). */
export function isValidTopicFilter(filter: string): boolean {
  if (!isValidMqttString(filter)) return false;
  let start = 0;
  for (;;) {
    const end = levelEnd(filter, start);
    for (let i = start; i < end; i++) {
      const code = filter.charCodeAt(i);
      if ((code === PLUS || code === HASH) && end - start !== 1) return false;
    }
    if (isSingleCharacterLevel(filter, start, end, HASH) && end !== filter.length) return false;
    if (end === filter.length) return true;
    start = end + 1;
  }
}

/** Checks whether a string is a valid topic name for PUBLISH, which has no wildcards (section 4.7.3). */
export function isValidTopicName(topic: string): boolean {
  return isValidMqttString(topic) && !topic.includes('+') && !topic.includes('#');
}

/** Non-empty, no U+0000, and at most 65,535 bytes once encoded as UTF-8. */
function isValidMqttString(value: string): boolean {
  if (value.length === 0 || value.includes('\u0000')) return false;
  return value.length * 3 <= MAX_TOPIC_BYTES || Buffer.byteLength(value, 'utf8') <= MAX_TOPIC_BYTES;
}

function levelEnd(value: string, start: number): number {
  const end = value.indexOf('/', start);
  return end === -1 ? value.length : end;
}

function isSingleCharacterLevel(value: string, start: number, end: number, code: number): boolean {
  return end - start === 1 && value.charCodeAt(start) === code;
}

function levelsEqual(
  filter: string,
  filterStart: number,
  filterEnd: number,
  topic: string,
  topicStart: number,
  topicEnd: number,
): boolean {
  const length = filterEnd - filterStart;
  if (length !== topicEnd - topicStart) return false;
  for (let i = 0; i < length; i++) {
    if (filter.charCodeAt(filterStart + i) !== topic.charCodeAt(topicStart + i)) return false;
  }
  return true;
}
