import { invalidRequest } from '../../core/errors.ts';
import {
  cidrContains,
  formatCidr,
  parseCidr,
  parseIpAddress,
  type Cidr,
} from '../../detect/cidr.ts';
import type { BanScope } from '../../mitigate/mitigation-types.ts';

/**
 * A ban as stored: while it lasts, CONNECTs matching it are refused with reason `banned` and
 * matching live sessions are dropped. Times are epoch milliseconds.
 */
export interface BanRecord {
  banId: string;
  scope: BanScope;
  /** The client ID, the certificate ID, or the CIDR block of a SOURCE_IP ban. */
  value: string;
  reason: string;
  /** The rule that raised it, e.g. `security profile "fleet", behavior "port-scan"`. */
  rule: string;
  /** The mitigation execution that created it. */
  executionId?: string;
  createdAt: number;
  expiresAt: number;
}

/** The parts of a connection that bans match. */
export interface ConnectionIdentity {
  clientId: string;
  certificateId: string;
  sourceIp: string;
}

/** A ban with its CIDR block parsed once, so matching a CONNECT parses only the source address. */
export interface CompiledBan {
  ban: BanRecord;
  block?: Cidr;
}

/** Parses a stored ban's block; a SOURCE_IP ban whose value is not a CIDR block is invalid. */
export function compileBan(ban: BanRecord): CompiledBan {
  if (ban.scope !== 'SOURCE_IP') return { ban };
  const parsed = parseCidr(ban.value);
  if (!parsed.ok) throw invalidRequest(`Invalid ban "${ban.banId}": ${parsed.message}`);
  return { ban, block: parsed.cidr };
}

/** Tells whether the ban covers the connection. The caller checks expiry. */
export function banMatches(compiled: CompiledBan, connection: ConnectionIdentity): boolean {
  const { ban, block } = compiled;
  switch (ban.scope) {
    case 'CLIENT_ID':
      return ban.value === connection.clientId;
    case 'CERTIFICATE':
      return ban.value === connection.certificateId;
    case 'SOURCE_IP': {
      const address = parseIpAddress(plainAddress(connection.sourceIp));
      return block !== undefined && address.ok && cidrContains(block, address.cidr);
    }
  }
}

/**
 * Builds the CIDR block a SOURCE_IP ban stores for one source address. One prefix length serves
 * both families: an IPv4 address takes at most 32 bits of it, so a length above 32 narrows only
 * IPv6 sources. Without one the block is the single address. A length of 0 is rejected because
 * it would ban every client.
 * @throws WardenError InvalidRequestException for a bad address or prefix length.
 */
export function sourceIpBlock(sourceIp: string, prefixLength?: number): string {
  const address = plainAddress(sourceIp);
  const parsed = parseIpAddress(address);
  if (!parsed.ok) throw invalidRequest(`Cannot ban source IP: ${parsed.message}`);
  if (
    prefixLength !== undefined &&
    !(Number.isInteger(prefixLength) && prefixLength >= 1 && prefixLength <= 128)
  ) {
    throw invalidRequest(`Invalid sourceIpPrefixLength "${prefixLength}": must be 1-128`);
  }

  const familyBits = parsed.cidr.version === 4 ? 32 : 128;
  const length = Math.min(prefixLength ?? familyBits, familyBits);
  const block = parseCidr(`${address}/${length}`);
  if (!block.ok) throw invalidRequest(`Cannot ban source IP: ${block.message}`);
  return formatCidr(block.cidr);
}

/** Describes a ban for the log of a refused CONNECT: `Client ID "a" is banned until …`. */
export function describeBan(ban: BanRecord): string {
  const subject =
    ban.scope === 'SOURCE_IP'
      ? `Source IP range "${ban.value}"`
      : `${ban.scope === 'CLIENT_ID' ? 'Client ID' : 'Certificate'} "${ban.value}"`;
  return `${subject} is banned until ${new Date(ban.expiresAt).toISOString()}: ${ban.reason}`;
}

/** Node reports IPv4 clients of a dual-stack socket as `::ffff:a.b.c.d`; bans use `a.b.c.d`. */
function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped?.[1] ?? address;
}
