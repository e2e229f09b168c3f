/**
 * One sample of this machine's network state, read from `/proc/net` and reduced to what a
 * Device Defender report carries: traffic counters, listening ports and established connections.
 */
import { readFile } from 'node:fs/promises';
import type { NetworkInterfaceInfo } from 'node:os';

import { parseNetDev, type InterfaceCounters } from './proc-net-dev.ts';
import {
  SOCKET_STATE,
  isUnspecifiedAddress,
  parseSocketTable,
  type ByteOrder,
  type SocketEntry,
} from './proc-net-sockets.ts';

/** The texts of the five `/proc/net` files a sample is built from. */
export interface ProcNetTexts {
  dev: string;
  tcp: string;
  tcp6: string;
  udp: string;
  udp6: string;
}

/** A port a socket listens on, with the interface owning its bound address when there is one. */
export interface ListeningPort {
  port: number;
  interface?: string;
}

/** An established TCP connection as the report describes it. */
export interface TcpConnection {
  localPort: number;
  localInterface?: string;
  /** `a.b.c.d:port` for IPv4 peers, `[v6]:port` for IPv6 peers. */
  remoteAddr: string;
}

/** Everything one sample yields. The counters are cumulative, and the collector diffs them. */
export interface NetworkSample {
  interfaces: InterfaceCounters[];
  listeningTcpPorts: ListeningPort[];
  listeningUdpPorts: ListeningPort[];
  establishedConnections: TcpConnection[];
}

/** Interface table in the shape of `os.networkInterfaces()`. */
export type InterfaceTable = NodeJS.Dict<NetworkInterfaceInfo[]>;

/**
 * Reads the five files under `root` (normally `/proc`). The IPv6 tables are absent when the
 * kernel runs without IPv6, so a missing `tcp6` or `udp6` reads as an empty table.
 *
 * @throws {Error} when `net/dev`, `net/tcp` or `net/udp` cannot be read
 */
export async function readProcNet(root = '/proc'): Promise<ProcNetTexts> {
  const [dev, tcp, tcp6, udp, udp6] = await Promise.all([
    readFile(`${root}/net/dev`, 'utf8'),
    readFile(`${root}/net/tcp`, 'utf8'),
    readOptional(`${root}/net/tcp6`),
    readFile(`${root}/net/udp`, 'utf8'),
    readOptional(`${root}/net/udp6`),
  ]);
  return { dev, tcp, tcp6, udp, udp6 };
}

async function readOptional(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

/**
 * Builds a sample from the file texts, naming interfaces from `interfaces`. A socket bound to the
 * wildcard address, or to an address no interface owns, gets no interface name.
 */
export function buildNetworkSample(
  texts: ProcNetTexts,
  byteOrder: ByteOrder,
  interfaces: InterfaceTable,
): NetworkSample {
  const owners = addressOwners(interfaces);
  const tcp = [
    ...parseSocketTable(texts.tcp, byteOrder),
    ...parseSocketTable(texts.tcp6, byteOrder),
  ];
  const udp = [
    ...parseSocketTable(texts.udp, byteOrder),
    ...parseSocketTable(texts.udp6, byteOrder),
  ];

  return {
    interfaces: parseNetDev(texts.dev),
    listeningTcpPorts: uniquePorts(tcp.filter(isTcpListener), owners),
    listeningUdpPorts: uniquePorts(udp.filter(isUdpListener), owners),
    establishedConnections: tcp
      .filter((entry) => entry.state === SOCKET_STATE.established)
      .map((entry) => toConnection(entry, owners)),
  };
}

function isTcpListener(entry: SocketEntry): boolean {
  return entry.state === SOCKET_STATE.listen;
}

/**
 * Counts a UDP socket as listening when it is bound to a port and unconnected: state 07 with a
 * zero remote address and port. A connected UDP socket (state 01) takes datagrams from one peer
 * only, which makes it a client, so it is left out, as are sockets not yet bound to a port.
 */
function isUdpListener(entry: SocketEntry): boolean {
  return (
    entry.state === SOCKET_STATE.close &&
    entry.localPort !== 0 &&
    entry.remotePort === 0 &&
    isUnspecifiedAddress(entry.remoteAddress)
  );
}

/**
 * Maps sockets to ports, one entry per (port, interface). A server that binds both `0.0.0.0:22`
 * and `[::]:22` therefore yields one port 22, because `aws:listening-tcp-ports` is a set.
 */
function uniquePorts(entries: SocketEntry[], owners: Map<string, string>): ListeningPort[] {
  const ports = new Map<string, ListeningPort>();

  for (const entry of entries) {
    const name = owners.get(entry.localAddress);
    const key = `${entry.localPort}/${name ?? ''}`;
    if (ports.has(key)) continue;
    ports.set(
      key,
      name === undefined ? { port: entry.localPort } : { port: entry.localPort, interface: name },
    );
  }

  return [...ports.values()];
}

function toConnection(entry: SocketEntry, owners: Map<string, string>): TcpConnection {
  const host = entry.remoteAddress.includes(':') ? `[${entry.remoteAddress}]` : entry.remoteAddress;
  const connection: TcpConnection = {
    localPort: entry.localPort,
    remoteAddr: `${host}:${entry.remotePort}`,
  };
  const name = owners.get(entry.localAddress);
  if (name !== undefined) connection.localInterface = name;
  return connection;
}

/**
 * Maps each interface address to its interface name. Node prints IPv6 addresses in the same
 * RFC 5952 form as `formatIpv6`, so plain string keys match.
 */
function addressOwners(interfaces: InterfaceTable): Map<string, string> {
  const owners = new Map<string, string>();

  for (const [name, addresses] of Object.entries(interfaces)) {
    for (const info of addresses ?? []) {
      const address = info.address.toLowerCase();
      if (!owners.has(address)) owners.set(address, name);
    }
  }

  return owners;
}
