/**
 * The X.509 fields behind the `iot:Certificate.*` policy variables, read once per connection from
 * the client certificate.
 *
 * Source: AWS IoT Core Developer Guide, "X.509 certificate AWS IoT Core policy variables"
 * (cert-policy-variables): the attribute names, the alternative-name types, the first-value
 * default, the `.N` index and `.List` suffix, and the five-item limit on multi-valued attributes.
 */

import 'reflect-metadata';

import { createHash } from 'node:crypto';

import {
  IssuerAlternativeNameExtension,
  SubjectAlternativeNameExtension,
  type GeneralNames,
  type Name,
  type X509Certificate,
} from '@peculiar/x509';

/** Distinguished-name attributes that AWS IoT exposes, by policy-variable name and OID. */
export const DN_ATTRIBUTE_OIDS = {
  DistinguishedNameQualifier: '2.5.4.46',
  Country: '2.5.4.6',
  Organization: '2.5.4.10',
  OrganizationalUnit: '2.5.4.11',
  State: '2.5.4.8',
  CommonName: '2.5.4.3',
  SerialNumber: '2.5.4.5',
  Title: '2.5.4.12',
  Surname: '2.5.4.4',
  GivenName: '2.5.4.42',
  Initials: '2.5.4.43',
  Pseudonym: '2.5.4.65',
  GenerationQualifier: '2.5.4.44',
} as const;

export type DnAttributeName = keyof typeof DN_ATTRIBUTE_OIDS;

/** Alternative-name types that AWS IoT exposes as `...AlternativeName.<type>` variables. */
export type AlternativeNameType =
  'RFC822Name' | 'DNSName' | 'DirectoryName' | 'UniformResourceIdentifier' | 'IPAddress';

/** Values of one distinguished name or one alternative-name extension, by attribute. */
export type AttributeValues<K extends string = string> = Readonly<
  Partial<Record<K, string | readonly string[]>>
>;

/** The client-certificate fields that the policy engine reads. */
export interface CertificateAttributes {
  /** AWS IoT certificate ID: the SHA-256 fingerprint of the DER encoding, lowercase hex. */
  certificateId?: string;
  /** Certificate serial number as hex digits, as `@peculiar/x509` renders it. */
  serialNumber?: string;
  subject: AttributeValues;
  issuer: AttributeValues;
  subjectAlternativeNames?: AttributeValues<AlternativeNameType>;
  issuerAlternativeNames?: AttributeValues<AlternativeNameType>;
}

/** AWS IoT ignores array items past the fifth in certificate attributes. */
export const MAX_ATTRIBUTE_VALUES = 5;

const GENERAL_NAME_TYPES: Readonly<Record<string, AlternativeNameType>> = {
  email: 'RFC822Name',
  dns: 'DNSName',
  dn: 'DirectoryName',
  url: 'UniformResourceIdentifier',
  ip: 'IPAddress',
};

/**
 * Reads the policy-relevant attributes of a parsed certificate.
 *
 * NOTE: AWS does not document how it renders `iot:Certificate.SerialNumber`; this uses the hex
 * digits that `@peculiar/x509` returns.
 */
export function certificateAttributesFromX509(certificate: X509Certificate): CertificateAttributes {
  const attributes: CertificateAttributes = {
    certificateId: createHash('sha256').update(Buffer.from(certificate.rawData)).digest('hex'),
    serialNumber: certificate.serialNumber,
    subject: nameAttributes(certificate.subjectName),
    issuer: nameAttributes(certificate.issuerName),
  };

  const subjectNames = certificate.getExtension(SubjectAlternativeNameExtension);
  if (subjectNames) attributes.subjectAlternativeNames = alternativeNames(subjectNames.names);
  const issuerNames = certificate.getExtension(IssuerAlternativeNameExtension);
  if (issuerNames) attributes.issuerAlternativeNames = alternativeNames(issuerNames.names);
  return attributes;
}

function nameAttributes(name: Name): AttributeValues {
  const result: Record<string, readonly string[]> = {};
  for (const [attribute, oid] of Object.entries(DN_ATTRIBUTE_OIDS)) {
    const values = name.getField(oid).slice(0, MAX_ATTRIBUTE_VALUES);
    if (values.length > 0) result[attribute] = values;
  }
  return result;
}

function alternativeNames(names: GeneralNames): AttributeValues<AlternativeNameType> {
  const result: Partial<Record<AlternativeNameType, string[]>> = {};
  for (const item of names.items) {
    const type = GENERAL_NAME_TYPES[item.type];
    if (type === undefined) continue;
    const values = (result[type] ??= []);
    if (values.length < MAX_ATTRIBUTE_VALUES) values.push(item.value);
  }
  return result;
}
