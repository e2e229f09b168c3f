/**
 * Field checks shared by the report validators. Each returns the value in Warden's form or throws
 * a `Rejection` that names the field, its path and the rule it breaks. Paths of list entries are
 * built only when a check fails, so a valid report costs no string building.
 */
import { keysOfBlock, otherStyle, type Block, type KeyNames, type KeyStyle } from './keys.ts';
import { at, describeType, quote, quoteIfPrimitive, rejectPayload } from './problem.ts';

/** State of one validation run. */
export interface CheckContext {
  keys: Readonly<KeyNames>;
  style: KeyStyle;
  maxListLength: number;
  maxCustomMetrics: number;
  /**
   * Entries and string characters the payload can still account for. Without CBOR value sharing
   * or packing, each list entry and each string character costs at least one payload byte, so a
   * document that outgrows its payload is an amplification attempt.
   */
  budget: number;
  notes: string[];
  textPortNoted: boolean;
  /** Set as soon as the header's report id is read, so a rejection can carry it. */
  reportId: number | undefined;
}

const MAX_PORT = 65_535;
const PORT_TEXT = /^[0-9]{1,5}$/;
const MAX_SAFE_BIGINT = BigInt(Number.MAX_SAFE_INTEGER);

/** Tests for a plain object: a JSON object or a CBOR map, not an array or a tagged value. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Reads an object and rejects it when it contains a key of the other naming style. */
export function readObject(
  context: CheckContext,
  value: unknown,
  path: string,
  label: string,
  block: Block,
): Record<string, unknown> {
  if (!isRecord(value)) {
    rejectPayload(
      path,
      `Invalid ${label}${at(path)}: must be an object, received ${describeType(value)}`,
    );
  }

  const foreign = keysOfBlock(otherStyle(context.style), block);
  for (const key in value) {
    if (foreign.has(key)) rejectMixedKey(context.style, key, join(path, key));
  }
  return value;
}

/**
 * Reads entry `index` of a list as an object. Like `readObject`, but the entry's path is built
 * only when the entry is rejected.
 */
export function readEntry(
  context: CheckContext,
  list: unknown[],
  listPath: string,
  index: number,
  label: string,
  block: Block,
): Record<string, unknown> {
  const value = list[index];
  if (!isRecord(value)) {
    const path = entryPath(listPath, index);
    rejectPayload(
      path,
      `Invalid ${label} at "${path}": must be an object, received ${describeType(value)}`,
    );
  }

  const foreign = keysOfBlock(otherStyle(context.style), block);
  for (const key in value) {
    if (foreign.has(key)) rejectMixedKey(context.style, key, entryPath(listPath, index, key));
  }
  return value;
}

/** Throws the rejection for a key of the other naming style. */
export function rejectMixedKey(style: KeyStyle, key: string, path: string): never {
  rejectPayload(
    path,
    `Mixed key names at "${path}": ${quote(key)} is a ${otherStyle(style)} key name but the ` +
      `report uses ${style} key names, use one style per report`,
  );
}

/** Reads a list, capped at `maxListLength` entries, and charges its entries to the budget. */
export function readList(
  context: CheckContext,
  value: unknown,
  path: string,
  label: string,
): unknown[] {
  if (!Array.isArray(value)) {
    rejectPayload(
      path,
      `Invalid ${label} at "${path}": must be an array, received ${describeType(value)}`,
    );
  }
  if (value.length > context.maxListLength) {
    const max = context.maxListLength;
    rejectPayload(
      path,
      `Invalid ${label} at "${path}": must have at most ${max} entries, received ${value.length}`,
    );
  }

  charge(context, value.length);
  return value;
}

/** Charges entries or characters to the amplification budget. */
export function charge(context: CheckContext, units: number): void {
  context.budget -= units;
  if (context.budget < 0) {
    rejectPayload(
      '',
      'Malformed metrics report: the decoded report is larger than its payload, ' +
        'CBOR value sharing and packed CBOR are not supported',
    );
  }
}

/** Reads a non-negative integer that a double stores exactly (at most 2^53 - 1). */
export function readCount(value: unknown, path: string, label: string): number {
  return readInteger(value, path, label, 0);
}

/** Reads a safe integer of at least `min` (0 or 1), from a JSON number or a CBOR integer. */
export function readInteger(value: unknown, path: string, label: string, min: 0 | 1): number {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= min) return value === 0 ? 0 : value;
    if (Number.isInteger(value) && value > 0) rejectUnsafe(path, label);
  } else if (typeof value === 'bigint' && value >= BigInt(min)) {
    if (value <= MAX_SAFE_BIGINT) return Number(value);
    rejectUnsafe(path, label);
  }

  const rule = min === 0 ? 'a non-negative integer' : 'a positive integer';
  rejectRule(value, path, label, rule, typeof value !== 'number' && typeof value !== 'bigint');
}

// JSON.parse has already rounded an integer above 2^53 - 1, so the message cannot quote the
// value the device sent, only the limit.
function rejectUnsafe(path: string, label: string): never {
  rejectPayload(
    path,
    `Invalid ${label} at "${path}": must be at most ${Number.MAX_SAFE_INTEGER} ` +
      'to be stored exactly, larger integers lose precision',
  );
}

/**
 * Reads a port number 0-65535. With `allowText`, a decimal string is read as a number too, a
 * quirk of the Device Defender C agent's CBOR reports, and a note is added once.
 */
export function readPort(
  context: CheckContext,
  value: unknown,
  path: string,
  label: string,
  allowText = false,
): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_PORT) {
    return value === 0 ? 0 : value;
  }
  if (typeof value === 'bigint' && value >= 0n && value <= BigInt(MAX_PORT)) return Number(value);
  if (
    allowText &&
    typeof value === 'string' &&
    PORT_TEXT.test(value) &&
    Number(value) <= MAX_PORT
  ) {
    noteTextPort(context);
    return Number(value);
  }

  const wrongType = typeof value !== 'number' && typeof value !== 'bigint';
  rejectRule(value, path, label, `an integer 0-${MAX_PORT}`, wrongType);
}

function noteTextPort(context: CheckContext): void {
  if (context.textPortNoted) return;
  context.textPortNoted = true;
  context.notes.push(`Read ${context.keys.localPort} values sent as text as numbers`);
}

/** Reads a string. */
export function readString(value: unknown, path: string, label: string): string {
  if (typeof value === 'string') return value;
  rejectRule(value, path, label, 'a string', true);
}

/** Reads a finite number, as custom `number` and `number_list` values are doubles. */
export function readFiniteNumber(value: unknown, path: string, label: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value === 0 ? 0 : value;
  if (typeof value === 'bigint') return Number(value);
  rejectRule(value, path, label, 'a finite number', typeof value !== 'number');
}

/** Throws the rejection for a value that breaks a rule, adding its type when that is wrong. */
export function rejectRule(
  value: unknown,
  path: string,
  label: string,
  rule: string,
  wrongType: boolean,
): never {
  const received = wrongType ? `, received ${describeType(value)}` : '';
  rejectPayload(
    path,
    `Invalid ${label}${quoteIfPrimitive(value)} at "${path}": must be ${rule}${received}`,
  );
}

/** Throws the rejection for a required field that is absent. */
export function rejectMissing(path: string, label: string): never {
  rejectPayload(path, `Missing ${label} at "${path}"`);
}

/** Joins a parent path and a key. */
export function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Builds the path of a list entry's field, such as `metrics.x.ports[3].port`. */
export function entryPath(listPath: string, index: number, key?: string): string {
  return key === undefined ? `${listPath}[${index}]` : `${listPath}[${index}].${key}`;
}
