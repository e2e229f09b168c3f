/**
 * Parsers for the Linux socket tables `/proc/net/tcp`, `/proc/net/tcp6`, `/proc/net/udp` and
 * `/proc/net/udp6`, whose rows give each socket's local and remote address and its state.
 */

/** One row of a socket table with its addresses decoded. */
export interface SocketEntry {
  /** Local address in text form: dotted IPv4, or RFC 5952 IPv6 (IPv4-mapped ones as dotted). */
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  /** Kernel socket state in hex as printed, e.g. `0A` (TCP_LISTEN), `01`, `07` (TCP_CLOSE). */
  state: string;
}

/** Byte order of the host whose kernel wrote the table, which prints addresses in that order. */
export type ByteOrder = 'LE' | 'BE';

/** Socket states from the kernel's `include/net/tcp_states.h`, which UDP sockets share. */
export const SOCKET_STATE = {
  established: '01',
  close: '07',
  listen: '0A',
} as const;

/**
 * Parses the text of one socket table. The header line is skipped, and every other non-empty
 * line must have the form `sl: local rem st ...`.
 *
 * @param byteOrder of the machine that produced the text, normally `os.endianness()`
 * @throws {Error} when a row's addresses or state cannot be decoded
 */
export function parseSocketTable(text: string, byteOrder: ByteOrder): SocketEntry[] {
  const entries: SocketEntry[] = [];
  const lines = text.split('\n');

  for (const [index, line] of lines.entries()) {
    if (index === 0 || line.trim() === '') continue;
    entries.push(parseSocketLine(line, index + 1, byteOrder));
  }

  return entries;
}

function parseSocketLine(line: string, lineNumber: number, byteOrder: ByteOrder): SocketEntry {
  const fields = line.trim().split(/\s+/);
  const local = decodeEndpoint(fields[1] ?? '', byteOrder);
  const remote = decodeEndpoint(fields[2] ?? '', byteOrder);
  const state = fields[3] ?? '';

  if (!/^[0-9]+:$/.test(fields[0] ?? '') || !local || !remote || !/^[0-9A-F]{2}$/.test(state)) {
    throw new Error(`Malformed socket line ${lineNumber}: "${line.trim()}"`);
  }

  return {
    localAddress: local.address,
    localPort: local.port,
    remoteAddress: remote.address,
    remotePort: remote.port,
    state,
  };
}

/** Decodes `ADDRESS:PORT` in the table's hex form, or returns undefined if it is malformed. */
function decodeEndpoint(
  field: string,
  byteOrder: ByteOrder,
): { address: string; port: number } | undefined {
  const match = /^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})$/.exec(field);
  if (!match) return undefined;

  const [, hexAddress = '', hexPort = ''] = match;
  return { address: decodeAddress(hexAddress, byteOrder), port: Number.parseInt(hexPort, 16) };
}

/**
 * Decodes a hex address from a socket table. The kernel prints the address as 32-bit words
 * (one for IPv4, four for IPv6) with `%08X`, so each word appears in the host's byte order and
 * must be reversed on little-endian machines. The port, by contrast, is already in host order.
 */
export function decodeAddress(hex: string, byteOrder: ByteOrder): string {
  const bytes: number[] = [];

  for (let word = 0; word < hex.length; word += 8) {
    const wordBytes = [0, 2, 4, 6].map((offset) =>
      Number.parseInt(hex.slice(word + offset, word + offset + 2), 16),
    );
    if (byteOrder === 'LE') wordBytes.reverse();
    bytes.push(...wordBytes);
  }

  return bytes.length === 4 ? bytes.join('.') : formatIpv6(bytes);
}

/**
 * Formats 16 bytes as RFC 5952 text: lowercase, no leading zeros, the longest run of two or more
 * zero groups (the first on a tie) shortened to `::`. IPv4-mapped addresses (`::ffff:0:0/96`)
 * become plain dotted IPv4, because they are IPv4 peers seen through a dual-stack socket.
 */
export function formatIpv6(bytes: readonly number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));

  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return bytes.slice(12, 16).join('.');
  }

  const run = longestZeroRun(groups);
  const text = groups.map((group) => group.toString(16));
  if (run.length < 2) return text.join(':');

  const head = text.slice(0, run.start).join(':');
  const tail = text.slice(run.start + run.length).join(':');
  return `${head}::${tail}`;
}

function longestZeroRun(groups: readonly number[]): { start: number; length: number } {
  let best = { start: 0, length: 0 };
  let start = -1;

  for (let i = 0; i <= groups.length; i += 1) {
    if (i < groups.length && groups[i] === 0) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0 && i - start > best.length) best = { start, length: i - start };
    start = -1;
  }

  return best;
}

/** Tells whether a decoded address is the unspecified address of its family (a wildcard bind). */
export function isUnspecifiedAddress(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}
