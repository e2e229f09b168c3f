/**
 * Validation of the `metrics` block: listening ports, network statistics and established TCP
 * connections. Unknown keys inside these blocks are ignored, as newer agents may add fields.
 */
import { isIPv6 } from 'node:net';
import { parseRemoteAddress } from './address.ts';
import {
  entryPath,
  join,
  readCount,
  readEntry,
  readList,
  readObject,
  readPort,
  readString,
  rejectMissing,
  type CheckContext,
} from './checks.ts';
import { LONG_KEYS, SHORT_KEYS, type KeyNames } from './keys.ts';
import { quote, rejectPayload } from './problem.ts';
import type { EstablishedConnections, ListeningPorts, NetworkStats, ValidReport } from './types.ts';

interface PortsPaths {
  block: string;
  list: string;
  total: string;
}

interface MetricsPaths {
  metrics: string;
  tcpPorts: PortsPaths;
  udpPorts: PortsPaths;
  networkStats: string;
  tcpConnections: string;
  established: string;
  connections: string;
  establishedTotal: string;
}

function portsPaths(metrics: string, block: string, keys: KeyNames): PortsPaths {
  const path = join(metrics, block);
  return { block: path, list: join(path, keys.ports), total: join(path, keys.total) };
}

// Built once per style, so validating a report builds no path strings unless it fails.
function metricsPaths(keys: KeyNames): MetricsPaths {
  const metrics = keys.metrics;
  const tcpConnections = join(metrics, keys.tcpConnections);
  const established = join(tcpConnections, keys.establishedConnections);
  return {
    metrics,
    tcpPorts: portsPaths(metrics, keys.listeningTcpPorts, keys),
    udpPorts: portsPaths(metrics, keys.listeningUdpPorts, keys),
    networkStats: join(metrics, keys.networkStats),
    tcpConnections,
    established,
    connections: join(established, keys.connections),
    establishedTotal: join(established, keys.total),
  };
}

const LONG_PATHS = metricsPaths(LONG_KEYS);
const SHORT_PATHS = metricsPaths(SHORT_KEYS);

/** Validates the `metrics` block and stores its parts on `report`. */
export function readMetrics(context: CheckContext, value: unknown, report: ValidReport): void {
  const keys = context.keys;
  const paths = context.style === 'long' ? LONG_PATHS : SHORT_PATHS;
  const metrics = readObject(context, value, paths.metrics, 'metrics', 'metrics');

  const tcp = metrics[keys.listeningTcpPorts];
  if (tcp !== undefined)
    report.listeningTcpPorts = readListeningPorts(context, tcp, paths.tcpPorts);

  const udp = metrics[keys.listeningUdpPorts];
  if (udp !== undefined)
    report.listeningUdpPorts = readListeningPorts(context, udp, paths.udpPorts);

  const stats = metrics[keys.networkStats];
  if (stats !== undefined)
    report.networkStats = readNetworkStats(context, stats, paths.networkStats);

  const connections = metrics[keys.tcpConnections];
  if (connections !== undefined) {
    report.establishedConnections = readTcpConnections(context, connections, paths);
  }
}

function readListeningPorts(
  context: CheckContext,
  value: unknown,
  paths: PortsPaths,
): ListeningPorts {
  const keys = context.keys;
  const block = readObject(context, value, paths.block, 'listening ports', 'listeningPorts');

  const rawList = block[keys.ports];
  let ports: number[] | undefined;
  if (rawList !== undefined) {
    const list = readList(context, rawList, paths.list, 'ports list');
    ports = [];
    for (let index = 0; index < list.length; index++) {
      ports.push(readPortEntry(context, list, paths.list, index));
    }
  }

  const total = block[keys.total];
  return { ports, total: total === undefined ? undefined : readCount(total, paths.total, 'total') };
}

function readPortEntry(
  context: CheckContext,
  list: unknown[],
  listPath: string,
  index: number,
): number {
  const keys = context.keys;
  const entry = readEntry(context, list, listPath, index, 'port entry', 'port');

  const name = entry[keys.interface];
  if (name !== undefined && typeof name !== 'string') {
    readString(name, entryPath(listPath, index, keys.interface), 'interface name');
  }

  // Warden's choice: an entry without its port carries nothing to evaluate, so it is rejected.
  const port = entry[keys.port];
  if (isPortNumber(port)) return port;
  const path = entryPath(listPath, index, keys.port);
  if (port === undefined) rejectMissing(path, 'port');
  return readPort(context, port, path, 'port');
}

function readNetworkStats(context: CheckContext, value: unknown, path: string): NetworkStats {
  const keys = context.keys;
  const block = readObject(context, value, path, 'network stats', 'networkStats');

  // The Device Defender C agent leaves zero counters out of its CBOR reports, so an absent
  // counter in a present block is 0.
  return {
    bytesIn: readCounter(block[keys.bytesIn], path, keys.bytesIn),
    bytesOut: readCounter(block[keys.bytesOut], path, keys.bytesOut),
    packetsIn: readCounter(block[keys.packetsIn], path, keys.packetsIn),
    packetsOut: readCounter(block[keys.packetsOut], path, keys.packetsOut),
  };
}

function readCounter(value: unknown, blockPath: string, key: string): number {
  if (value === undefined) return 0;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  return readCount(value, join(blockPath, key), 'counter');
}

function readTcpConnections(
  context: CheckContext,
  value: unknown,
  paths: MetricsPaths,
): EstablishedConnections | undefined {
  const keys = context.keys;
  const block = readObject(
    context,
    value,
    paths.tcpConnections,
    'TCP connections',
    'tcpConnections',
  );
  const established = block[keys.establishedConnections];
  if (established === undefined) return undefined;

  const inner = readObject(
    context,
    established,
    paths.established,
    'established connections',
    'establishedConnections',
  );

  const rawList = inner[keys.connections];
  let remoteIps: string[] | undefined;
  if (rawList !== undefined) {
    const list = readList(context, rawList, paths.connections, 'connections list');
    remoteIps = [];
    for (let index = 0; index < list.length; index++) {
      remoteIps.push(readConnection(context, list, paths.connections, index));
    }
  }

  const total = inner[keys.total];
  const count = total === undefined ? undefined : readCount(total, paths.establishedTotal, 'total');
  return { remoteIps, total: count };
}

/** Validates one established connection and returns the IP address of its remote end. */
function readConnection(
  context: CheckContext,
  list: unknown[],
  listPath: string,
  index: number,
): string {
  const keys = context.keys;
  const entry = readEntry(context, list, listPath, index, 'connection', 'connection');

  const localPort = entry[keys.localPort];
  if (localPort !== undefined && !isPortNumber(localPort)) {
    readPort(context, localPort, entryPath(listPath, index, keys.localPort), 'local port', true);
  }

  const name = entry[keys.localInterface];
  if (name !== undefined && typeof name !== 'string') {
    readString(name, entryPath(listPath, index, keys.localInterface), 'interface name');
  }

  const remote = entry[keys.remoteAddr];
  const ip = typeof remote === 'string' ? parseRemoteAddress(remote) : undefined;
  if (ip !== undefined) return ip;
  return rejectRemoteAddress(remote, entryPath(listPath, index, keys.remoteAddr));
}

function rejectRemoteAddress(value: unknown, path: string): never {
  if (value === undefined) rejectMissing(path, 'remote address');
  const text = readString(value, path, 'remote address');

  const rule = isIPv6(text)
    ? 'an IPv6 address must be written in brackets with a port, as "[ipv6]:port"'
    : 'must be "ip:port" with an IPv4 address, or "[ipv6]:port"';
  return rejectPayload(path, `Invalid remote address ${quote(text)} at "${path}": ${rule}`);
}

function isPortNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 65_535;
}
