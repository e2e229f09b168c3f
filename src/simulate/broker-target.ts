/**
 * The broker the virtual devices connect to: Warden's MQTT endpoint and the CA of its server
 * certificate.
 * The simulation sends its load to loopback addresses only, so a typo cannot aim a fleet of
 * clients at another machine.
 */

import { readFile } from 'node:fs/promises';
import { isIPv4 } from 'node:net';
import path from 'node:path';
import { SimulationError } from './simulation-error.ts';

/** The broker of a running Warden. */
export interface BrokerTarget {
  /** `mqtts://HOST:PORT` on a loopback address. */
  url: string;
  /** PEM of the CA that signed the broker's server certificate. */
  serverCaPem: string;
}

/**
 * Reads the broker target of a running Warden from its data directory: the `mqtt` member of
 * `endpoints.json` and `tls/server-ca.pem`.
 * @throws SimulationError when a file is missing or the endpoint is not a loopback mqtts URL
 */
export async function readBrokerTarget(dataDir: string): Promise<BrokerTarget> {
  const endpointsFile = path.join(dataDir, 'endpoints.json');
  const caFile = path.join(dataDir, 'tls', 'server-ca.pem');
  const endpoints = (await readText(endpointsFile, dataDir)) ?? '';
  let url: unknown;
  try {
    url = (JSON.parse(endpoints) as { mqtt?: unknown } | null)?.mqtt;
  } catch {
    url = undefined;
  }
  if (typeof url !== 'string') {
    throw new SimulationError(`Invalid "${endpointsFile}": it has no "mqtt" member`);
  }
  const serverCaPem = (await readText(caFile, dataDir)) ?? '';
  return { url: checkBrokerUrl(url, endpointsFile), serverCaPem };
}

async function readText(file: string, dataDir: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new SimulationError(
      `Cannot read "${file}": ${reason}; check that "warden serve --data-dir ${dataDir}" is running`,
    );
  }
}

/**
 * Checks that a broker URL is `mqtts://HOST:PORT` with a loopback host.
 * @throws SimulationError naming the source of the value
 */
export function checkBrokerUrl(url: string, source: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SimulationError(`Invalid value "${url}" for "${source}": must be mqtts://HOST:PORT`);
  }
  if (parsed.protocol !== 'mqtts:' || parsed.port === '' || parsed.hostname === '') {
    throw new SimulationError(`Invalid value "${url}" for "${source}": must be mqtts://HOST:PORT`);
  }
  checkLoopbackHost(parsed.hostname, url, source);
  return url;
}

/**
 * Checks that a URL's host is 127.0.0.0/8, ::1 or localhost.
 * @throws SimulationError naming the value and its source
 */
export function checkLoopbackHost(hostname: string, value: string, source: string): void {
  if (!isLoopbackHost(hostname)) {
    throw new SimulationError(
      `Invalid value "${value}" for "${source}": the simulation runs only against a Warden on a loopback address (127.0.0.0/8, ::1 or localhost)`,
    );
  }
}

function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]' || hostname === '::1') return true;
  return isIPv4(hostname) && hostname.startsWith('127.');
}

/** Local addresses the devices connect from. */
export interface SourceAddresses {
  /** Address of the clean devices' connections; the system's choice when undefined. */
  normal: string | undefined;
  /** Address of a cloned identity's connections, so it shows another source IP. */
  alternate: string | undefined;
  /** The clean source addresses as CIDR blocks, for `aws:source-ip-address`. */
  normalCidrs: string[];
}

/**
 * Picks the source addresses for a broker URL. On an IPv4 loopback broker the clean devices bind
 * 127.0.0.1 and clones 127.0.0.2. IPv6 has one loopback address, so there clones share it.
 */
export function sourceAddresses(brokerUrl: string): SourceAddresses {
  const host = new URL(brokerUrl).hostname;
  if (isIPv4(host)) {
    return { normal: '127.0.0.1', alternate: '127.0.0.2', normalCidrs: ['127.0.0.1/32'] };
  }
  const normalCidrs = host === 'localhost' ? ['127.0.0.1/32', '::1/128'] : ['::1/128'];
  return { normal: undefined, alternate: undefined, normalCidrs };
}
