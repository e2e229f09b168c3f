/**
 * Parser for Linux `/proc/net/dev`, the per-interface traffic counters behind the report's
 * `network_stats` block.
 */

/** Cumulative counters of one network interface since it came up or its counters wrapped. */
export interface InterfaceCounters {
  name: string;
  bytesIn: number;
  packetsIn: number;
  bytesOut: number;
  packetsOut: number;
}

/** Number of numeric columns after `name:` in every kernel since 2.6: 8 receive, 8 transmit. */
const FIELD_COUNT = 16;

/** Column positions of the four counters the report uses, counted from the first receive column. */
const RX_BYTES = 0;
const RX_PACKETS = 1;
const TX_BYTES = 8;
const TX_PACKETS = 9;

/**
 * Parses the text of `/proc/net/dev` into one entry per interface, including `lo`. The caller
 * decides which interfaces to count (see `isReportedInterface`).
 *
 * Values above 2^53 (9 PB) lose precision because they become JavaScript numbers, which the
 * report's JSON encoding would round to the same double anyway.
 *
 * @throws {Error} when a data line lacks the 16 counters, so a format change is loud, not silent
 */
export function parseNetDev(text: string): InterfaceCounters[] {
  const interfaces: InterfaceCounters[] = [];
  const lines = text.split('\n');

  for (const [index, line] of lines.entries()) {
    // The first two lines are the column headers.
    if (index < 2 || line.trim() === '') continue;
    interfaces.push(parseInterfaceLine(line, index + 1));
  }

  return interfaces;
}

function parseInterfaceLine(line: string, lineNumber: number): InterfaceCounters {
  // Interface names cannot contain a colon (the kernel rejects them), so the first one ends the
  // name. Wide counters may follow the colon with no space, as in "eth0:123456789".
  const colon = line.indexOf(':');
  const name = colon > 0 ? line.slice(0, colon).trim() : '';
  const fields = line
    .slice(colon + 1)
    .trim()
    .split(/\s+/);

  if (name === '' || fields.length < FIELD_COUNT || !fields.every(isDecimal)) {
    throw new Error(`Malformed line ${lineNumber} in /proc/net/dev: "${line.trim()}"`);
  }

  return {
    name,
    bytesIn: Number(fields[RX_BYTES]),
    packetsIn: Number(fields[RX_PACKETS]),
    bytesOut: Number(fields[TX_BYTES]),
    packetsOut: Number(fields[TX_PACKETS]),
  };
}

function isDecimal(field: string): boolean {
  return /^[0-9]+$/.test(field);
}

/**
 * Tells whether an interface's traffic belongs in `network_stats`. The loopback interface is
 * left out, as the Device Defender C agent does, because traffic between local processes never
 * leaves the device and would hide the external traffic that the byte and packet behaviors watch.
 */
export function isReportedInterface(name: string): boolean {
  return name !== 'lo';
}
