/**
 * The long and short key names of the Device Defender metrics report. Both name the same
 * fields. A report uses one style throughout, which is Warden's rule because AWS documents none.
 */

/** Naming style of a report's keys, detected from its root keys. */
export type KeyStyle = 'long' | 'short';

/** The key names of one style, by field. */
export interface KeyNames {
  header: string;
  reportId: string;
  version: string;
  metrics: string;
  customMetrics: string;
  listeningTcpPorts: string;
  listeningUdpPorts: string;
  ports: string;
  port: string;
  interface: string;
  total: string;
  networkStats: string;
  bytesIn: string;
  bytesOut: string;
  packetsIn: string;
  packetsOut: string;
  tcpConnections: string;
  establishedConnections: string;
  connections: string;
  remoteAddr: string;
  localPort: string;
  localInterface: string;
}

/** Long key names, as in the AWS device-side metrics specification. */
export const LONG_KEYS: Readonly<KeyNames> = Object.freeze({
  header: 'header',
  reportId: 'report_id',
  version: 'version',
  metrics: 'metrics',
  customMetrics: 'custom_metrics',
  listeningTcpPorts: 'listening_tcp_ports',
  listeningUdpPorts: 'listening_udp_ports',
  ports: 'ports',
  port: 'port',
  interface: 'interface',
  total: 'total',
  networkStats: 'network_stats',
  bytesIn: 'bytes_in',
  bytesOut: 'bytes_out',
  packetsIn: 'packets_in',
  packetsOut: 'packets_out',
  tcpConnections: 'tcp_connections',
  establishedConnections: 'established_connections',
  connections: 'connections',
  remoteAddr: 'remote_addr',
  localPort: 'local_port',
  localInterface: 'local_interface',
});

/** Short key names, as in the AWS device-side metrics specification. */
export const SHORT_KEYS: Readonly<KeyNames> = Object.freeze({
  header: 'hed',
  reportId: 'rid',
  version: 'v',
  metrics: 'met',
  customMetrics: 'cmet',
  listeningTcpPorts: 'tp',
  listeningUdpPorts: 'up',
  ports: 'pts',
  port: 'pt',
  interface: 'if',
  total: 't',
  networkStats: 'ns',
  bytesIn: 'bi',
  bytesOut: 'bo',
  packetsIn: 'pi',
  packetsOut: 'po',
  tcpConnections: 'tc',
  establishedConnections: 'ec',
  connections: 'cs',
  remoteAddr: 'rad',
  localPort: 'lp',
  localInterface: 'li',
});

/** The objects of a report that have fixed keys, for the mixed-style check. */
export type Block =
  | 'root'
  | 'header'
  | 'metrics'
  | 'listeningPorts'
  | 'port'
  | 'networkStats'
  | 'tcpConnections'
  | 'establishedConnections'
  | 'connection';

const BLOCK_FIELDS: Record<Block, readonly (keyof KeyNames)[]> = {
  root: ['header', 'metrics', 'customMetrics'],
  header: ['reportId', 'version'],
  metrics: ['listeningTcpPorts', 'listeningUdpPorts', 'networkStats', 'tcpConnections'],
  listeningPorts: ['ports', 'total'],
  port: ['port', 'interface'],
  networkStats: ['bytesIn', 'bytesOut', 'packetsIn', 'packetsOut'],
  tcpConnections: ['establishedConnections'],
  establishedConnections: ['connections', 'total'],
  connection: ['remoteAddr', 'localPort', 'localInterface'],
};

function blockKeys(names: KeyNames): Record<Block, ReadonlySet<string>> {
  const sets = {} as Record<Block, ReadonlySet<string>>;
  for (const [block, fields] of Object.entries(BLOCK_FIELDS) as [Block, (keyof KeyNames)[]][]) {
    sets[block] = new Set(fields.map((field) => names[field]));
  }
  return sets;
}

const LONG_BLOCK_KEYS = blockKeys(LONG_KEYS);
const SHORT_BLOCK_KEYS = blockKeys(SHORT_KEYS);

/** Returns the key names of a style. */
export function keyNames(style: KeyStyle): Readonly<KeyNames> {
  return style === 'long' ? LONG_KEYS : SHORT_KEYS;
}

/** Returns the keys that one block may contain in a style. */
export function keysOfBlock(style: KeyStyle, block: Block): ReadonlySet<string> {
  return style === 'long' ? LONG_BLOCK_KEYS[block] : SHORT_BLOCK_KEYS[block];
}

/** Returns the other style. */
export function otherStyle(style: KeyStyle): KeyStyle {
  return style === 'long' ? 'short' : 'long';
}
