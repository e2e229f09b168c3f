/**
 * The request context of one MQTT connection and the condition keys and policy variables that
 * AWS IoT derives from it.
 *
 * Sources: AWS IoT Core Developer Guide pages "Basic AWS IoT Core policy variables"
 * (`iot:ClientId`, `aws:SourceIp`, `iot:DomainName`), "Thing policy variables", "X.509
 * certificate AWS IoT Core policy variables" and "Thing policy examples"; IAM User Guide "IAM
 * policy elements: Variables and tags" (`aws:CurrentTime`, `aws:EpochTime`; key names are
 * case-insensitive).
 */

import {
  DN_ATTRIBUTE_OIDS,
  MAX_ATTRIBUTE_VALUES,
  type AlternativeNameType,
  type AttributeValues,
  type CertificateAttributes,
} from './certificate-attributes.ts';

/** The connection data that the broker passes to policy evaluation. */
export interface PolicyContext {
  /** MQTT client ID from CONNECT. */
  clientId: string;
  /** Registry name of the thing whose name equals the client ID, when one exists. */
  thingName?: string;
  thingTypeName?: string;
  thingAttributes?: Readonly<Record<string, string>>;
  /** Whether the certificate is attached to the thing named by the client ID. */
  isAttached: boolean;
  /** Client IP address as the socket reports it (IPv4-mapped IPv6 is accepted). */
  sourceIp?: string;
  certificate?: CertificateAttributes;
  /** Server name the client reached (TLS SNI), for `iot:DomainName`. */
  domainName?: string;
  region: string;
  accountId: string;
  /** ARN partition; `aws` when omitted. */
  partition?: string;
  /** Evaluation time in epoch milliseconds, for `aws:CurrentTime` and `aws:EpochTime`. */
  now: number;
}

/** A condition key's value: absent, one string, or a list (`.List`, `AvailableKeys`). */
export type ContextValue = string | readonly string[] | undefined;

const TIME_KEYS = new Set(['aws:currenttime', 'aws:epochtime']);
const ATTRIBUTES_PREFIX = 'iot:connection.thing.attributes[';
const CERTIFICATE_PREFIX = 'iot:certificate.';
const UNSUBSTITUTABLE = /[*$+?#]/;
const MAX_SUBSTITUTED_LENGTH = 1024;

const DN_NAMES = new Map(Object.keys(DN_ATTRIBUTE_OIDS).map((name) => [name.toLowerCase(), name]));
const ALTERNATIVE_NAME_TYPES: readonly AlternativeNameType[] = [
  'RFC822Name',
  'DNSName',
  'DirectoryName',
  'UniformResourceIdentifier',
  'IPAddress',
];
const ALTERNATIVE_NAMES = new Map(ALTERNATIVE_NAME_TYPES.map((type) => [type.toLowerCase(), type]));

/** Checks whether a key's value changes during a connection, so it cannot be decided at bind time. */
export function isTimeKey(key: string): boolean {
  return TIME_KEYS.has(key.toLowerCase());
}

/**
 * Returns a condition key's value for a connection, or `undefined` when the request context does
 * not contain the key. Thing keys exist only when the certificate is attached to the thing named by
 * the client ID: the AWS thing policy examples state that otherwise the variable is not resolved
 * and access is denied. `iot:Connection.Thing.IsAttached` always exists.
 */
export function lookupContextKey(context: PolicyContext, key: string, now: number): ContextValue {
  const lower = key.toLowerCase();
  switch (lower) {
    case 'iot:clientid':
      return context.clientId;
    case 'aws:sourceip':
      return context.sourceIp;
    case 'iot:domainname':
      return context.domainName;
    case 'iot:connection.thing.isattached':
      return context.isAttached ? 'true' : 'false';
    case 'iot:connection.thing.thingname':
      return attachedThing(context)?.thingName;
    case 'iot:connection.thing.thingtypename':
      return attachedThing(context)?.thingTypeName;
    case 'aws:currenttime':
      return new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
    case 'aws:epochtime':
      return String(Math.floor(now / 1000));
    case 'iot:certificateid':
      return context.certificate?.certificateId;
  }
  if (lower.startsWith(ATTRIBUTES_PREFIX) && key.endsWith(']')) {
    const attribute = key.slice(ATTRIBUTES_PREFIX.length, -1);
    const thing = attachedThing(context);
    return thing?.thingAttributes && Object.hasOwn(thing.thingAttributes, attribute)
      ? thing.thingAttributes[attribute]
      : undefined;
  }
  if (lower.startsWith(CERTIFICATE_PREFIX) && context.certificate) {
    return certificateKey(context.certificate, lower.slice(CERTIFICATE_PREFIX.length));
  }
  return undefined;
}

/**
 * Returns the value that replaces `${name}`, or `undefined` when the variable stays unresolved.
 * That happens for a missing key and for a list-valued key, because a variable stands for one
 * string. It also happens for a certificate value that contains `*`, `$`, `+`, `?` or `#` or is
 * longer than 1024 characters, which AWS does not substitute.
 */
export function variableValue(
  context: PolicyContext,
  name: string,
  now: number,
): string | undefined {
  const value = lookupContextKey(context, name, now);
  if (typeof value !== 'string') return undefined;
  if (!name.toLowerCase().startsWith(CERTIFICATE_PREFIX)) return value;
  if (UNSUBSTITUTABLE.test(value) || value.length > MAX_SUBSTITUTED_LENGTH) return undefined;
  return value;
}

function attachedThing(context: PolicyContext): PolicyContext | undefined {
  return context.isAttached && context.thingName !== undefined ? context : undefined;
}

/** Reads `Subject.X`, `Issuer.X.N`, `Subject.AlternativeName.T.List`, `SerialNumber`, ... */
function certificateKey(certificate: CertificateAttributes, path: string): ContextValue {
  if (path === 'serialnumber') return certificate.serialNumber;
  if (path === 'availablekeys') return availableKeys(certificate);

  const [side, ...rest] = path.split('.');
  if (side !== 'subject' && side !== 'issuer') return undefined;
  const names = side === 'subject' ? certificate.subject : certificate.issuer;

  if (rest[0] === 'alternativename') {
    const alternatives =
      side === 'subject' ? certificate.subjectAlternativeNames : certificate.issuerAlternativeNames;
    const type = ALTERNATIVE_NAMES.get(rest[1] ?? '');
    if (alternatives === undefined || type === undefined) return undefined;
    return selectValue(alternatives[type], rest.slice(2));
  }
  const attribute = DN_NAMES.get(rest[0] ?? '');
  return attribute === undefined ? undefined : selectValue(names[attribute], rest.slice(1));
}

/**
 * Applies the optional suffix: none gives the first value, `.N` the value at zero-based index N
 * (no value when out of range, so authorization fails), `.List` all values (at most five).
 */
function selectValue(raw: string | readonly string[] | undefined, suffix: string[]): ContextValue {
  if (raw === undefined) return undefined;
  const values = (typeof raw === 'string' ? [raw] : raw).slice(0, MAX_ATTRIBUTE_VALUES);
  if (suffix.length === 0) return values[0];
  if (suffix.length > 1) return undefined;
  const [selector] = suffix;
  if (selector === 'list') return values;
  return /^\d+$/.test(selector ?? '') ? values[Number(selector)] : undefined;
}

function availableKeys(certificate: CertificateAttributes): string[] {
  const keys: string[] = [];
  if (certificate.serialNumber !== undefined) keys.push('iot:Certificate.SerialNumber');
  addNameKeys(keys, 'Subject', certificate.subject);
  addNameKeys(keys, 'Issuer', certificate.issuer);
  addNameKeys(keys, 'Subject.AlternativeName', certificate.subjectAlternativeNames);
  addNameKeys(keys, 'Issuer.AlternativeName', certificate.issuerAlternativeNames);
  return keys;
}

function addNameKeys(keys: string[], prefix: string, names: AttributeValues | undefined): void {
  for (const [attribute, values] of Object.entries(names ?? {})) {
    if (values !== undefined && values.length > 0)
      keys.push(`iot:Certificate.${prefix}.${attribute}`);
  }
}
