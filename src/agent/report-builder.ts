/**
 * Builds the Device Defender metrics report document (header and `metrics` block) from one
 * network sample, in long or short key names.
 */
import type { ListeningPort, NetworkSample, TcpConnection } from './proc-net.ts';

/** Traffic since the previous report, summed over the reported interfaces. */
export interface NetworkDeltas {
  bytesIn: number;
  bytesOut: number;
  packetsIn: number;
  packetsOut: number;
}

/** A report in long key names, the form the Device Defender documentation shows first. */
export interface LongKeyReport {
  header: { report_id: number; version: string };
  metrics: {
    listening_tcp_ports: PortList;
    listening_udp_ports: PortList;
    network_stats?: {
      bytes_in: number;
      bytes_out: number;
      packets_in: number;
      packets_out: number;
    };
    tcp_connections: {
      established_connections: {
        connections: ConnectionEntry[];
        total: number;
      };
    };
  };
}

interface ConnectionEntry {
  local_port: number;
  local_interface?: string;
  remote_addr: string;
}

interface PortList {
  ports: { port: number; interface?: string }[];
  total: number;
}

/** A report document ready to encode, in either naming style. */
export type ReportDocument = Record<string, unknown>;

/** Report format version. "1.0" is the only version the service documents. */
export const REPORT_VERSION = '1.0';

/** Maximum entries per list, the limit Warden's report validator accepts. */
export const MAX_LIST_SIZE = 1000;

/** Long to short key names, from the Device Defender report specification. */
const SHORT_KEYS: Record<string, string> = {
  header: 'hed',
  report_id: 'rid',
  version: 'v',
  metrics: 'met',
  listening_tcp_ports: 'tp',
  listening_udp_ports: 'up',
  ports: 'pts',
  port: 'pt',
  interface: 'if',
  total: 't',
  network_stats: 'ns',
  bytes_in: 'bi',
  bytes_out: 'bo',
  packets_in: 'pi',
  packets_out: 'po',
  tcp_connections: 'tc',
  established_connections: 'ec',
  connections: 'cs',
  local_port: 'lp',
  local_interface: 'li',
  remote_addr: 'rad',
};

export interface BuildReportOptions {
  reportId: number;
  sample: NetworkSample;
  /** Omitted on the first report, which has no previous sample to compare against. */
  deltas?: NetworkDeltas;
  shortKeys: boolean;
  maxListSize?: number;
}

/**
 * Builds a report. Each list keeps its first `maxListSize` entries in `/proc` order while `total`
 * stays the full count, so the count metrics remain exact when a list is cut.
 */
export function buildReport(options: BuildReportOptions): ReportDocument {
  const report = buildLongKeyReport(options);
  return options.shortKeys ? toShortKeys(report) : { ...report };
}

/** Builds a report in long key names. `buildReport` is the entry point for either style. */
export function buildLongKeyReport(options: BuildReportOptions): LongKeyReport {
  const limit = options.maxListSize ?? MAX_LIST_SIZE;
  const { sample, deltas } = options;

  const report: LongKeyReport = {
    header: { report_id: options.reportId, version: REPORT_VERSION },
    metrics: {
      listening_tcp_ports: portList(sample.listeningTcpPorts, limit),
      listening_udp_ports: portList(sample.listeningUdpPorts, limit),
      tcp_connections: {
        established_connections: {
          connections: sample.establishedConnections.slice(0, limit).map(connectionEntry),
          total: sample.establishedConnections.length,
        },
      },
    },
  };

  if (deltas) {
    report.metrics.network_stats = {
      bytes_in: deltas.bytesIn,
      bytes_out: deltas.bytesOut,
      packets_in: deltas.packetsIn,
      packets_out: deltas.packetsOut,
    };
  }
  return report;
}

function portList(ports: ListeningPort[], limit: number): PortList {
  return { ports: ports.slice(0, limit).map((entry) => ({ ...entry })), total: ports.length };
}

function connectionEntry(connection: TcpConnection): ConnectionEntry {
  const entry: ConnectionEntry = {
    local_port: connection.localPort,
    remote_addr: connection.remoteAddr,
  };
  if (connection.localInterface !== undefined) entry.local_interface = connection.localInterface;
  return entry;
}

/**
 * Renames every key of a long-key report to its short form. Each long name has one short name
 * wherever it appears, so a plain recursive rename is exact.
 */
export function toShortKeys(value: unknown): ReportDocument {
  return renameKeys(value) as ReportDocument;
}

function renameKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(renameKeys);
  if (value === null || typeof value !== 'object') return value;

  const renamed: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    renamed[SHORT_KEYS[key] ?? key] = renameKeys(inner);
  }
  return renamed;
}
