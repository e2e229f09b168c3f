/**
 * IPv4 and IPv6 addresses and CIDR blocks for behavior value sets, device reports and audit
 * checks. Every address lives in one 128-bit space: IPv4 addresses are stored as their
 * IPv4-mapped IPv6 form `::ffff:a.b.c.d` (RFC 4291 section 2.5.5.2). So `10.0.0.0/8` and
 * `::ffff:10.0.0.0/104` are the same block, an IPv4 address matches an IPv6 block only through
 * its mapped form, and `::/0` contains every address of both families.
 */

/** A parsed CIDR block or single address (a /32 or /128 block). */
export interface Cidr {
  /** The family of the text that was parsed. `::ffff:1.2.3.4` is version 6. */
  readonly version: 4 | 6;
  /** Prefix length in the text's own family: 0-32 for IPv4, 0-128 for IPv6. */
  readonly prefixLength: number;
  /** First address of the block in the 128-bit space, host bits cleared. */
  readonly first: bigint;
  /** Last address of the block in the 128-bit space. */
  readonly last: bigint;
}

/** Outcome of parsing: the block, or why the text is not one. */
export type CidrParseResult =
  | { ok: true; cidr: Cidr }
  | {
      ok: false;
      /** The defect alone, for callers that add their own context. */
      reason: string;
      /** A complete message naming the text, such as `Invalid CIDR "10.0.0.0/33": …`. */
      message: string;
    };

const MAPPED_PREFIX = 0xffffn << 32n;
const ALL_ONES = (1n << 128n) - 1n;
const MAX_QUOTED = 64;

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Parses `10.0.0.0/8`, `2001:db8::/32`, or a bare address, which becomes a /32 or /128 block.
 * Host bits below the prefix are accepted and cleared, so `10.1.2.3/8` is `10.0.0.0/8`. Zone
 * ids, brackets, whitespace and octets with leading zeros are rejected.
 */
export function parseCidr(text: string): CidrParseResult {
  const parsed = parseBlock(text);
  if (parsed.ok) return { ok: true, cidr: parsed.value };
  return {
    ok: false,
    reason: parsed.reason,
    message: `Invalid CIDR ${quote(text)}: ${parsed.reason}`,
  };
}

/** Parses a single address without a prefix length into a /32 or /128 block. */
export function parseIpAddress(text: string): CidrParseResult {
  const parsed = text.includes('/')
    ? ({ ok: false, reason: 'an address must not have a prefix length' } as const)
    : parseBlock(text);
  if (parsed.ok) return { ok: true, cidr: parsed.value };
  return {
    ok: false,
    reason: parsed.reason,
    message: `Invalid IP address ${quote(text)}: ${parsed.reason}`,
  };
}

/** Tells whether every address of `inner` lies inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.first >= outer.first && inner.last <= outer.last;
}

/** Tells whether two blocks share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/**
 * Formats a block canonically: dotted quad for IPv4, RFC 5952 text for IPv6 (lowercase, the
 * longest run of two or more zero groups compressed, mapped IPv4 as `::ffff:a.b.c.d`).
 * Single addresses keep their /32 or /128 suffix.
 */
export function formatCidr(cidr: Cidr): string {
  if (cidr.version === 4) return `${formatIpv4(cidr.first & 0xffffffffn)}/${cidr.prefixLength}`;
  return `${formatIpv6(cidr.first)}/${cidr.prefixLength}`;
}

function parseBlock(text: string): Parsed<Cidr> {
  if (text.length === 0) return { ok: false, reason: 'the text is empty' };

  const parts = text.split('/');
  if (parts.length > 2) return { ok: false, reason: 'it contains more than one "/"' };
  const [addressText = '', prefixText] = parts;

  const address = parseAddress(addressText);
  if (!address.ok) return address;
  const { version, bits } = address.value;

  const maxPrefix = version === 4 ? 32 : 128;
  const prefix =
    prefixText === undefined
      ? { ok: true as const, value: maxPrefix }
      : parsePrefix(prefixText, version);
  if (!prefix.ok) return prefix;

  const unifiedPrefix = prefix.value + (version === 4 ? 96 : 0);
  const hostMask = ALL_ONES >> BigInt(unifiedPrefix);
  const first = bits & ~hostMask;
  return {
    ok: true,
    value: { version, prefixLength: prefix.value, first, last: first | hostMask },
  };
}

function parsePrefix(text: string, version: 4 | 6): Parsed<number> {
  if (!/^(0|[1-9][0-9]{0,2})$/.test(text)) {
    return {
      ok: false,
      reason: `prefix length ${quote(text)} is not a decimal number without leading zeros`,
    };
  }
  const value = Number(text);
  const max = version === 4 ? 32 : 128;
  if (value > max) {
    return { ok: false, reason: `prefix length ${quote(text)} exceeds ${max} for IPv${version}` };
  }
  return { ok: true, value };
}

function parseAddress(text: string): Parsed<{ version: 4 | 6; bits: bigint }> {
  if (text.length === 0) return { ok: false, reason: 'the address is empty' };
  if (text.includes(':')) {
    const v6 = parseIpv6(text);
    return v6.ok ? { ok: true, value: { version: 6, bits: v6.value } } : v6;
  }
  if (text.includes('.')) {
    const v4 = parseIpv4(text);
    return v4.ok ? { ok: true, value: { version: 4, bits: MAPPED_PREFIX | BigInt(v4.value) } } : v4;
  }
  return { ok: false, reason: `${quote(text)} is not an IPv4 or IPv6 address` };
}

function parseIpv4(text: string): Parsed<number> {
  const octets = text.split('.');
  if (octets.length !== 4) {
    return { ok: false, reason: `expected 4 dot-separated octets, got ${octets.length}` };
  }

  let value = 0;
  for (const octet of octets) {
    if (!/^[0-9]{1,3}$/.test(octet)) {
      return { ok: false, reason: `octet ${quote(octet)} is not a decimal number 0-255` };
    }
    if (octet.length > 1 && octet.startsWith('0')) {
      return { ok: false, reason: `octet ${quote(octet)} has a leading zero` };
    }
    const number = Number(octet);
    if (number > 255) return { ok: false, reason: `octet ${quote(octet)} is out of range 0-255` };
    value = value * 256 + number;
  }
  return { ok: true, value };
}

function parseIpv6(text: string): Parsed<bigint> {
  const halves = text.split('::');
  if (halves.length > 2) return { ok: false, reason: '"::" appears more than once' };

  // A dotted IPv4 tail must be the last 32 bits, so it cannot come before "::".
  const head = parseGroups(halves[0] ?? '', halves.length === 1);
  if (!head.ok) return head;
  const tail =
    halves.length === 2 ? parseGroups(halves[1] ?? '', true) : { ok: true as const, value: [] };
  if (!tail.ok) return tail;

  const count = head.value.length + tail.value.length;
  if (halves.length === 1 && count !== 8) {
    return { ok: false, reason: `expected 8 groups of hexadecimal digits, got ${count}` };
  }
  if (halves.length === 2 && count > 7) {
    return {
      ok: false,
      reason: `"::" must stand for at least one zero group, but ${count} groups are given`,
    };
  }

  const groups = [...head.value, ...new Array<number>(8 - count).fill(0), ...tail.value];
  let bits = 0n;
  for (const group of groups) bits = (bits << 16n) | BigInt(group);
  return { ok: true, value: bits };
}

/** Parses colon-separated 16-bit groups. The last group may be a dotted IPv4 address. */
function parseGroups(text: string, mayEndWithIpv4: boolean): Parsed<number[]> {
  if (text === '') return { ok: true, value: [] };

  const parts = text.split(':');
  const groups: number[] = [];
  for (const [index, part] of parts.entries()) {
    const isLast = index === parts.length - 1;
    if (isLast && mayEndWithIpv4 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (!v4.ok) return v4;
      groups.push(Math.floor(v4.value / 65536), v4.value % 65536);
      continue;
    }
    if (part.includes('.')) {
      return { ok: false, reason: `dotted IPv4 part ${quote(part)} must be the last 32 bits` };
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(part)) {
      return { ok: false, reason: `group ${quote(part)} is not 1-4 hexadecimal digits` };
    }
    groups.push(Number.parseInt(part, 16));
  }
  return { ok: true, value: groups };
}

function formatIpv4(bits: bigint): string {
  const value = Number(bits);
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

function formatIpv6(bits: bigint): string {
  if (bits >> 32n === 0xffffn) return `::ffff:${formatIpv4(bits & 0xffffffffn)}`;

  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((bits >> shift) & 0xffffn));

  const run = longestZeroRun(groups);
  const hex = groups.map((group) => group.toString(16));
  if (run.length < 2) return hex.join(':');
  return `${hex.slice(0, run.start).join(':')}::${hex.slice(run.start + run.length).join(':')}`;
}

/** Finds the first longest run of zero groups, as RFC 5952 section 4.2.3 requires. */
function longestZeroRun(groups: number[]): { start: number; length: number } {
  let best = { start: 0, length: 0 };
  let start = -1;
  for (let index = 0; index <= groups.length; index++) {
    if (index < groups.length && groups[index] === 0) {
      if (start < 0) start = index;
      continue;
    }
    if (start >= 0 && index - start > best.length) best = { start, length: index - start };
    start = -1;
  }
  return best;
}

function quote(text: string): string {
  const truncated = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
  return JSON.stringify(truncated);
}
