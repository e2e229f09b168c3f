import { isIPv4, isIPv6 } from 'node:net';

const PORT_TEXT = /^[0-9]{1,5}$/;

/**
 * Checks an IPv4 or IPv6 address as sent in a custom `ip_list`. IPv6 zone indexes (`%eth0`) are
 * rejected because they name an interface of the device, not an address a CIDR can match.
 */
export function isIpAddress(text: string): boolean {
  return isIPv4(text) || (isIPv6(text) && !text.includes('%'));
}

/** Returns an IP address in the form Warden stores: IPv4 as sent, IPv6 in lower case. */
export function normalizeIp(ip: string): string {
  return ip.includes(':') ? ip.toLowerCase() : ip;
}

/**
 * Returns the IP address of a `remote_addr`, or `undefined` when it is malformed. Accepted forms:
 * `192.0.2.1:443`, `[2001:db8::1]:443` (the Python agent's form) and, Warden's choice, a bare
 * IPv6 address followed by `:port` when that reading is the only one, as in
 * `2001:db8:0:0:0:0:0:1:443` or `::ffff:192.0.2.1:443`. A bare form that is itself a valid IPv6
 * address, such as `2001:db8::1:443`, is rejected because its last group might be the port.
 */
export function parseRemoteAddress(text: string): string | undefined {
  if (text.startsWith('[')) return parseBracketed(text);

  const colon = text.lastIndexOf(':');
  if (colon < 0 || !isPort(text.slice(colon + 1))) return undefined;

  const host = text.slice(0, colon);
  if (isIPv4(host)) return host;
  if (isIpAddress(host) && !isIPv6(text)) return host.toLowerCase();
  return undefined;
}

function parseBracketed(text: string): string | undefined {
  const close = text.indexOf(']');
  if (close < 0 || text.charCodeAt(close + 1) !== 0x3a /* ':' */) return undefined;
  if (!isPort(text.slice(close + 2))) return undefined;

  const host = text.slice(1, close);
  return isIPv6(host) && !host.includes('%') ? host.toLowerCase() : undefined;
}

function isPort(text: string): boolean {
  return PORT_TEXT.test(text) && Number(text) <= 65_535;
}
